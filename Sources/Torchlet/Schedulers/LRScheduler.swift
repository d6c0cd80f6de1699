/// Something that sets an optimizer's learning rate as training goes, like
/// `torch.optim.lr_scheduler.LRScheduler`.
///
/// A scheduler counts epochs as PyTorch does: making it sets the learning
/// rate for epoch 0, and each `step` (called after `optimizer.step()`,
/// once per epoch, or once per batch for a warm-up) moves to the next
/// epoch and sets its rate:
///
/// ```swift
/// let scheduler = StepLR(optimizer, stepSize: 10, gamma: 0.5)
/// for epoch in 0..<epochs {
///     for batch in loader { …; optimizer.step() }
///     scheduler.step()      // lastEpoch = epoch + 1
/// }
/// ```
///
/// Each scheduler computes the rate of an epoch from its own state (a
/// closed form, or a counter), so two schedulers on one optimizer do not
/// compose; use one that does both (`WarmupCosineLR`).
public protocol LRScheduler: AnyObject {
    /// The optimizer whose `learningRate` this scheduler sets.
    var optimizer: Optimizer { get }
    /// The number of steps taken (PyTorch's `last_epoch`): 0 when made.
    var lastEpoch: Int { get }
    /// A copy of the scheduler's state (its counters and settings), like
    /// `scheduler.state_dict()`.
    func stateDict() -> StateDict
    /// Restores a state from `stateDict()`, like `scheduler.load_state_dict`;
    /// `source` names where it came from in errors.
    ///
    /// - Throws: `StateDictError` naming the missing or mismatched key; the
    ///   scheduler is unchanged then.
    func loadStateDict(_ stateDict: StateDict, source: String) throws
}

extension LRScheduler {
    /// The learning rate now, like `scheduler.get_last_lr()[0]`.
    public var lastLR: Float { optimizer.learningRate }

    /// A state dict of a scheduler that follows a formula of the epoch and
    /// the base learning rate: its type, settings, `last_epoch` and `base_lr`.
    func formulaStateDict(type: String, settings: KeyValuePairs<String, String>, baseLR: Float) -> StateDict {
        var state = StateDict(type: type, settings: settings)
        state.setScalar(lastEpoch, forKey: "last_epoch")
        state.setScalar(baseLR, forKey: "base_lr")
        return state
    }

    /// Checks a saved state of a formula scheduler and returns its
    /// `last_epoch` and `base_lr`, changing nothing.
    ///
    /// - Throws: `StateDictError` naming `source` and the key that is
    ///   missing, unexpected or mismatched.
    func checkedEpochAndBaseLR(
        in state: StateDict, type: String, settings: KeyValuePairs<String, String>, source: String
    ) throws -> (lastEpoch: Int, baseLR: Float) {
        try checkScheduler(state, type: type, settings: settings, source: source)
        let epoch: Int = try state.scalar("last_epoch", source: source)
        guard epoch >= 0 else {
            throw StateDictError(path: source, key: "last_epoch", problem: "\(epoch) is negative")
        }
        return (epoch, try state.scalar("base_lr", source: source))
    }

    /// Checks a saved scheduler state's type and settings, and that it has
    /// no tensors (a scheduler's state is all numbers).
    func checkScheduler(_ state: StateDict, type: String, settings: KeyValuePairs<String, String>, source: String) throws {
        if let (name, _) = state.entries.first {
            throw StateDictError(path: source, key: name, problem: "unexpected tensor in a scheduler's state")
        }
        try state.checkType(type, settings: settings, source: source)
    }
}
