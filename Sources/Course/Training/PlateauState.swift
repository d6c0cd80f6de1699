/// The counters of a reduce-on-plateau schedule in PyTorch's default mode
/// (`mode='min'`, relative threshold), which exercise 7.2 steps by hand.
///
/// The names follow `torch.optim.lr_scheduler.ReduceLROnPlateau`:
/// `best`, `num_bad_epochs`, `cooldown_counter`, and the optimizer's `lr`.
public struct PlateauState: Equatable, Sendable {
    /// The learning rate now.
    public var learningRate: Float
    /// The lowest metric so far (`+∞` before the first).
    public var best: Float = .infinity
    /// Epochs in a row without a better metric (`num_bad_epochs`).
    public var badEpochs = 0
    /// Epochs left in the cooldown after a reduction (`cooldown_counter`).
    public var cooldownLeft = 0

    public init(learningRate: Float, best: Float = .infinity, badEpochs: Int = 0, cooldownLeft: Int = 0) {
        self.learningRate = learningRate
        self.best = best
        self.badEpochs = badEpochs
        self.cooldownLeft = cooldownLeft
    }
}

/// The settings of a reduce-on-plateau schedule, with PyTorch's defaults.
public struct PlateauSettings: Sendable {
    /// The learning rate is multiplied by this at each reduction.
    public var factor: Float = 0.1
    /// Bad epochs tolerated before a reduction: the `patience + 1`-th in a row reduces.
    public var patience = 10
    /// A metric counts as better only below `best · (1 − threshold)`.
    public var threshold: Float = 1e-4
    /// Epochs after a reduction during which bad epochs are not counted.
    public var cooldown = 0
    /// The learning rate never goes below this.
    public var minLR: Float = 0
    /// A reduction smaller than this is skipped.
    public var eps: Float = 1e-8

    public init(factor: Float = 0.1, patience: Int = 10, threshold: Float = 1e-4, cooldown: Int = 0,
                minLR: Float = 0, eps: Float = 1e-8) {
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.cooldown = cooldown
        self.minLR = minLR
        self.eps = eps
    }
}
