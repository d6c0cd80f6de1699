/*:
 Fill in each function below: delete the `throw TODO(…)` line and write the
 body. Run `swift run day3` to see your code used by the lesson, and
 `swift run grade --day 3` to have it graded (each exercise: passed,
 failed with expected vs. got and a hint, or not attempted). The reference
 solutions are in `Solutions/Day03.swift`; try first, then compare.
 */
import Course
import Torchlet

/// Exercise 3.1: pads token sequences to the longest one and returns the
/// real lengths.
///
/// `padded` has one row per sequence (batch first), every row as long as
/// the longest sequence: the sequence's own values first, then
/// `paddingValue` up to that length. `lengths[i]` is the length of
/// `sequences[i]` before padding. This is `padSequence(_:batchFirst: true,
/// paddingValue:)` on token ids, in rows instead of one flat array.
///
/// ```
/// padBatch([[4, 5, 6], [7], [8, 9]], paddingValue: 0)
/// // padded  [[4, 5, 6], [7, 0, 0], [8, 9, 0]]
/// // lengths [3, 1, 2]
/// ```
///
/// See "Why pad?" in the lesson.
func padBatch(_ sequences: [[Int]], paddingValue: Int) throws -> (padded: [[Int]], lengths: [Int]) {
    throw TODO("3.1")
}

/// Exercise 3.2: returns the `[B, T]` mask of a padded batch: 1 where
/// `t < lengths[b]` (a real token), 0 at padding, with `B = lengths.count`
/// and `T = maxLength`.
///
/// Do not call `lengthMask`; build the values yourself and make a tensor
/// with `Tensor(values, shape:)`. See "What are the lengths for?" in the
/// lesson.
func mask(lengths: [Int], maxLength: Int) throws -> Tensor {
    throw TODO("3.2")
}

/// Exercise 3.3: returns the mean cross-entropy over the positions where
/// `mask` is 1, a scalar.
///
/// `logits` is `[N, C]` (a flattened `[B, T, C]`), `targets` has `N` class
/// indices and `mask` is `[N]` of 0s and 1s. The targets at padding
/// positions can be anything — another class, or `-100` — so only the mask
/// may decide which positions count. The result must equal
/// `crossEntropy(logits, targets: t, ignoreIndex: -100)` with `t` set to
/// `-100` wherever the mask is 0, in value *and* in gradient.
///
/// Do not use `ignoreIndex` or `maskedMean`. Hints:
/// `crossEntropy(_:targets:reduction: .none)` gives one loss per position;
/// then `*`, `sum()` and `/`. See "What does ignoreIndex do?" in the lesson.
func maskedCrossEntropy(logits: Tensor, targets: [Int], mask: Tensor) throws -> Tensor {
    throw TODO("3.3")
}

/// Exercise 3.4: returns the share of real tokens whose highest-scoring
/// tag is the right one.
///
/// `logits` is `[B, T, C]`, `targets` has `B·T` tag ids laid out row-major
/// as `[B, T]`, and `lengths` has `B` real lengths: position `(b, t)` is a
/// real token when `t < lengths[b]`, and its target is `targets[b·T + t]`.
/// The targets at padding positions can be anything (a PAD tag, `-100`, a
/// real tag), so use the lengths. See "How do we count accuracy on real
/// tokens only?" in the lesson.
func maskedAccuracy(logits: Tensor, targets: [Int], lengths: [Int]) throws -> Double {
    throw TODO("3.4")
}
