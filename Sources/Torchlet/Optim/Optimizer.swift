/// Something that updates parameters from their gradients, like
/// `torch.optim.Optimizer`.
public protocol Optimizer: AnyObject {
    /// The tensors this optimizer updates.
    var parameters: [Tensor] { get }
    /// The step size; schedulers change it between steps.
    var learningRate: Float { get set }
    /// Updates every parameter that has a gradient.
    func step()
}

extension Optimizer {
    /// Resets the gradient of every parameter, like `optimizer.zero_grad()`.
    public func zeroGrad() {
        for p in parameters { p.zeroGrad() }
    }
}
