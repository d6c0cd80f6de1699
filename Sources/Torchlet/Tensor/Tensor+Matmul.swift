/// Matrix multiplication, the operation most of a network's time goes into.
extension Tensor {
    /// The matrix product `self · other`, like `torch.matmul`.
    ///
    /// ```
    /// [n, k] · [k, m]          → [n, m]
    /// [..., n, k] · [k, m]     → [..., n, m]   (leading dimensions flattened)
    /// [b, n, k] · [b, k, m]    → [b, n, m]     (batched)
    /// [k] · [k, m] → [m],  [..., n, k] · [k] → [..., n],  [k] · [k] → []   (a vector, as in PyTorch)
    /// ```
    /// Backward: ∂L/∂A = ∂L/∂C · Bᵀ and ∂L/∂B = Aᵀ · ∂L/∂C.
    ///
    /// - Precondition: the inner dimensions agree; the message names both shapes.
    /// - Complexity: O(n·k·m).
    public func matmul(_ other: Tensor) -> Tensor {
        let a = self, b = other
        precondition(a.rank >= 1 && b.rank >= 1, "matmul: \(a.shape) × \(b.shape): both operands need at least 1 dimension")
        if a.rank == 1 || b.rank == 1 {
            // A vector is a matrix of one row (on the left) or one column (on the right), dropped from the result.
            precondition(a.rank == 1 ? b.rank <= 2 : true, "matmul: \(a.shape) × \(b.shape): a vector on the left takes a matrix or a vector")
            let k = a.shape[a.rank - 1], kb = b.shape[b.rank == 1 ? 0 : b.rank - 2]
            precondition(k == kb, "matmul: \(a.shape) × \(b.shape): inner dimensions \(k) and \(kb) differ")
            var out = (a.rank == 1 ? a.unsqueezed(dim: 0) : a).matmul(b.rank == 1 ? b.unsqueezed(dim: 1) : b)
            if b.rank == 1 { out = out.squeezed(dim: -1) }
            if a.rank == 1 { out = out.squeezed(dim: b.rank == 1 ? 0 : -2) }
            return out
        }
        let k = a.shape[a.rank - 1]
        precondition(
            k == b.shape[b.rank - 2],
            "matmul: \(a.shape) × \(b.shape): inner dimensions \(k) and \(b.shape[b.rank - 2]) differ")
        let m = b.shape[b.rank - 1]
        // The values used now: an optimizer that updates a or b in place
        // before backward() must not change this gradient.
        let aValues = a.scalars, bValues = b.scalars
        if b.rank == 2 {
            let n = a.shape.dropLast().reduce(1, *)  // not count / k: k may be 0
            let outShape = Array(a.shape.dropLast()) + [m]
            let out = MatrixMultiply.matmul(a.scalars, b.scalars, n: n, k: k, m: m)
            return Tensor.result(op: "matmul", shape: outShape, scalars: out, inputs: [a, b]) { g in
                [a.requiresGrad ? MatrixMultiply.matmul(g, bValues, n: n, k: m, m: k, transposeB: true) : nil,
                 b.requiresGrad ? MatrixMultiply.matmul(aValues, g, n: k, k: n, m: m, transposeA: true) : nil]
            }
        }
        precondition(
            a.rank == 3 && b.rank == 3 && a.shape[0] == b.shape[0],
            "matmul: \(a.shape) × \(b.shape): batched matmul needs [b, n, k] × [b, k, m]")
        let batch = a.shape[0], n = a.shape[1]
        var out = [Float]()
        out.reserveCapacity(batch * n * m)
        for i in 0..<batch {
            out += MatrixMultiply.matmul(Array(a.scalars[(i * n * k)..<((i + 1) * n * k)]),
                                  Array(b.scalars[(i * k * m)..<((i + 1) * k * m)]), n: n, k: k, m: m)
        }
        return Tensor.result(op: "matmul", shape: [batch, n, m], scalars: out, inputs: [a, b]) { g in
            var ga = [Float](), gb = [Float]()
            for i in 0..<batch {
                let gi = Array(g[(i * n * m)..<((i + 1) * n * m)])
                ga += MatrixMultiply.matmul(gi, Array(bValues[(i * k * m)..<((i + 1) * k * m)]), n: n, k: m, m: k, transposeB: true)
                gb += MatrixMultiply.matmul(Array(aValues[(i * n * k)..<((i + 1) * n * k)]), gi, n: k, k: n, m: m, transposeA: true)
            }
            return [ga, gb]
        }
    }
}
