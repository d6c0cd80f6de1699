/*:
 Fill in each function below: delete the `throw TODO(…)` line and write the
 body. Run `swift run day5` to see your code used by the lesson, and
 `swift run grade --day 5` to have it graded (each exercise: passed,
 failed with expected vs. got and a hint, or not attempted). The reference
 solutions are in `Solutions/Day05.swift`; try first, then compare.
 */
import Course
import Torchlet

/// Exercise 5.1: returns each sequence's output at its last real step,
/// `output[b, lengths[b] − 1]`, as `[B, H]`, picked with one
/// `gather(dim:index:indexShape:)` along the time dimension.
///
/// `output` is `[B, T, H]` when `batchFirst`, else `[T, B, H]` (time
/// first, PyTorch's default). Every length is in `1...T`. Build an index
/// tensor of the output's shape with the time dimension of size 1, holding
/// `lengths[b] − 1` for every feature of sequence `b`, gather, and drop the
/// time dimension. Gradients must flow back to `output` (to the picked
/// steps only).
///
/// ```
/// // output [B 2, T 3, H 1] = [[[1], [2], [3]], [[4], [5], [6]]], lengths [2, 3]
/// lastValidOutput(output, lengths: [2, 3], batchFirst: true)   // [[2], [6]]
/// ```
///
/// Do not call `selected` or `narrowed` (no loop over the batch): one
/// `gather` does it. See "How do I read the last real step?" in the lesson.
func lastValidOutput(_ output: Tensor, lengths: [Int], batchFirst: Bool) throws -> Tensor {
    throw TODO("5.1")
}

/// Exercise 5.2: returns the sequence vector `[B, 2H]` of a bidirectional
/// LSTM from its batch-first output `[B, T, 2H]` (the forward direction's
/// outputs in the first `H` features, the backward direction's in the
/// last `H`), for sequences of the given lengths, right-padded.
///
/// The forward direction ends at step `lengths[b] − 1`, the backward one at
/// step 0: return `[forward at lengths − 1, backward at 0]`, which equals
/// `h_n` of a packed bidirectional run with its two directions
/// concatenated (`h_n[0]` then `h_n[1]`).
///
/// Do not run an `LSTM`, and do not call `padPackedSequence`. Your
/// `lastValidOutput` (5.1) may help. See "What is the last step of a
/// bidirectional LSTM?" in the lesson.
func bidirectionalSequenceVector(_ output: Tensor, lengths: [Int]) throws -> Tensor {
    throw TODO("5.2")
}

/// Exercise 5.3: pools a batch-first output `[B, T, H]` over the real
/// steps of each sequence: returns the mean `[B, H]` and the maximum
/// `[B, H]`, over `t < lengths[b]` only.
///
/// ```
/// mean[b, h] = Σ_{t < lengths[b]} output[b, t, h] / lengths[b]
/// max[b, h]  = max_{t < lengths[b]} output[b, t, h]
/// ```
///
/// Padding must neither count in the mean nor win the max, whatever its
/// values (after `padPackedSequence` they are zeros, which beat every
/// negative feature). Both must carry gradients to `output`.
///
/// Do not call `maskedMax` or `maskedMean`. Hints: `lengthMask(lengths:
/// maxLength:)`, `sum(dim:)`, `max(dim:)`. See "Can pooling use every step?"
/// in the lesson.
func maskedPooling(_ output: Tensor, lengths: [Int]) throws -> (mean: Tensor, max: Tensor) {
    throw TODO("5.3")
}

/// Exercise 5.4: attention pooling of a batch-first output `[B, T, H]`
/// with a learned `query` of `H` values: returns the pooled vectors
/// `[B, H]` and the attention weights `[B, T]`.
///
/// ```
/// score[b, t]   = Σ_h output[b, t, h] · query[h]
/// weight[b, t]  = exp(score[b, t]) / Σ_{s < lengths[b]} exp(score[b, s])   for t < lengths[b], else 0
/// pooled[b, h]  = Σ_t weight[b, t] · output[b, t, h]
/// ```
///
/// The weights of each sequence sum to 1 over its real steps and are 0 at
/// padding. Write the masked softmax yourself, in a stable form (its
/// largest exponent 0): do not call `maskedSoftmax`. Gradients must
/// flow to `output` and to `query`. See "Can the model choose which
/// steps to read?" in the lesson.
func attentionPooling(_ output: Tensor, lengths: [Int], query: Tensor) throws -> (pooled: Tensor, weights: Tensor) {
    throw TODO("5.4")
}
