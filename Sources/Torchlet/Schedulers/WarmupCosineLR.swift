import Foundation

/// A linear warm-up followed by a cosine decay: the learning rate climbs
/// from `startFactor · baseLR` to `baseLR` over `warmupSteps`, then falls
/// along half a cosine to `minLR` at `totalSteps`, and stays there.
///
/// ```
/// lr(t) = baseLR · (s + (1 − s) · t / W)                           t < W
/// lr(t) = minLR + (baseLR − minLR) · ½ (1 + cos(π (t − W) / (T − W)))  W ≤ t < T
/// lr(t) = minLR                                                    t ≥ T
/// ```
///
/// with `W = warmupSteps`, `T = totalSteps`, `s = startFactor` and
/// `baseLR` the optimizer's learning rate when the scheduler is made. In
/// PyTorch it is `SequentialLR(optimizer, [LinearLR(optimizer,
/// start_factor=s, total_iters=W), CosineAnnealingLR(optimizer, T_max=T −
/// W, eta_min=minLR)], milestones=[W])` up to `T` (PyTorch's cosine
/// climbs again after `T`; this one stays at `minLR`), or a `LambdaLR` with
/// the formula above. The default `s = 0` (which `LinearLR` refuses) is
/// the warm-up of Hugging Face's `get_cosine_schedule_with_warmup`: the
/// first step has rate 0, which still warms up Adam's moments.
///
/// Warm-up keeps the first steps small while Adam's second moments, or a
/// fresh model's gradients, are still unreliable; the cosine then spends
/// most steps near the peak and ends gently.
///
/// - Precondition: `0 ≤ warmupSteps < totalSteps`, `0 ≤ startFactor ≤ 1`,
///   `0 ≤ minLR ≤` the optimizer's learning rate.
public final class WarmupCosineLR: LRScheduler {
    public let optimizer: Optimizer
    public let warmupSteps: Int
    public let totalSteps: Int
    public let startFactor: Float
    public let minLR: Float
    /// The peak learning rate, reached at `warmupSteps`.
    public private(set) var baseLR: Float
    public private(set) var lastEpoch = 0

    public init(_ optimizer: Optimizer, warmupSteps: Int, totalSteps: Int, startFactor: Float = 0, minLR: Float = 0) {
        precondition(warmupSteps >= 0, "WarmupCosineLR: warmupSteps \(warmupSteps) must not be negative")
        precondition(totalSteps > warmupSteps,
                     "WarmupCosineLR: totalSteps \(totalSteps) must be greater than warmupSteps \(warmupSteps)")
        precondition((0...1).contains(startFactor), "WarmupCosineLR: startFactor \(startFactor) must be in [0, 1]")
        precondition(minLR >= 0 && minLR <= optimizer.learningRate,
                     "WarmupCosineLR: minLR \(minLR) must be in [0, learningRate \(optimizer.learningRate)]")
        self.optimizer = optimizer
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.startFactor = startFactor
        self.minLR = minLR
        baseLR = optimizer.learningRate
        optimizer.learningRate = learningRate(atEpoch: 0)
    }

    /// The learning rate of step `t`, from the formula above (computed in
    /// `Double` and rounded once).
    public func learningRate(atEpoch t: Int) -> Float {
        let base = Double(baseLR), low = Double(minLR), s = Double(startFactor)
        if t < warmupSteps {
            return Float(base * (s + (1 - s) * Double(t) / Double(warmupSteps)))
        }
        if t >= totalSteps { return minLR }
        let progress = Double(t - warmupSteps) / Double(totalSteps - warmupSteps)
        return Float(low + (base - low) * 0.5 * (1 + Foundation.cos(Double.pi * progress)))
    }

    /// Moves to the next step and sets its learning rate.
    public func step() {
        lastEpoch += 1
        optimizer.learningRate = learningRate(atEpoch: lastEpoch)
    }

    private var settings: KeyValuePairs<String, String> {
        ["warmup_steps": warmupSteps.description, "total_steps": totalSteps.description,
         "start_factor": startFactor.description, "min_lr": minLR.description]
    }

    public func stateDict() -> StateDict {
        formulaStateDict(type: "WarmupCosineLR", settings: settings, baseLR: baseLR)
    }

    public func loadStateDict(_ stateDict: StateDict, source: String = "scheduler state") throws {
        (lastEpoch, baseLR) = try checkedEpochAndBaseLR(
            in: stateDict, type: "WarmupCosineLR", settings: settings, source: source)
    }
}
