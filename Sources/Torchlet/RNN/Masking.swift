// Masks from sequence lengths, and the masked mean and accuracy that keep
// padding out of a loss and a metric.
//
// A padded batch holds sequences of different lengths in one `[B, T]`
// grid; the positions past each length are padding. A mask is 1 at real
// tokens and 0 at padding, and every average over the batch should count
// only the ones.

/// A mask that is 1 at the real tokens of each sequence and 0 at padding,
/// like `torch.arange(T)[None, :] < lengths[:, None]`.
///
/// ```
/// mask[b, t] = 1 if t < lengths[b] else 0      batchFirst: shape [B, T]
/// mask[t, b] = 1 if t < lengths[b] else 0      otherwise:  shape [T, B]
/// ```
///
/// ```swift
/// lengthMask(lengths: [3, 1]).scalars          // [1, 1, 1,  1, 0, 0]   shape [2, 3]
/// lengthMask(lengths: [3, 1], batchFirst: false).shape   // [3, 2]
/// ```
///
/// - Parameters:
///   - lengths: the number of real tokens of each sequence.
///   - maxLength: the padded length `T`; by default the longest length
///     (0 for an empty batch).
///   - batchFirst: put the batch first (`[B, T]`) or time first (`[T, B]`),
///     as in `LSTM(batchFirst:)`.
/// - Precondition: every length is in `0...maxLength`.
public func lengthMask(lengths: [Int], maxLength: Int? = nil, batchFirst: Bool = true) -> Tensor {
    let steps = maxLength ?? (lengths.max() ?? 0)
    precondition(steps >= 0, "lengthMask: maxLength must be non-negative, got \(steps)")
    for (b, length) in lengths.enumerated() {
        precondition(
            length >= 0 && length <= steps,
            "lengthMask: length \(length) of sequence \(b) is out of range 0...\(steps) (maxLength)")
    }
    let batch = lengths.count
    var values = [Float](repeating: 0, count: batch * steps)
    for (b, length) in lengths.enumerated() {
        for t in 0..<length {
            values[batchFirst ? b * steps + t : t * batch + b] = 1
        }
    }
    return Tensor(values, shape: batchFirst ? [batch, steps] : [steps, batch])
}

/// The mean of `values` over the positions where `mask` is nonzero,
/// weighted by the mask; differentiable.
///
/// ```
/// maskedMean(v, m) = Σ v · m / Σ m
/// ```
///
/// With a 0/1 mask this is the mean over the real tokens only, so
/// `maskedMean(crossEntropy(logits, targets: t, reduction: .none), mask: m)`
/// equals `crossEntropy(logits, targets: t, ignoreIndex: pad)` when `m` is
/// 0 exactly where `t` is `pad`. Dividing by `values.count` instead would
/// let the padding pull the loss toward 0. With an all-zero mask the result
/// is NaN (0 / 0), as in PyTorch.
///
/// - Precondition: `values` and `mask` have the same shape.
public func maskedMean(_ values: Tensor, mask: Tensor) -> Tensor {
    precondition(
        values.shape == mask.shape,
        "maskedMean: values shape \(values.shape) and mask shape \(mask.shape) differ")
    return (values * mask).sum() / mask.sum()
}

/// The share of positions whose highest-scoring class is the target,
/// counting only targets that are not `ignoreIndex`.
///
/// ```
/// accuracy = #{n : argmax_c logits[n, c] = targets[n] ≠ ignoreIndex} / #{n : targets[n] ≠ ignoreIndex}
/// ```
///
/// Counting the padding positions too would reward a model for predicting
/// the padding tag. Returns NaN when every target is ignored.
///
/// - Parameters:
///   - logits: `[N, C]` scores (flatten `[B, T, C]` to `[B·T, C]`).
///   - targets: `N` class indices.
///   - ignoreIndex: the target value that marks padding, like `ignore_index`.
/// - Precondition: `logits` is `[N, C]` and there are `N` targets.
public func maskedAccuracy(logits: Tensor, targets: [Int], ignoreIndex: Int = -100) -> Double {
    precondition(
        logits.rank == 2,
        "maskedAccuracy: logits shape \(logits.shape) should be [N, C] (flatten [B, T, C] to [B·T, C])")
    precondition(
        targets.count == logits.shape[0],
        "maskedAccuracy: \(targets.count) targets for \(logits.shape[0]) rows of logits \(logits.shape)")
    let predictions = logits.argmax(dim: 1)
    var counted = 0, correct = 0
    for (prediction, target) in zip(predictions, targets) where target != ignoreIndex {
        counted += 1
        if prediction == target { correct += 1 }
    }
    return counted == 0 ? .nan : Double(correct) / Double(counted)
}

// MARK: - Shared by the masked reductions

/// Whether each element of `shape` is valid: `mask` (nonzero = valid)
/// broadcast to `shape`, row-major.
///
/// - Precondition: `mask` broadcasts to `shape` (not the other way round);
///   the message names `op` and, for a `[B, T]` mask on `[B, T, H]`
///   values, suggests `unsqueezed(dim: -1)`.
func validPositions(_ mask: Tensor, broadcastTo shape: [Int], op: String, valuesName: String) -> [Bool] {
    let fits: Bool = {
        guard mask.rank <= shape.count else { return false }
        for (m, s) in zip(mask.shape.reversed(), shape.reversed()) where m != s && m != 1 { return false }
        return true
    }()
    precondition(
        fits,
        "\(op): mask shape \(mask.shape) does not broadcast to \(valuesName) shape \(shape)"
            + (mask.rank == shape.count - 1 && Array(shape.prefix(mask.rank)) == mask.shape
                ? " (for a mask of the first \(mask.rank) dimensions, pass mask.unsqueezed(dim: -1))" : ""))
    if mask.shape == shape { return mask.scalars.map { $0 != 0 } }
    return Broadcasting.sourceOffsets(from: mask.shape, to: shape).map { mask.scalars[$0] != 0 }
}

/// The slice of `shape` along `dim` at position `(outer, inner)`, written
/// as an index with `:` at `dim`, such as `[2, :, 0]`, for messages.
func sliceDescription(shape: [Int], dim: Int, outer: Int, inner: Int) -> String {
    var parts: [String] = []
    var rest = outer
    var before: [Int] = []
    for d in stride(from: dim - 1, through: 0, by: -1) {
        before.insert(rest % shape[d], at: 0)
        rest /= shape[d]
    }
    var after: [Int] = []
    rest = inner
    for d in stride(from: shape.count - 1, to: dim, by: -1) {
        after.insert(rest % shape[d], at: 0)
        rest /= shape[d]
    }
    parts = before.map(String.init) + [":"] + after.map(String.init)
    return "[" + parts.joined(separator: ", ") + "]"
}
