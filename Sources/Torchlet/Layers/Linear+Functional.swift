/// The affine map `y = x Wᵀ + b` as one operation, like `F.linear`: what
/// ``Linear`` computes.
///
/// ```
/// x [..., in] · Wᵀ [in, out] + b [out]  →  y [..., out]
/// ∂L/∂x = ∂L/∂y · W        ∂L/∂W = (∂L/∂y)ᵀ · x        ∂L/∂b = Σ_rows ∂L/∂y
/// ```
/// The same values as `x.matmul(weight.transposed()) + bias`, bit for bit,
/// without what that composition costs at a language model's decoder
/// (`[2240, 512] → [2240, 10000]`): no transposed copy of `W` (each product
/// reads its operands through strides, see `GEMM`), the bias added in place
/// rather than into a second `[rows, out]` array, and the weight gradient
/// computed as `gᵀ · x` so that the small `x`, not the large gradient, is
/// what the matrix product packs.
///
/// - Parameters:
///   - input: `[..., inFeatures]`, any number of leading dimensions.
///   - weight: `[outFeatures, inFeatures]`.
///   - bias: `[outFeatures]`, or `nil`.
/// - Precondition: the shapes agree as above.
/// - Complexity: O(rows · in · out).
public func linear(_ input: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
    precondition(weight.rank == 2, "linear: weight shape \(weight.shape) should be [outFeatures, inFeatures]")
    let outFeatures = weight.shape[0], inFeatures = weight.shape[1]
    precondition(
        input.rank >= 1 && input.shape.last == inFeatures,
        "linear: input shape \(input.shape) does not end in inFeatures = \(inFeatures)")
    if let bias {
        precondition(bias.shape == [outFeatures], "linear: bias shape \(bias.shape) should be [\(outFeatures)]")
    }
    let rows = input.shape.dropLast().reduce(1, *)  // not count / inFeatures: inFeatures may be 0
    // The values used now: an optimizer that updates W in place before
    // backward() must not change this gradient.
    let x = input.scalars, w = weight.scalars, b = bias?.scalars
    // y = x · Wᵀ, Wᵀ's element (p, j) being W[j, p].
    var y = MatrixMultiply.product(a: x, aRowStride: inFeatures, aColumnStride: 1,
                                   b: w, bRowStride: 1, bColumnStride: inFeatures, m: rows, n: outFeatures, k: inFeatures)
    if let b { LinearKernel.addRows(b, to: &y) }
    let inputs = [input, weight] + (bias.map { [$0] } ?? [])
    return Tensor.result(op: "linear", shape: input.shape.dropLast() + [outFeatures], scalars: y, inputs: inputs) { g in
        // ∂L/∂x = g · W: [rows, out] · [out, in].
        let gx = input.requiresGrad
            ? MatrixMultiply.product(a: g, aRowStride: outFeatures, aColumnStride: 1,
                                     b: w, bRowStride: inFeatures, bColumnStride: 1, m: rows, n: inFeatures, k: outFeatures)
            : nil
        // ∂L/∂W = gᵀ · x: [out, rows] · [rows, in], gᵀ read through strides.
        let gw = weight.requiresGrad
            ? MatrixMultiply.product(a: g, aRowStride: 1, aColumnStride: outFeatures,
                                     b: x, bRowStride: inFeatures, bColumnStride: 1, m: outFeatures, n: inFeatures, k: rows)
            : nil
        let gb = bias?.requiresGrad == true ? Broadcasting.columnSums(g, columns: outFeatures) : nil
        return [gx, gw] + (bias == nil ? [] : [gb])
    }
}

/// The loops behind ``linear(_:weight:bias:)``.
enum LinearKernel {
    /// `y[r, j] += b[j]` for every row `r`, in place; a large `y` (a
    /// language model's `[2240, 10000]` logits) split by rows across threads.
    static func addRows(_ b: [Float], to y: inout [Float]) {
        let n = b.count, rows = n == 0 ? 0 : y.count / n
        let parts = y.count >= Parallelism.minimumValuesToSplit ? Swift.min(Parallelism.threadCount, rows) : 1
        b.withUnsafeBufferPointer { b in
            y.withUnsafeMutableBufferPointer { y in
                Parallelism.perform(parts) { part in
                    for r in (rows * part / parts)..<(rows * (part + 1) / parts) {
                        let row = y.baseAddress! + r * n
                        for j in 0..<n { row[j] += b[j] }
                    }
                }
            }
        }
    }
}
