/// Cuts the learning rate by `factor` when a metric has stopped improving
/// for more than `patience` epochs, exactly as
/// `torch.optim.lr_scheduler.ReduceLROnPlateau` does.
///
/// Call `step(metric)` once per epoch with the validation loss (`.min`) or
/// accuracy (`.max`). Each call:
///
/// ```
/// if isBetter(metric, best):  best = metric, numBadEpochs = 0
/// else:                       numBadEpochs += 1
/// if cooldownCounter > 0:     cooldownCounter -= 1, numBadEpochs = 0
/// if numBadEpochs > patience: newLR = max(lr · factor, minLR)
///                             lr = newLR if lr − newLR > eps
///                             cooldownCounter = cooldown, numBadEpochs = 0
///
/// isBetter(a, best):   .min, .relative   a < best · (1 − threshold)
///                      .min, .absolute   a < best − threshold
///                      .max, .relative   a > best · (1 + threshold)
///                      .max, .absolute   a > best + threshold
/// ```
///
/// `best` starts at +∞ (`.min`) or −∞ (`.max`). An improvement smaller than
/// the threshold does not count, a metric equal to `best` is a bad epoch,
/// and so is NaN (every comparison with NaN is false). During `cooldown`
/// epochs after a cut, bad epochs are not counted. The `eps` rule stops
/// cuts too small to matter (and those `minLR` clamps to nothing).
///
/// - Precondition: `0 ≤ factor < 1`; `patience`, `cooldown`, `threshold`,
///   `minLR` and `eps` are not negative.
public final class ReduceLROnPlateau: LRScheduler {
    /// Whether a lower metric (`.min`, a loss) or a higher one (`.max`, an
    /// accuracy) is better, like `mode="min"` / `"max"`.
    public enum Mode: String, Sendable {
        case min, max
    }

    /// Whether `threshold` is a fraction of `best` (`threshold_mode="rel"`)
    /// or an amount in the metric's units (`"abs"`).
    public enum ThresholdMode: String, Sendable {
        case relative = "rel"
        case absolute = "abs"
    }

    public let optimizer: Optimizer
    public let mode: Mode
    public let factor: Float
    public let patience: Int
    public let threshold: Float
    public let thresholdMode: ThresholdMode
    public let cooldown: Int
    public let minLR: Float
    public let eps: Float
    /// The best metric so far (±∞ before the first step).
    public private(set) var best: Float
    /// Epochs since the last improvement, not counting cooldown.
    public private(set) var numBadEpochs = 0
    /// Epochs of cooldown left after the last cut.
    public private(set) var cooldownCounter = 0
    public private(set) var lastEpoch = 0

    public init(
        _ optimizer: Optimizer, mode: Mode = .min, factor: Float = 0.1, patience: Int = 10, threshold: Float = 1e-4,
        thresholdMode: ThresholdMode = .relative, cooldown: Int = 0, minLR: Float = 0, eps: Float = 1e-8
    ) {
        precondition(factor >= 0 && factor < 1, "ReduceLROnPlateau: factor \(factor) must be in [0, 1)")
        precondition(patience >= 0, "ReduceLROnPlateau: patience \(patience) must not be negative")
        precondition(threshold >= 0, "ReduceLROnPlateau: threshold \(threshold) must not be negative")
        precondition(cooldown >= 0, "ReduceLROnPlateau: cooldown \(cooldown) must not be negative")
        precondition(minLR >= 0, "ReduceLROnPlateau: minLR \(minLR) must not be negative")
        precondition(eps >= 0, "ReduceLROnPlateau: eps \(eps) must not be negative")
        self.optimizer = optimizer
        self.mode = mode
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.thresholdMode = thresholdMode
        self.cooldown = cooldown
        self.minLR = minLR
        self.eps = eps
        best = mode == .min ? .infinity : -.infinity
    }

    /// Whether `a` improves on `best` by more than the threshold.
    public func isBetter(_ a: Float, than best: Float) -> Bool {
        switch (mode, thresholdMode) {
        case (.min, .relative): return a < best * (1 - threshold)
        case (.min, .absolute): return a < best - threshold
        case (.max, .relative): return a > best * (1 + threshold)
        case (.max, .absolute): return a > best + threshold
        }
    }

    /// Whether the scheduler is waiting after a cut.
    public var isInCooldown: Bool { cooldownCounter > 0 }

    /// Records one epoch's metric, and cuts the learning rate after more
    /// than `patience` bad epochs (see the rules above).
    public func step(_ metric: Float) {
        lastEpoch += 1
        if isBetter(metric, than: best) {
            best = metric
            numBadEpochs = 0
        } else {
            numBadEpochs += 1
        }
        if isInCooldown {
            cooldownCounter -= 1
            numBadEpochs = 0  // bad epochs during cooldown are ignored
        }
        if numBadEpochs > patience {
            let oldLR = optimizer.learningRate
            let newLR = Swift.max(oldLR * factor, minLR)
            if oldLR - newLR > eps {
                optimizer.learningRate = newLR
            }
            cooldownCounter = cooldown
            numBadEpochs = 0
        }
    }

    private var settings: KeyValuePairs<String, String> {
        ["mode": mode.rawValue, "factor": factor.description, "patience": patience.description,
         "threshold": threshold.description, "threshold_mode": thresholdMode.rawValue,
         "cooldown": cooldown.description, "min_lr": minLR.description, "eps": eps.description]
    }

    public func stateDict() -> StateDict {
        var state = StateDict(type: "ReduceLROnPlateau", settings: settings)
        state.setScalar(lastEpoch, forKey: "last_epoch")
        state.setScalar(best, forKey: "best")
        state.setScalar(numBadEpochs, forKey: "num_bad_epochs")
        state.setScalar(cooldownCounter, forKey: "cooldown_counter")
        return state
    }

    public func loadStateDict(_ stateDict: StateDict, source: String = "scheduler state") throws {
        try checkScheduler(stateDict, type: "ReduceLROnPlateau", settings: settings, source: source)
        let counters: [Int] = try ["last_epoch", "num_bad_epochs", "cooldown_counter"].map { key in
            let value: Int = try stateDict.scalar(key, source: source)
            guard value >= 0 else { throw StateDictError(path: source, key: key, problem: "\(value) is negative") }
            return value
        }
        let savedBest: Float = try stateDict.scalar("best", source: source)
        (lastEpoch, numBadEpochs, cooldownCounter, best) = (counters[0], counters[1], counters[2], savedBest)
    }
}
