import Dispatch

/// The fast matrix product every layer runs on: `C (+)= A · B` with a
/// register-blocked SIMD micro-kernel over packed panels of `B`.
///
/// Why it is shaped this way (the classic Goto/BLIS design, in small):
/// - **Packed panels.** `B` is copied once into panels of `nr` = 16 columns
///   (32 with AVX-512), each stored `[k][nr]` contiguously (the last panel zero-padded), so
///   the micro-kernel reads `B` with unit stride. A layer that multiplies
///   by the same weight at every time step packs it once per sequence.
/// - **Register blocking.** The micro-kernel keeps a 4 × 16 block of `C` in
///   8 eight-wide SIMD registers (4 × 32 in sixteen-wide ones) and, for
///   each `p`, loads two vectors of `B`, then broadcasts one value of each
///   of 4 rows of `A` and multiplies: 8 independent fused multiply-adds,
///   enough to hide the FMA latency on two FMA units, in 11 of AVX2's 16
///   vector registers. (A 6-row block measured 45% slower with AVX2: the
///   compiler spilled accumulators to the stack.)
/// - **Cache blocking.** `k` is cut into blocks of `kc` = 256 so a
///   `[kc][nr]` slice of a panel (16–32 KB) stays in L1 while it is reused
///   for every 4 rows of a block of `mc` = 96 rows of `A`, which stays in L2.
/// - **Strides, not copies, for transposes.** `A`'s element `(i, p)` is at
///   `a[i · rowStride + p · columnStride]`, so `Aᵀ · B` (every weight
///   gradient) needs no transposed copy.
///
/// `referenceMultiply` is the plain triple loop the tests compare it with.
///
/// This file is compiled twice: here for the portable target (AVX2 on
/// x86-64), and through a symbolic link in `TorchletWide` for AVX-512 with
/// sixteen-wide vectors; `MatrixMultiply` picks one at run time. So it uses
/// nothing else from Torchlet.
enum GEMM {
    /// The SIMD vector of the micro-kernel: eight floats (AVX2, NEON), or
    /// sixteen in a build for a CPU with AVX-512 (`TORCHLET_CPU=native`,
    /// see Package.swift).
    #if TORCHLET_WIDE_SIMD
    typealias Vector = SIMD16<Float>
    #else
    typealias Vector = SIMD8<Float>
    #endif
    /// Rows of `C` per micro-kernel call.
    static let mr = 4
    /// Columns of `C` per micro-kernel call: one packed panel, two vectors.
    static let nr = 2 * Vector.scalarCount
    static let kc = 256
    static let mc = 96

    /// The number of floats `packB` writes for a `[k, n]` matrix.
    static func packedCount(k: Int, n: Int) -> Int {
        ((n + nr - 1) / nr) * nr * k
    }

    /// Copies `B` `[k, n]` (element `(p, j)` at `b[p · rowStride + j ·
    /// columnStride]`) into zero-padded panels of `nr` columns, `[panel][k][nr]`.
    static func packB(
        _ b: UnsafePointer<Float>, k: Int, n: Int, rowStride: Int, columnStride: Int,
        into out: UnsafeMutablePointer<Float>
    ) {
        let panels = (n + nr - 1) / nr
        for panel in 0..<panels {
            let j0 = panel * nr
            let width = min(nr, n - j0)
            let dst = out + panel * k * nr
            for p in 0..<k {
                let row = dst + p * nr
                let src = b + p * rowStride + j0 * columnStride
                if columnStride == 1 {
                    for j in 0..<width { row[j] = src[j] }
                } else {
                    for j in 0..<width { row[j] = src[j * columnStride] }
                }
                for j in width..<nr { row[j] = 0 }
            }
        }
    }

    /// Packs `B` into a new array (see `packB`).
    static func packed(_ b: UnsafePointer<Float>, k: Int, n: Int, rowStride: Int, columnStride: Int) -> [Float] {
        return [Float](unsafeUninitializedCapacity: packedCount(k: k, n: n)) { buffer, count in
            packB(b, k: k, n: n, rowStride: rowStride, columnStride: columnStride, into: buffer.baseAddress!)
            count = packedCount(k: k, n: n)
        }
    }

    /// `C (+)= A · B` for `A` `[m, k]` given by strides, `B` packed by
    /// `packB`, and row-major `C` `[m, n]` with row stride `ldc`.
    ///
    /// - Parameters:
    ///   - accumulate: add to `C` (true) or overwrite it (false).
    ///   - threads: the most threads to use (large products only).
    ///   - perform: runs pieces `0..<count` of a job at once (Torchlet
    ///     passes its worker pool, `Parallelism.perform`).
    static func multiply(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, aRowStride: Int, aColumnStride: Int,
        packedB: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads maxThreads: Int = 1,
        perform: (_ count: Int, _ piece: (Int) -> Void) -> Void = { DispatchQueue.concurrentPerform(iterations: $0, execute: $1) }
    ) {
        guard m > 0 && n > 0 else { return }
        if k == 0 {
            if !accumulate { for i in 0..<m { for j in 0..<n { c[i * ldc + j] = 0 } } }
            return
        }
        let panels = (n + nr - 1) / nr
        // Two threads pay off only when each gets enough work to cover the
        // cost of waking it (a few microseconds): split the column panels.
        let threads = min(maxThreads, panels, max(1, m * n * k / minimumWorkPerThread))
        if threads > 1 {
            perform(threads) { t in
                multiply(panels: (panels * t / threads)..<(panels * (t + 1) / threads), m: m, n: n, k: k,
                         a: a, aRowStride: aRowStride, aColumnStride: aColumnStride, packedB: packedB,
                         c: c, ldc: ldc, accumulate: accumulate)
            }
        } else {
            multiply(panels: 0..<panels, m: m, n: n, k: k, a: a, aRowStride: aRowStride, aColumnStride: aColumnStride,
                     packedB: packedB, c: c, ldc: ldc, accumulate: accumulate)
        }
    }

