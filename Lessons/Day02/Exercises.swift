/*:
 Fill in each function below: delete the `throw TODO(…)` line and write the
 body. Run `swift run day2` to see your code used by the lesson, and
 `swift run grade --day 2` to have it graded (each exercise: passed,
 failed with expected vs. got and a hint, or not attempted). The reference
 solutions are in `Solutions/Day02.swift`; try first, then compare.
 */
import Course
import Torchlet

/// Exercise 2.1: splits the positions `0..<count` into `k` folds for
/// cross-validation, without shuffling, as scikit-learn's `KFold` does.
///
/// Fold `f` is a consecutive run of positions. The first `count % k` folds
/// have `count / k + 1` positions, the others `count / k`:
///
/// ```
/// kFoldSplits(count: 7, k: 3)
/// // validation [0, 1, 2]  train [3, 4, 5, 6]
/// // validation [3, 4]     train [0, 1, 2, 5, 6]
/// // validation [5, 6]     train [0, 1, 2, 3, 4]
/// ```
///
/// Return one `(train, validation)` pair per fold, in fold order; list the
/// training positions in increasing order. You may assume
/// `2 <= k <= count`. Torchlet's `KFold` does the same (do not call it).
/// See "When is k-fold cross-validation worth it?" in the lesson.
func kFoldSplits(count: Int, k: Int) throws -> [(train: [Int], validation: [Int])] {
    throw TODO("2.1")
}

/// Exercise 2.2: one epoch of minibatches of the positions `0..<count`, in
/// a random order drawn from `generator`.
///
/// Draw a random order of all `count` positions (for example
/// `generator.permutation(count)`), then cut it into consecutive batches of
/// `batchSize`. The last batch may be shorter; with `dropLast` a last batch
/// shorter than `batchSize` is left out (a full one is kept).
///
/// The check does not expect one particular order. It checks that every
/// position appears at most once (exactly once without `dropLast`), the
/// batch sizes, that the order is random (not `0, 1, 2, …`, and batches are
/// not just the blocks `0..<b`, `b..<2b`, … in another order), that it
/// comes from `generator` alone (the same seed gives the same batches,
/// another seed others), that calling again with the same generator gives a
/// new order (the next epoch), and that with `dropLast` no position is left
/// out in every epoch. See "What does a data loader do?" in the lesson.
func minibatches(count: Int, batchSize: Int, dropLast: Bool, generator: Generator) throws -> [[Int]] {
    throw TODO("2.2")
}

/// Exercise 2.3: the mean loss per token of `model` over `batches`, measured
/// the way evaluation must be: in eval mode and without a graph.
///
/// `loss(batch)` runs the model on one batch and returns that batch's mean
/// loss per token (a scalar tensor). Return the mean over *all tokens*:
///
/// ```
/// Σ_b tokens_b · loss_b / Σ_b tokens_b        tokens_b = batch.tokenCount
/// ```
///
/// which is not the mean of the batch means when batches differ in size.
/// Contract, checked by the tests:
/// - while `loss` runs the model is in eval mode (`model.eval()`), so
///   dropout is off and the result is deterministic;
/// - no graph is recorded (`withNoGrad`), since nothing calls `backward()`;
/// - on return the model is back in the mode it had before (`isTraining`),
///   so a training loop that calls this between epochs goes on training.
///
/// You may assume `batches` is not empty. See "How do we measure the
/// validation loss?" in the lesson.
func evaluate(_ model: Module, batches: [TaggingBatch], loss: (TaggingBatch) -> Tensor) throws -> Float {
    throw TODO("2.3")
}
