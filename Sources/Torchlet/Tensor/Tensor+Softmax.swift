import Foundation

/// Softmax and log-softmax over one dimension, in their stable forms.
extension Tensor {
    /// Runs `body(row)` for every slice along `d`, giving it the offsets of
    /// the slice's values.
    func forEachSlice(along d: Int, _ body: (_ offsets: StrideTo<Int>) -> Void) {
        let (outer, size, inner) = split(around: d)
        for o in 0..<outer {
            for j in 0..<inner {
                let start = o * size * inner + j
                body(stride(from: start, to: start + size * inner, by: inner))
            }
        }
    }

    /// log(softmax(x)) along `dim`, computed stably, like `F.log_softmax`.
    ///
    /// ```
    /// logSoftmax(x)ᵢ = (xᵢ − m) − log Σⱼ exp(xⱼ − m),   m = maxⱼ xⱼ
    /// ```
    /// Subtracting the maximum first means `exp` never sees a positive
    /// argument, so logits of 1000 do not overflow to `inf` (and `log(0)`
    /// never happens for the largest entry). Backward:
    /// `∂L/∂xᵢ = gᵢ − softmax(x)ᵢ · Σⱼ gⱼ`.
    public func logSoftmax(dim: Int = -1) -> Tensor {
        let d = normalizedDim(dim, op: "logSoftmax")
        var out = [Float](repeating: 0, count: count)
        forEachSlice(along: d) { offsets in
            var m = -Float.infinity
            for i in offsets { m = Swift.max(m, scalars[i]) }
            var total: Float = 0
            for i in offsets { total += Foundation.exp(scalars[i] - m) }
            // (x − m) − log Σ, not x − (m + log Σ): m + log Σ would round
            // away the small log Σ when m is large (1000 + 0.313 in float32).
            let logTotal = Foundation.log(total)
            for i in offsets { out[i] = (scalars[i] - m) - logTotal }
        }
        return Tensor.result(op: "logSoftmax", shape: shape, scalars: out, inputs: [self]) { [self] g in
            var gx = [Float](repeating: 0, count: g.count)
            forEachSlice(along: d) { offsets in
                var gSum: Float = 0
                for i in offsets { gSum += g[i] }
                for i in offsets { gx[i] = g[i] - Foundation.exp(out[i]) * gSum }
            }
            return [gx]
        }
    }

    /// exp(xᵢ) / Σⱼ exp(xⱼ) along `dim`, stably, like `F.softmax`.
    ///
    /// Backward: `∂L/∂xᵢ = yᵢ (gᵢ − Σⱼ gⱼ yⱼ)`.
    public func softmax(dim: Int = -1) -> Tensor {
        let d = normalizedDim(dim, op: "softmax")
        var out = [Float](repeating: 0, count: count)
        forEachSlice(along: d) { offsets in
            var m = -Float.infinity
            for i in offsets { m = Swift.max(m, scalars[i]) }
            var total: Float = 0
            for i in offsets {
                out[i] = Foundation.exp(scalars[i] - m)
                total += out[i]
            }
            for i in offsets { out[i] /= total }
        }
        return Tensor.result(op: "softmax", shape: shape, scalars: out, inputs: [self]) { [self] g in
            var gx = [Float](repeating: 0, count: g.count)
            forEachSlice(along: d) { offsets in
                var dot: Float = 0
                for i in offsets { dot += g[i] * out[i] }
                for i in offsets { gx[i] = out[i] * (g[i] - dot) }
            }
            return [gx]
        }
    }
}
