import Foundation
import TorchletWide

/// Chooses, once at run time, which build of `GEMM` this CPU runs: the
/// AVX-512 one (`TorchletWide`, about twice as fast where available) or the
/// portable one, and routes every matrix product through it.
///
/// The two builds pack `B` differently (16 columns per panel, or 32 and 64), so a
/// buffer from `packed` must go to `multiply` of the same dispatcher.
enum MatrixMultiply {
    /// Whether the AVX-512 kernel is used (`TORCHLET_GEMM=portable` forces
    /// the portable one, for comparisons).
    ///
    /// The CPU is checked first: no code of `TorchletWide` may run on a CPU
    /// without AVX-512, not even to read `isAvailable`.
    static let usesWideKernel: Bool =
        CPUFeatures.hasAVX512 && WideGEMM.isAvailable
        && ProcessInfo.processInfo.environment["TORCHLET_GEMM"] != "portable"

    /// `B` packed for `multiply` (see `GEMM.packB`), a large one on up to
    /// `threads` threads of the worker pool.
    static func packed(
        _ b: UnsafePointer<Float>, k: Int, n: Int, rowStride: Int, columnStride: Int,
        threads: Int = Parallelism.threadCount
    ) -> [Float] {
        Allocator.configured
        return usesWideKernel
            ? WideGEMM.packed(b, k: k, n: n, rowStride: rowStride, columnStride: columnStride, threads: threads,
                              perform: Parallelism.perform)
            : GEMM.packed(b, k: k, n: n, rowStride: rowStride, columnStride: columnStride, threads: threads,
                          perform: Parallelism.perform)
    }

    /// Matrices `[k, nᵢ]` packed side by side for one `multiply` (see
    /// `GEMM.packB`); operand `i`'s columns of the product start at
    /// `panelWidth(of:)` · (the panels before it).
    static func packed(
        sideBySide operands: [(b: UnsafePointer<Float>, n: Int, rowStride: Int, columnStride: Int)], k: Int,
        threads: Int = Parallelism.threadCount
    ) -> [Float] {
        Allocator.configured
        return usesWideKernel
            ? WideGEMM.packed(sideBySide: operands, k: k, threads: threads, perform: Parallelism.perform)
            : GEMM.packed(operands.map { GEMM.Operand(b: $0.b, n: $0.n, rowStride: $0.rowStride, columnStride: $0.columnStride) },
                          k: k, threads: threads, perform: Parallelism.perform)
    }

    /// Columns per panel of a buffer from `packed` (16 with AVX2; 32 or 64
    /// with AVX-512, see `GEMM.panelWidth(columns:)`).
    static func panelWidth(of packed: [Float]) -> Int {
        packed.withUnsafeBufferPointer {
            usesWideKernel ? WideGEMM.panelWidth(of: $0.baseAddress!) : GEMM.panelWidth(of: $0.baseAddress!)
        }
    }

