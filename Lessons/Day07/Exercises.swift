/*:
 Fill in each function below: delete the `throw TODO(…)` line and write the
 body. Run `swift run day7` to see your code used by the lesson, and
 `swift run grade --day 7` to have it graded (each exercise: passed,
 failed with expected vs. got and a hint, or not attempted). The reference
 solutions are in `Solutions/Day07.swift`; try first, then compare.
 */
import Course
import Foundation
import Torchlet

/// Exercise 7.1: clips the gradients of `parameters` by their joint norm,
/// as `torch.nn.utils.clip_grad_norm_(parameters, maxNorm)` does, and
/// returns the norm *before* clipping.
///
/// ```
/// total = √(Σ over every parameter that has a gradient, Σ g²)
/// scale = min(1, maxNorm / (total + 1e-6))      every gradient *= scale
/// ```
///
/// One norm for all parameters together (not one per parameter), so the
/// direction of the whole gradient is kept. Below the threshold nothing
/// changes. Skip parameters whose `grad` is `nil`. Change the gradients in
/// place (`p.grad!.scalars`). Do not call `clipGradNorm`. See "What does
/// clipping do?" in the lesson.
@discardableResult
func clipGradientNorm(_ parameters: [Tensor], maxNorm: Float) throws -> Float {
    throw TODO("7.1")
}

/// Exercise 7.2: one epoch's step of a reduce-on-plateau schedule, in
/// PyTorch's default mode (`mode='min'`, `threshold_mode='rel'`): updates
/// `state` after the epoch's validation `metric`.
///
/// 1. The metric is better if it is below `best · (1 − threshold)`: then
///    it becomes `best` and `badEpochs` goes back to 0; otherwise
///    `badEpochs` grows by 1.
/// 2. In a cooldown (`cooldownLeft > 0`): count it down by 1 and set
///    `badEpochs` to 0.
/// 3. If `badEpochs > patience`: the new rate is `max(learningRate ·
///    factor, minLR)`, taken only if it is more than `eps` below the old
///    one; then `cooldownLeft = cooldown` and `badEpochs = 0`.
///
/// Do not use `ReduceLROnPlateau`. See "How should the learning rate
/// change?" in the lesson.
func plateauStep(_ state: inout PlateauState, metric: Float, settings: PlateauSettings) throws {
    throw TODO("7.2")
}

/// Exercise 7.3: early stopping. Trains `model` one epoch at a time
/// (`trainOneEpoch`), measuring `validationLoss()` after each, for at most
/// `maxEpochs` epochs; stops after `patience` epochs in a row without a
/// new lowest loss. Keeps a copy of the weights (`model.stateDict()`) of
/// the epoch with the lowest loss and loads it back (`loadStateDict`)
/// before returning that epoch (from 1) and its loss.
///
/// ```
/// losses 0.9, 0.7, 0.8, 0.75, 0.72 with patience 3:
/// stops after epoch 5 (epochs 3, 4, 5 were no better than epoch 2),
/// the model holds epoch 2's weights; returns (2, 0.7)
/// ```
///
/// Only a loss strictly below the best so far counts as an improvement.
/// See "When do we stop, and which weights do we keep?" in the lesson.
func trainWithEarlyStopping(
    _ model: Module, maxEpochs: Int, patience: Int, trainOneEpoch: () -> Void, validationLoss: () -> Float
) throws -> (bestEpoch: Int, bestLoss: Float) {
    throw TODO("7.3")
}

/// Exercise 7.4: one Adam step by hand: updates `parameter` in place from
/// its gradient, with the moment estimates `m` and `v` (one value per
/// element, zeros before the first step) and bias correction; `step` is
/// the number of this step, from 1.
///
/// ```
/// m = β₁ m + (1 − β₁) g          m̂ = m / (1 − β₁^step)
/// v = β₂ v + (1 − β₂) g²         v̂ = v / (1 − β₂^step)
/// p = p − lr · m̂ / (√v̂ + ε)
/// ```
///
/// Do not use `Adam`. See "What does Adam do that SGD does not?" in the
/// lesson.
func adamStep(
    _ parameter: Tensor, m: inout [Float], v: inout [Float], step: Int,
    learningRate: Float, beta1: Float, beta2: Float, epsilon: Float
) throws {
    throw TODO("7.4")
}
