/*:
 Fill in each function below: delete the `throw TODO(…)` line and write the
 body. Run `swift run day4` to see your code used by the lesson, and
 `swift run grade --day 4` to have it graded (each exercise: passed,
 failed with expected vs. got and a hint, or not attempted). The reference
 solutions are in `Solutions/Day04.swift`; try first, then compare.
 */
import Course
import Torchlet

/// Exercise 4.1: returns the batch sizes of a packed batch of sequences
/// with the given lengths: `batchSizes[t]` is how many sequences are still
/// running at step `t`, for `t` from 0 to the longest length − 1.
///
/// ```
/// batchSizes(lengths: [3, 4, 5])   // [3, 3, 3, 2, 1]
/// batchSizes(lengths: [7, 2, 2])   // [3, 3, 1, 1, 1, 1, 1]
/// ```
///
/// The lengths may come in any order (`enforceSorted: false`): the count of
/// running sequences does not depend on it. Every length is at least 1.
/// Do not call `packSequence` or `packPaddedSequence`.
/// See "Where do the batch sizes come from?" in the lesson.
func batchSizes(lengths: [Int]) throws -> [Int] {
    throw TODO("4.1")
}

/// Exercise 4.2: packs sequences of scalars, in any order, the way
/// `packSequence(_:enforceSorted: false)` does.
///
/// Return the packed `data` (step 0 of every sequence, longest sequence
/// first, then step 1 of every sequence that has one, …), the `batchSizes`,
/// and `sortedIndices`: `sortedIndices[k]` is the original index of the
/// k-th longest sequence. Sequences of equal length keep their original
/// order, as Torchlet's packing does (PyTorch leaves the order of ties
/// unspecified; `unsortedIndices` undoes either). Every sequence has at
/// least one value. Do not call `packSequence` or `packPaddedSequence`.
///
/// ```
/// pack([[1, 2, 3], [1, 2, 3, 4], [1, 2, 3, 4, 5]])
/// // data [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5], batchSizes [3, 3, 3, 2, 1], sortedIndices [2, 1, 0]
/// ```
///
/// See "What are `enforceSorted`, `sortedIndices` and `unsortedIndices`?"
/// in the lesson. Your `batchSizes(lengths:)` may help.
func pack(_ sequences: [[Float]]) throws -> (data: [Float], batchSizes: [Int], sortedIndices: [Int]) {
    throw TODO("4.2")
}

/// Exercise 4.3: unpacks packed scalar data into one padded row per
/// sequence, in the original order, the way
/// `padPackedSequence(_:batchFirst: true, paddingValue:totalLength:)` does
/// (do not call it).
///
/// `unsortedIndices[b]` is the sorted position of original sequence `b`
/// (for a batch packed with `enforceSorted: true`, pass `Array(0..<B)`).
/// Every row is padded with `paddingValue` to `totalLength` values, or to
/// the longest length when `totalLength` is `nil`. Return the rows and each
/// sequence's length, both in the original order.
///
/// ```
/// unpack(data: [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5], batchSizes: [3, 3, 3, 2, 1],
///        unsortedIndices: [2, 1, 0], totalLength: 6, paddingValue: 0)
/// // padded [[1, 2, 3, 0, 0, 0], [1, 2, 3, 4, 0, 0], [1, 2, 3, 4, 5, 0]], lengths [3, 4, 5]
/// ```
///
/// See "How do I get a padded tensor back?" in the lesson.
func unpack(
    data: [Float], batchSizes: [Int], unsortedIndices: [Int], totalLength: Int?, paddingValue: Float
) throws -> (padded: [[Float]], lengths: [Int]) {
    throw TODO("4.3")
}

/// Exercise 4.4: runs one LSTM layer over a packed batch with your own cell
/// step (exercise 1.1) and returns every sequence's final `(h, c)`, each
/// `[B, H]`, in the caller's order.
///
/// `packed.data` is `[N, I]`: the first `batchSizes[0]` rows are step 0 of
/// every sequence (longest first), the next `batchSizes[1]` rows step 1 of
/// those still running, and so on. Start from zero states `[batchSizes[0],
/// H]` (`H` is `weightHH.shape[1]`); at step `t` only the first
/// `batchSizes[t]` rows take a step, and the rows past them have ended:
/// their state is final. Put the final states back in the caller's order
/// with `packed.unsortedIndices` (`nil` when the batch was already sorted).
/// The weights are laid out as in exercise 1.1; call your `lstmCellStep`
/// for each step, and do not call `LSTM` or `LSTMCell`.
///
/// Hints: `narrowed(dim:start:length:)`, `Tensor(concatenating:dim:)`,
/// `indexSelect(dim:indices:)`. See "Can your own cell run a packed
/// batch?" in the lesson.
func packedFinalState(
    _ packed: PackedSequence, weightIH: Tensor, weightHH: Tensor, biasIH: Tensor, biasHH: Tensor
) throws -> LSTMState {
    throw TODO("4.4")
}