    /// `C (+)= A · B` (see `GEMM.multiply`), on up to `threads` threads
    /// of the worker pool (see `Parallelism`).
    static func multiply(
        m: Int, n: Int, k: Int, a: UnsafePointer<Float>, aRowStride: Int, aColumnStride: Int,
        packedB: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool,
        threads: Int = Parallelism.threadCount
    ) {
        if usesWideKernel {
            WideGEMM.multiply(m: m, n: n, k: k, a: a, aRowStride: aRowStride, aColumnStride: aColumnStride,
                              packedB: packedB, c: c, ldc: ldc, accumulate: accumulate, threads: threads,
                              perform: Parallelism.perform)
        } else {
            GEMM.multiply(m: m, n: n, k: k, a: a, aRowStride: aRowStride, aColumnStride: aColumnStride,
                          packedB: packedB, c: c, ldc: ldc, accumulate: accumulate, threads: threads,
                          perform: Parallelism.perform)
        }
    }

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
        product(a: a, aRowStride: transposeA ? 1 : k, aColumnStride: transposeA ? n : 1,
                b: b, bRowStride: transposeB ? 1 : m, bColumnStride: transposeB ? k : 1, m: n, n: m, k: k)
    }

    /// `C = A · B`, `[m, n]`, for `A` `[m, k]` and `B` `[k, n]` given by
    /// strides (element `(i, p)` of `A` at `a[i · aRowStride + p · aColumnStride]`),
    /// on up to `Parallelism.threadCount` threads; `B` is packed on the way
    /// (see `GEMM.multiply(m:n:k:a:aRowStride:aColumnStride:b:scratch:…)`).
    static func product(
        a: [Float], aRowStride: Int, aColumnStride: Int, b: [Float], bRowStride: Int, bColumnStride: Int,
        m: Int, n: Int, k: Int, threads: Int = Parallelism.threadCount
    ) -> [Float] {
        if m == 0 || n == 0 || k == 0 { return [Float](repeating: 0, count: m * n) }
        Allocator.configured
        let scratch = UnsafeMutablePointer<Float>.allocate(
            capacity: usesWideKernel ? WideGEMM.packedCount(k: k, n: n) : GEMM.packedCount(k: k, n: n))
        defer { scratch.deallocate() }
        return [Float](unsafeUninitializedCapacity: m * n) { c, count in
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    if usesWideKernel {
                        WideGEMM.multiply(m: m, n: n, k: k, a: a.baseAddress!, aRowStride: aRowStride,
                                          aColumnStride: aColumnStride, b: b.baseAddress!, bRowStride: bRowStride,
                                          bColumnStride: bColumnStride, scratch: scratch, c: c.baseAddress!, ldc: n,
                                          accumulate: false, threads: threads, perform: Parallelism.perform)
                    } else {
                        GEMM.multiply(m: m, n: n, k: k, a: a.baseAddress!, aRowStride: aRowStride,
                                      aColumnStride: aColumnStride,
                                      b: GEMM.Operand(b: b.baseAddress!, n: n, rowStride: bRowStride, columnStride: bColumnStride),
                                      scratch: scratch, c: c.baseAddress!, ldc: n, accumulate: false, threads: threads,
                                      perform: Parallelism.perform)
                    }
                }
            }
            count = m * n
        }
    }
}

extension MatrixMultiply {
    /// `Aᵀ · B₁` and `Aᵀ · B₂` for row-major `A` `[k, n]` and `Bᵢ` `[k, mᵢ]`:
    /// one product with `B₁` and `B₂` side by side, so the transposed `A`,
    /// read in place, is read once for both (an LSTM's two weight
    /// gradients, `dGatesᵀ · x` and `dGatesᵀ · h`). Each result `[n, mᵢ]`
    /// has the bits of its own `matmul(transposeA: true)`: every value is
    /// the same multiply-adds in the same order.
    static func transposedProducts(
        _ a: [Float], _ b1: [Float], _ b2: [Float], n: Int, k: Int, m1: Int, m2: Int
    ) -> ([Float], [Float]) {
        let packedB = b1.withUnsafeBufferPointer { b1 in
            b2.withUnsafeBufferPointer { b2 in
                packed(sideBySide: [(b1.baseAddress!, m1, m1, 1), (b2.baseAddress!, m2, m2, 1)], k: k)
            }
        }
        let panelWidth = panelWidth(of: packedB)
        let width1 = (m1 + panelWidth - 1) / panelWidth * panelWidth
        let width = width1 + (m2 + panelWidth - 1) / panelWidth * panelWidth
        let c = [Float](unsafeUninitializedCapacity: n * width) { c, count in
            a.withUnsafeBufferPointer { a in
                packedB.withUnsafeBufferPointer { packedB in
                    multiply(m: n, n: width, k: k, a: a.baseAddress!, aRowStride: 1, aColumnStride: n,
                             packedB: packedB.baseAddress!, c: c.baseAddress!, ldc: width, accumulate: false)
                }
            }
            count = n * width
        }
        // Each result's columns out of the combined rows (a copy of n · (m₁ + m₂) floats).
        func columns(_ start: Int, _ count: Int) -> [Float] {
            [Float](unsafeUninitializedCapacity: n * count) { out, initialized in
                c.withUnsafeBufferPointer { c in
                    for i in 0..<n {
                        (out.baseAddress! + i * count).initialize(from: c.baseAddress! + i * width + start, count: count)
                    }
                }
                initialized = n * count
            }
        }
        return (columns(0, m1), columns(width1, m2))
    }
}

/// What the CPU can do, read once from the operating system.
enum CPUFeatures {
    /// Whether the CPU has AVX-512 (foundation, doubleword/quadword, byte/
    /// word and vector-length extensions: the `x86-64-v4` level).
    static let hasAVX512: Bool = {
        #if arch(x86_64) && os(Linux)
        guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flags = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
        else { return false }
        let set = Set(flags.split(separator: " "))
        return ["avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512cd"].allSatisfy { set.contains(Substring($0)) }
        #else
        return false
        #endif
    }()
}
