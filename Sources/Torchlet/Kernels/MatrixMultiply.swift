import Foundation
import TorchletWide

/// Chooses, once at run time, which build of `GEMM` this CPU runs: the
/// AVX-512 one (`TorchletWide`, about twice as fast where available) or the
/// portable one, and routes every matrix product through it.
///
/// The two builds pack `B` differently (16 or 32 columns per panel), so a
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
