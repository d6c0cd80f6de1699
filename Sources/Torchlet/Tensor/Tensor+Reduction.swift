/// Reductions: sums, means and maxima over all values or one dimension.
extension Tensor {
    /// The sizes before, along and after dimension `d`, so a value sits at
    /// `(outer · size + i) · inner + j`.
    func split(around d: Int) -> (outer: Int, size: Int, inner: Int) {
        (shape[..<d].reduce(1, *), shape[d], shape[(d + 1)...].reduce(1, *))
    }

    /// The sum of all values, a scalar tensor. ∂/∂x = 1.
    public func sum() -> Tensor {
        var total: Float = 0
        for x in scalars { total += x }
        let n = count
        return Tensor.result(op: "sum", shape: [], scalars: [total], inputs: [self]) { g in
            [[Float](repeating: g[0], count: n)]
        }
    }

    /// The mean of all values, a scalar tensor; NaN for an empty tensor, as in PyTorch.
    public func mean() -> Tensor {
        sum() / Float(count)
    }

    /// The sum over dimension `dim`, like `tensor.sum(dim, keepdim)`.
    public func sum(dim: Int, keepDim: Bool = false) -> Tensor {
        let d = normalizedDim(dim, op: "sum")
        let (outer, size, inner) = split(around: d)
        var out = [Float](repeating: 0, count: outer * inner)
        for o in 0..<outer {
            for i in 0..<size {
                let base = (o * size + i) * inner
                for j in 0..<inner { out[o * inner + j] += scalars[base + j] }
            }
        }
        var outShape = shape
        if keepDim { outShape[d] = 1 } else { outShape.remove(at: d) }
        let inShape = shape
        return Tensor.result(op: "sum", shape: outShape, scalars: out, inputs: [self]) { g in
            var gx = [Float](repeating: 0, count: inShape.reduce(1, *))
            for o in 0..<outer {
                for i in 0..<size {
                    let base = (o * size + i) * inner
                    for j in 0..<inner { gx[base + j] = g[o * inner + j] }
                }
            }
            return [gx]
        }
    }

    /// The mean over dimension `dim`, like `tensor.mean(dim, keepdim)`; NaN
    /// over an empty dimension, as in PyTorch.
    public func mean(dim: Int, keepDim: Bool = false) -> Tensor {
        let d = normalizedDim(dim, op: "mean")
        return sum(dim: d, keepDim: keepDim) / Float(shape[d])
    }

    /// The maximum over dimension `dim`, like `tensor.max(dim).values` (NaN
    /// where the slice holds one); the gradient goes to the first maximal element.
    public func max(dim: Int, keepDim: Bool = false) -> Tensor {
        let d = normalizedDim(dim, op: "max")
        let (outer, size, inner) = split(around: d)
        precondition(size > 0, "max: dimension \(dim) of shape \(shape) is empty")
        let winners = argmax(dim: d)
        var out = [Float](repeating: 0, count: outer * inner)
        for o in 0..<outer {
            for j in 0..<inner { out[o * inner + j] = scalars[(o * size + winners[o * inner + j]) * inner + j] }
        }
        var outShape = shape
        if keepDim { outShape[d] = 1 } else { outShape.remove(at: d) }
        let n = count
        return Tensor.result(op: "max", shape: outShape, scalars: out, inputs: [self]) { g in
            var gx = [Float](repeating: 0, count: n)
            for o in 0..<outer {
                for j in 0..<inner { gx[(o * size + winners[o * inner + j]) * inner + j] = g[o * inner + j] }
            }
            return [gx]
        }
    }

    /// The index of the largest value along `dim` (the first on ties, and
    /// the first NaN where there is one, as in PyTorch), with that dimension
    /// removed, row-major. Not differentiable.
    public func argmax(dim: Int = -1) -> [Int] {
        let d = normalizedDim(dim, op: "argmax")
        let (outer, size, inner) = split(around: d)
        precondition(size > 0, "argmax: dimension \(dim) of shape \(shape) is empty")
        var result = [Int](repeating: 0, count: outer * inner)
        for o in 0..<outer {
            for j in 0..<inner {
                var best = 0
                var bestValue = -Float.infinity
                for i in 0..<size {
                    let v = scalars[(o * size + i) * inner + j]
                    if i == 0 || v > bestValue || (v.isNaN && !bestValue.isNaN) { best = i; bestValue = v }
                }
                result[o * inner + j] = best
            }
        }
        return result
    }
}
