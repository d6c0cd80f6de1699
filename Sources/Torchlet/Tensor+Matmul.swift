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
        var c = [Float](repeating: 0, count: n * m)
        // Transposed operands: make them contiguous first so the inner loop stays unit-stride.
        let aRows = transposeA ? transposed2D(a, rows: k, columns: n) : a
        let bRows = transposeB ? transposed2D(b, rows: m, columns: k) : b
        aRows.withUnsafeBufferPointer { a in
            bRows.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    gemmAccumulate(a.baseAddress!, b.baseAddress!, c.baseAddress!, n: n, k: k, m: m)
                }
            }
        }
        return c
    }

    /// `C += A · B` on raw row-major buffers: `A` `[n, k]`, `B` `[k, m]`,
    /// `C` `[n, m]`.
    ///
    /// The loop order i-p-j keeps the innermost loop running along a row of
    /// `B` and a row of `C`, both contiguous, so the compiler vectorizes it
    /// with SIMD; pointers avoid Array's bounds checks and copy-on-write
    /// checks in the hot loop.
    @inline(__always)
    static func gemmAccumulate(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
        n: Int, k: Int, m: Int
    ) {
        for i in 0..<n {
            let cRow = c + i * m
            for p in 0..<k {
                let aip = a[i * k + p]
                let bRow = b + p * m
                for j in 0..<m { cRow[j] += aip * bRow[j] }
            }
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
