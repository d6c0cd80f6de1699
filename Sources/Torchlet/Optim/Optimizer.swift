/// Something that updates parameters from their gradients, like
/// `torch.optim.Optimizer`.
public protocol Optimizer: AnyObject {
    /// The tensors this optimizer updates.
    var parameters: [Tensor] { get }
    /// The step size; schedulers change it between steps.
    var learningRate: Float { get set }
    /// Updates every parameter that has a gradient.
    func step()
    /// A copy of the optimizer's state (its learning rate, its settings and
    /// per-parameter buffers such as momentum or Adam's moments), like
    /// `optimizer.state_dict()`; see `Optimizer+StateDict.swift` for the names.
    func stateDict() -> StateDict
    /// Restores a state from `stateDict()`, like `optimizer.load_state_dict`;
    /// `source` names where it came from in errors.
    ///
    /// - Throws: `StateDictError` naming the missing, unexpected or
    ///   mismatched key; the optimizer is unchanged then.
    func loadStateDict(_ stateDict: StateDict, source: String) throws
}

extension Optimizer {
    /// Resets the gradient of every parameter, like `optimizer.zero_grad()`.
    public func zeroGrad() {
        for p in parameters { p.zeroGrad() }
    }
}
