import Foundation

/// Multiplies the learning rate by `gamma` every `stepSize` epochs, like
/// `torch.optim.lr_scheduler.StepLR`.
///
/// ```
/// lr(epoch) = baseLR · gamma^⌊epoch / stepSize⌋
/// ```
///
/// `baseLR` is the optimizer's learning rate when the scheduler is made.
/// With `stepSize: 3, gamma: 0.5` and a base of 0.1, epochs 0, 1, 2 use
/// 0.1, epochs 3, 4, 5 use 0.05, and so on.
///
/// - Precondition: `stepSize > 0`, `gamma >= 0`.
public final class StepLR: LRScheduler {
    public let optimizer: Optimizer
    public let stepSize: Int
    public let gamma: Float
    /// The learning rate of epoch 0 (PyTorch's `base_lrs[0]`).
    public private(set) var baseLR: Float
    public private(set) var lastEpoch = 0

    public init(_ optimizer: Optimizer, stepSize: Int, gamma: Float = 0.1) {
        precondition(stepSize > 0, "StepLR: stepSize \(stepSize) must be positive")
        precondition(gamma >= 0, "StepLR: gamma \(gamma) must not be negative")
        self.optimizer = optimizer
        self.stepSize = stepSize
        self.gamma = gamma
        baseLR = optimizer.learningRate
        optimizer.learningRate = learningRate(atEpoch: 0)
    }

    /// The learning rate of `epoch`, from the formula above (computed in
    /// `Double` and rounded once).
    public func learningRate(atEpoch epoch: Int) -> Float {
        Float(Double(baseLR) * Foundation.pow(Double(gamma), Double(epoch / stepSize)))
    }

    /// Moves to the next epoch and sets its learning rate.
    public func step() {
        lastEpoch += 1
        optimizer.learningRate = learningRate(atEpoch: lastEpoch)
    }

    private var settings: KeyValuePairs<String, String> {
        ["step_size": stepSize.description, "gamma": gamma.description]
    }

    public func stateDict() -> StateDict {
        formulaStateDict(type: "StepLR", settings: settings, baseLR: baseLR)
    }

    public func loadStateDict(_ stateDict: StateDict, source: String = "scheduler state") throws {
        (lastEpoch, baseLR) = try checkedEpochAndBaseLR(in: stateDict, type: "StepLR", settings: settings, source: source)
    }
}
