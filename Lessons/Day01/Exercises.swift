/*:
 Fill in each function below: delete the `throw TODO(…)` line and write the
 body. Run `swift run day1` to see your code used by the lesson, and
 `swift run grade --day 1` to have it graded (each exercise: passed,
 failed with expected vs. got and a hint, or not attempted). The reference
 solutions are in `Solutions/Day01.swift`; try first, then compare.
 */
import Course
import Torchlet

/// Exercise 1.1: computes one LSTM cell step with plain tensor operations.
///
/// Use PyTorch's layout: `weightIH` is `[4H, I]`, `weightHH` is `[4H, H]`,
/// the biases are `[4H]`, and the four gate blocks are in the order
/// i, f, g, o. `input` is `[B, I]`; `state.h` and `state.c` are `[B, H]`.
/// Return the new `(h, c)`.
///
/// Hints: `matmul`, `transposed()`, `chunked(into:dim:)`, `sigmoid()`,
/// `tanh()`. See "What does an LSTM cell compute?" in the lesson.
func lstmCellStep(
    _ input: Tensor, _ state: LSTMState,
    weightIH: Tensor, weightHH: Tensor, biasIH: Tensor, biasHH: Tensor
) throws -> LSTMState {
    throw TODO("1.1")
}

/// Exercise 1.2: computes log(softmax(logits)) over the last dimension
/// without overflowing, even for logits of ±1000.
///
/// Do not call `Tensor.logSoftmax`. Hints: `max(dim:keepDim:)`, `exp()`,
/// `sum(dim:keepDim:)`, `log()`. See "Why log-softmax and not softmax then
/// log?" in the lesson.
func stableLogSoftmax(_ logits: Tensor) throws -> Tensor {
    throw TODO("1.2")
}

/// Exercise 1.3: performs one training step and returns the loss (its
/// value before the update).
///
/// `computeLoss` runs the model forward and returns a scalar loss. You
/// decide what happens before and after calling it. See "What is one
/// training step?" in the lesson.
func trainStep(optimizer: Optimizer, computeLoss: () -> Tensor) throws -> Float {
    throw TODO("1.3")
}

/// Exercise 1.4: returns the share of rows of `logits` (`[N, C]`) whose
/// highest score is at the index given by `targets` (`N` class indices).
///
/// Hint: `argmax(dim:)`. See "How do we measure a tagger?" in the lesson.
func accuracy(logits: Tensor, targets: [Int]) throws -> Double {
    throw TODO("1.4")
}
