/// The maximum of `values` along `dim` over the valid positions only (where
/// `mask` is nonzero): max pooling over time that padding never wins, like
/// PyTorch's `values.masked_fill(mask == 0, float("-inf")).max(dim).values`.
///
/// ```
/// out = max_{t valid} values[…, t, …]
/// ∂L/∂values[…, t, …] = g  at the first valid t that attains the maximum, 0 elsewhere
/// ```
///
/// Why a mask and not `values.max(dim:)`: padded steps hold whatever the
/// model computed there (LSTM outputs past the length, or zeros after
/// `padPackedSequence`), and a zero wins the max whenever every real value
/// of a feature is negative, as half of a `tanh` output's features often
/// are. Here padding is never read, whatever its value.
///
/// ```swift
/// let outputs = Tensor([[-3, -1, 0], [2, 5, 7]]).unsqueezed(dim: -1)   // [B 2, T 3, H 1]
/// let mask = lengthMask(lengths: [2, 3]).unsqueezed(dim: -1)           // [2, 3, 1]
/// maskedMax(outputs, mask: mask, dim: 1).scalars   // [-1, 7]   (outputs.max(dim: 1) gives [0, 7])
/// ```
///
/// A slice with no valid position is a precondition failure naming the
/// slice (PyTorch returns −inf): a maximum over nothing has no value, and
/// the cause is almost always a sequence of length 0 or a mask in the
/// wrong layout.
///
/// - Parameters:
///   - values: any shape, such as LSTM outputs `[B, T, H]` (batch first,
///     `dim: 1`) or `[T, B, H]` (time first, `dim: 0`).
///   - mask: 1 (nonzero) at valid positions, 0 at padding; it broadcasts to
///     `values`: a `lengthMask` `[B, T]` or `[T, B]` needs
///     `.unsqueezed(dim: -1)` to cover the features. It is a constant.
///   - dim: the dimension to pool over (negative counts from the end).
///   - keepDim: keep `dim` with size 1, as in `max(dim:keepDim:)`.
/// - Precondition: `mask` broadcasts to `values`, and every slice along
///   `dim` has at least one valid position.
/// - Complexity: O(`values.count`).
public func maskedMax(_ values: Tensor, mask: Tensor, dim: Int, keepDim: Bool = false) -> Tensor {
    let d = values.normalizedDim(dim, op: "maskedMax")
    let valid = validPositions(mask, broadcastTo: values.shape, op: "maskedMax", valuesName: "values")
    let x = values.scalars
    let (outer, size, inner) = values.split(around: d)
    // The offset in `values` of each output's winner.
    var winners = [Int](repeating: 0, count: outer * inner)
    var out = [Float](repeating: 0, count: outer * inner)
    for o in 0..<outer {
        for j in 0..<inner {
            var best = -1
            for t in 0..<size {
                let i = (o * size + t) * inner + j
                // `>` keeps the first of equal maxima, as `max(dim:)` does; a NaN wins, as there.
                if valid[i] && (best < 0 || x[i] > x[best] || (x[i].isNaN && !x[best].isNaN)) { best = i }
            }
            precondition(
                best >= 0,
                "maskedMax: values\(sliceDescription(shape: values.shape, dim: d, outer: o, inner: j)) "
                    + "has no valid position (the mask is 0 all along dim \(dim) of values \(values.shape)); "
                    + "is a sequence of length 0, or is the mask in the wrong layout?")
            winners[o * inner + j] = best
            out[o * inner + j] = x[best]
        }
    }
    var outShape = values.shape
    if keepDim { outShape[d] = 1 } else { outShape.remove(at: d) }
    let n = values.count
    return Tensor.result(op: "maskedMax", shape: outShape, scalars: out, inputs: [values]) { g in
        var gx = [Float](repeating: 0, count: n)
        for (k, i) in winners.enumerated() { gx[i] += g[k] }
        return [gx]
    }
}
