import Course
import Foundation
import Torchlet

/// Reference solutions for Day 7, used as `Solutions.Day7.clipGradientNorm(…)`.
///
/// Each has the signature of its stub in `Lessons/Day07/Exercises.swift`,
/// without `throws`. Try the exercise first, then compare.
public enum Day7 {
    /// Exercise 7.1: scales every gradient so that their joint 2-norm is at
    /// most `maxNorm`, and returns the norm before clipping, as
    /// `torch.nn.utils.clip_grad_norm_` does.
    ///
    /// ```
    /// total = √(Σ over parameters with a gradient of Σ g²)
    /// scale = min(1, maxNorm / (total + 1e-6))
    /// ```
    @discardableResult
    public static func clipGradientNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
        let gradients = parameters.compactMap(\.grad)
        // Whole arrays at a time: an element-by-element write to `scalars` checks the shape on every write.
        let total = gradients.map { $0.scalars.reduce(0) { $0 + $1 * $1 } }.reduce(0, +).squareRoot()
        let scale = min(1, maxNorm / (total + 1e-6))
        if scale < 1 {
            for g in gradients { g.scalars = g.scalars.map { $0 * scale } }
        }
        return total
    }

    /// Exercise 7.2: one epoch's step of reduce-on-plateau (mode min,
    /// relative threshold), exactly as PyTorch's `ReduceLROnPlateau.step`.
    public static func plateauStep(_ state: inout PlateauState, metric: Float, settings: PlateauSettings) {
        if metric < state.best * (1 - settings.threshold) {
            state.best = metric
            state.badEpochs = 0
        } else {
            state.badEpochs += 1
        }
        if state.cooldownLeft > 0 {          // in cooldown: bad epochs do not count
            state.cooldownLeft -= 1
            state.badEpochs = 0
        }
        if state.badEpochs > settings.patience {
            let reduced = max(state.learningRate * settings.factor, settings.minLR)
            if state.learningRate - reduced > settings.eps { state.learningRate = reduced }
            state.cooldownLeft = settings.cooldown
            state.badEpochs = 0
        }
    }

    /// Exercise 7.3: trains epoch by epoch until the validation loss has not
    /// improved for `patience` epochs (or `maxEpochs` are done), keeping a
    /// copy of the weights of the best epoch, and puts them back at the end.
    public static func trainWithEarlyStopping(
        _ model: Module, maxEpochs: Int, patience: Int, trainOneEpoch: () -> Void, validationLoss: () -> Float
    ) -> (bestEpoch: Int, bestLoss: Float) {
        var best: (epoch: Int, loss: Float, weights: StateDict)?
        for epoch in 1...maxEpochs {
            trainOneEpoch()
            let loss = validationLoss()
            if best == nil || loss < best!.loss {
                best = (epoch, loss, model.stateDict())
            } else if epoch - best!.epoch >= patience {
                break
            }
        }
        try! model.loadStateDict(best!.weights)   // the model's own state dict: it always fits
        return (best!.epoch, best!.loss)
    }

    /// Exercise 7.4: one Adam update of `parameter` from its gradient, with
    /// bias correction, as `torch.optim.Adam` (no weight decay); `step` counts from 1.
    public static func adamStep(
        _ parameter: Tensor, m: inout [Float], v: inout [Float], step: Int,
        learningRate: Float, beta1: Float, beta2: Float, epsilon: Float
    ) {
        let g = parameter.grad!.scalars
        let correction1 = 1 - pow(beta1, Float(step)), correction2 = 1 - pow(beta2, Float(step))
        for i in g.indices {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i]
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
            let mHat = m[i] / correction1, vHat = v[i] / correction2
            parameter.scalars[i] -= learningRate * mHat / (vHat.squareRoot() + epsilon)
        }
    }
}