    /// Multiply-adds per thread below which a second thread does not pay.
    /// (Measured: a 32 × 128 × 512 LSTM step, 2M, is slower on two threads;
    /// a 256³ product, 17M, is 1.6× faster.)
    static let minimumWorkPerThread = 1 << 22

    /// The blocked loops over the column panels in `panelRange`.
    static func multiply(
        panels panelRange: Range<Int>, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, aRowStride: Int, aColumnStride: Int,
        packedB: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
    ) {
        var p0 = 0
        while p0 < k {
            let kBlock = min(kc, k - p0)
            let add = accumulate || p0 > 0
            var i0 = 0
            while i0 < m {
                let mBlock = min(mc, m - i0)
                for panel in panelRange {
                    let j0 = panel * nr
                    let b = packedB + panel * k * nr + p0 * nr
                    var i = i0
                    while i < i0 + mBlock {
                        let rows = min(mr, i0 + mBlock - i)
                        microKernel(
                            k: kBlock, a: a + i * aRowStride + p0 * aColumnStride,
                            aRowStride: aRowStride, aColumnStride: aColumnStride, rows: rows,
                            b: b, c: c + i * ldc + j0, ldc: ldc, columns: min(nr, n - j0), accumulate: add)
                        i += mr
                    }
                }
                i0 += mBlock
            }
            p0 += kBlock
        }
    }

    /// One `mr` × `nr` block of `C` (fewer valid `rows`/`columns` at the
    /// edges: missing rows re-read row 0 and are not stored).
    @inline(__always)
    static func microKernel(
        k: Int, a: UnsafePointer<Float>, aRowStride: Int, aColumnStride: Int, rows: Int,
        b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, columns: Int, accumulate: Bool
    ) {
        typealias V = Vector
        let width = V.scalarCount * 4  // bytes per vector
        // Row pointers; missing rows at the bottom edge re-read row 0.
        var a0 = a
        var a1 = rows > 1 ? a + aRowStride : a
        var a2 = rows > 2 ? a + 2 * aRowStride : a
        var a3 = rows > 3 ? a + 3 * aRowStride : a
        var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V(), c30 = V(), c31 = V()
        var bp = UnsafeRawPointer(b)
        for _ in 0..<k {
            // Both vectors of B first, then one broadcast per row: 8
            // accumulators + 2 + 1 registers, which fits AVX2's 16.
            let b0 = bp.loadUnaligned(as: V.self)
            let b1 = bp.loadUnaligned(fromByteOffset: width, as: V.self)
            var s = a0.pointee
            c00.addProduct(s, b0); c01.addProduct(s, b1)
            s = a1.pointee
            c10.addProduct(s, b0); c11.addProduct(s, b1)
            s = a2.pointee
            c20.addProduct(s, b0); c21.addProduct(s, b1)
            s = a3.pointee
            c30.addProduct(s, b0); c31.addProduct(s, b1)
            a0 += aColumnStride; a1 += aColumnStride; a2 += aColumnStride; a3 += aColumnStride
            bp += 2 * width
        }
        storeRow(c00, c01, c, columns: columns, accumulate: accumulate)
        if rows > 1 { storeRow(c10, c11, c + ldc, columns: columns, accumulate: accumulate) }
        if rows > 2 { storeRow(c20, c21, c + 2 * ldc, columns: columns, accumulate: accumulate) }
        if rows > 3 { storeRow(c30, c31, c + 3 * ldc, columns: columns, accumulate: accumulate) }
    }

    /// Writes (or adds) one row of a register block, 16 values or the
    /// first `columns` of them at the right edge.
    @inline(__always)
    static func storeRow(
        _ v0: Vector, _ v1: Vector, _ row: UnsafeMutablePointer<Float>, columns: Int, accumulate: Bool
    ) {
        let half = Vector.scalarCount
        if columns == nr {
            let raw = UnsafeMutableRawPointer(row)
            var x0 = v0, x1 = v1
            if accumulate {
                x0 += raw.loadUnaligned(as: Vector.self)
                x1 += raw.loadUnaligned(fromByteOffset: half * 4, as: Vector.self)
            }
            raw.storeBytes(of: x0, as: Vector.self)
            raw.storeBytes(of: x1, toByteOffset: half * 4, as: Vector.self)
        } else {
            for j in 0..<columns {
                let v = j < half ? v0[j] : v1[j - half]
                row[j] = accumulate ? row[j] + v : v
            }
        }
    }

    /// The plain triple loop `C = A · B` (row-major, no strides) that the
    /// fast path is tested against.
    static func referenceMultiply(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var total: Float = 0
                for p in 0..<k { total += a[i * k + p] * b[p * n + j] }
                c[i * n + j] = total
            }
        }
        return c
    }
}
