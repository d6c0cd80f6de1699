import Foundation

/// The softmax of `scores` along `dim` over the valid positions only (where
/// `mask` is nonzero), with 0 at padding, like PyTorch's
/// `scores.masked_fill(mask == 0, float("-inf")).softmax(dim)`.
///
/// ```
/// yᵢ = exp(xᵢ − m) / Σ_{j valid} exp(xⱼ − m)   if i is valid,   m = max_{j valid} xⱼ
/// yᵢ = 0                                         if i is padding
/// ∂L/∂xᵢ = yᵢ (gᵢ − Σⱼ gⱼ yⱼ)                    (0 at padding)
/// ```
///
/// This is the attention step of attention pooling: scores of each time
/// step become weights that sum to 1 over the real tokens, so padding gets
/// no weight and the weighted sum of the outputs ignores it. The maximum
/// is taken over the valid positions only, as in `softmax(dim:)`, so
/// `exp` never sees a positive argument; a padding score of 1e30 changes
/// nothing (it is never read).
///
/// ```swift
/// let scores = Tensor([[1, 2, 9], [0, 0, 0]])
/// let mask = lengthMask(lengths: [2, 3])          // [[1, 1, 0], [1, 1, 1]]
/// maskedSoftmax(scores, mask: mask, dim: 1).scalars
/// // [0.269, 0.731, 0,  0.333, 0.333, 0.333]
/// ```
///
/// A slice with no valid position is a precondition failure naming the
/// slice, where PyTorch returns NaN: a softmax over nothing has no value,
/// and a NaN (or the zeros some libraries return) would flow silently into
/// the loss, while the cause, almost always a sequence of length 0 or a
/// mask built with the wrong layout, is easiest to fix where it shows up.
/// If all-padding slices are expected (padded queries in self-attention),
/// give them one valid position and discard their output.
///
/// - Parameters:
///   - scores: any shape.
///   - mask: 1 (nonzero) at valid positions, 0 at padding; it broadcasts to
///     `scores` (a `[B, T]` `lengthMask` for `[B, T]` scores, `[B, 1, T]`
///     for `[B, Q, T]`). It is a constant: no gradient flows to it.
///   - dim: the dimension to normalize over (negative counts from the end).
/// - Precondition: `mask` broadcasts to `scores`, and every slice along
///   `dim` has at least one valid position.
public func maskedSoftmax(_ scores: Tensor, mask: Tensor, dim: Int) -> Tensor {
    let d = scores.normalizedDim(dim, op: "maskedSoftmax")
    let valid = validPositions(mask, broadcastTo: scores.shape, op: "maskedSoftmax", valuesName: "scores")
    let x = scores.scalars
    var out = [Float](repeating: 0, count: scores.count)
    let (outer, size, inner) = scores.split(around: d)
    for o in 0..<outer {
        for j in 0..<inner {
            let offsets = stride(from: o * size * inner + j, to: (o + 1) * size * inner + j, by: inner)
            var m = -Float.infinity
            var any = false
            for i in offsets where valid[i] {
                m = Swift.max(m, x[i])
                any = true
            }
            precondition(
                any,
                "maskedSoftmax: scores\(sliceDescription(shape: scores.shape, dim: d, outer: o, inner: j)) "
                    + "has no valid position (the mask is 0 all along dim \(dim) of scores \(scores.shape)); "
                    + "is a sequence of length 0, or is the mask in the wrong layout?")
            var total: Float = 0
            for i in offsets where valid[i] {
                out[i] = Foundation.exp(x[i] - m)
                total += out[i]
            }
            for i in offsets where valid[i] { out[i] /= total }
        }
    }
    return Tensor.result(op: "maskedSoftmax", shape: scores.shape, scalars: out, inputs: [scores]) { [scores] g in
        // The softmax rule; padding has y = 0, so its gradient is 0.
        var gx = [Float](repeating: 0, count: g.count)
        scores.forEachSlice(along: d) { offsets in
            var dot: Float = 0
            for i in offsets { dot += g[i] * out[i] }
            for i in offsets { gx[i] = out[i] * (g[i] - dot) }
        }
        return [gx]
    }
}
