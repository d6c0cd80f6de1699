/// Matrix multiplication, the operation most of a network's time goes into.
extension Tensor {
    /// The matrix product `self · other`, like `torch.matmul`.
    ///
    /// ```
    /// [n, k] · [k, m]          → [n, m]
    /// [..., n, k] · [k, m]     → [..., n, m]   (leading dimensions flattened)
    /// [b, n, k] · [b, k, m]    → [b, n, m]     (batched)
    /// ```
    /// Backward: ∂L/∂A = ∂L/∂C · Bᵀ and ∂L/∂B = Aᵀ · ∂L/∂C.
    ///
    /// - Precondition: the inner dimensions agree; the message names both shapes.
    /// - Complexity: O(n·k·m).
    public func matmul(_ other: Tensor) -> Tensor {
        let a = self, b = other
        precondition(a.rank >= 2 && b.rank >= 2, "matmul: \(a.shape) × \(b.shape): both operands need at least 2 dimensions")
        let k = a.shape[a.rank - 1]
        precondition(
            k == b.shape[b.rank - 2],
            "matmul: \(a.shape) × \(b.shape): inner dimensions \(k) and \(b.shape[b.rank - 2]) differ")
        let m = b.shape[b.rank - 1]
        // The values used now: an optimizer that updates a or b in place
        // before backward() must not change this gradient.
        let aValues = a.scalars, bValues = b.scalars
        if b.rank == 2 {
            let n = a.count / Swift.max(k, 1)
            let outShape = Array(a.shape.dropLast()) + [m]
            let out = Kernels.matmul(a.scalars, b.scalars, n: n, k: k, m: m)
            return Tensor.result(shape: outShape, scalars: out, inputs: [a, b]) { g in
                [a.requiresGrad ? Kernels.matmul(g, bValues, n: n, k: m, m: k, transposeB: true) : nil,
                 b.requiresGrad ? Kernels.matmul(aValues, g, n: k, k: n, m: m, transposeA: true) : nil]
            }
        }
        precondition(
            a.rank == 3 && b.rank == 3 && a.shape[0] == b.shape[0],
            "matmul: \(a.shape) × \(b.shape): batched matmul needs [b, n, k] × [b, k, m]")
        let batch = a.shape[0], n = a.shape[1]
        var out = [Float]()
        out.reserveCapacity(batch * n * m)
        for i in 0..<batch {
            out += Kernels.matmul(Array(a.scalars[(i * n * k)..<((i + 1) * n * k)]),
                                  Array(b.scalars[(i * k * m)..<((i + 1) * k * m)]), n: n, k: k, m: m)
        }
        return Tensor.result(shape: [batch, n, m], scalars: out, inputs: [a, b]) { g in
            var ga = [Float](), gb = [Float]()
            for i in 0..<batch {
                let gi = Array(g[(i * n * m)..<((i + 1) * n * m)])
                ga += Kernels.matmul(gi, Array(bValues[(i * k * m)..<((i + 1) * k * m)]), n: n, k: m, m: k, transposeB: true)
                gb += Kernels.matmul(Array(aValues[(i * n * k)..<((i + 1) * n * k)]), gi, n: k, k: n, m: m, transposeA: true)
            }
            return [ga, gb]
        }
    }
}

/// The hot numeric loops, written for speed.
enum Kernels {
    /// `C = op(A) · op(B)` for row-major matrices, where `op` optionally
    /// transposes; `C` is `[n, m]` and the shared dimension is `k`.
    ///
    /// `A` is `[n, k]` (or `[k, n]` when `transposeA`), `B` is `[k, m]` (or
    /// `[m, k]` when `transposeB`).
    static func matmul(
        _ a: [Float], _ b: [Float], n: Int, k: Int, m: Int,
        transposeA: Bool = false, transposeB: Bool = false
    ) -> [Float] {
        // Transposes are strides, not copies: see GEMM.
        let packedB = b.withUnsafeBufferPointer { b in
            MatrixMultiply.packed(b.baseAddress!, k: k, n: m, rowStride: transposeB ? 1 : m, columnStride: transposeB ? k : 1)
        }
        return [Float](unsafeUninitializedCapacity: n * m) { c, count in
            a.withUnsafeBufferPointer { a in
                packedB.withUnsafeBufferPointer { packedB in
                    MatrixMultiply.multiply(
                        m: n, n: m, k: k, a: a.baseAddress!,
                        aRowStride: transposeA ? 1 : k, aColumnStride: transposeA ? n : 1,
                        packedB: packedB.baseAddress!, c: c.baseAddress!, ldc: m, accumulate: false)
                }
            }
            count = n * m
        }
    }

    /// The transpose of a row-major `[rows, columns]` matrix.
    static func transposed2D(_ x: [Float], rows: Int, columns: Int) -> [Float] {
        var out = [Float](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                for r in 0..<rows {
                    for c in 0..<columns { o[c * rows + r] = x[r * columns + c] }
                }
            }
        }
        return out
    }
}
