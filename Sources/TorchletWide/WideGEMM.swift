/// The AVX-512 build of `GEMM`: the same source (a symbolic link to
/// Torchlet's GEMM.swift) compiled for `skylake-avx512` with sixteen-wide
/// vectors. Torchlet calls it only on a CPU that has AVX-512 (see
/// `MatrixMultiply`), so the package still runs on any AVX2 CPU.
public enum WideGEMM {
    /// Whether this module was compiled with the wide kernel (x86-64 only).
    #if TORCHLET_WIDE_SIMD
    public static let isAvailable = true
    #else
    public static let isAvailable = false
    #endif

    /// See `GEMM.packed`.
    public static func packed(
        _ b: UnsafePointer<Float>, k: Int, n: Int, rowStride: Int, columnStride: Int, threads: Int,
        perform: (_ count: Int, _ piece: (Int) -> Void) -> Void
    ) -> [Float] {
        GEMM.packed(b, k: k, n: n, rowStride: rowStride, columnStride: columnStride, threads: threads, perform: perform)
    }

    /// See `GEMM.packed(_:k:threads:perform:)`: matrices side by side.
    public static func packed(
        sideBySide operands: [(b: UnsafePointer<Float>, n: Int, rowStride: Int, columnStride: Int)], k: Int, threads: Int,
        perform: (_ count: Int, _ piece: (Int) -> Void) -> Void
    ) -> [Float] {
        GEMM.packed(operands.map { GEMM.Operand(b: $0.b, n: $0.n, rowStride: $0.rowStride, columnStride: $0.columnStride) },
                    k: k, threads: threads, perform: perform)
    }

    /// The panel width `packed` uses for matrices of `columns` columns
    /// side by side (see `GEMM.panelWidth(columns:)`).
    public static func panelWidth(columns: [Int]) -> Int {
        GEMM.panelWidth(columns: columns)
    }

    /// Columns per panel of a buffer from `packed` (see `GEMM.panelWidth(of:)`).
    public static func panelWidth(of packed: UnsafePointer<Float>) -> Int {
        GEMM.panelWidth(of: packed)
    }

    /// See `GEMM.multiply`.
    public static func multiply(
        m: Int, n: Int, k: Int, a: UnsafePointer<Float>, aRowStride: Int, aColumnStride: Int,
        packedB: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads: Int,
        perform: (_ count: Int, _ piece: (Int) -> Void) -> Void
    ) {
        GEMM.multiply(m: m, n: n, k: k, a: a, aRowStride: aRowStride, aColumnStride: aColumnStride,
                      packedB: packedB, c: c, ldc: ldc, accumulate: accumulate, threads: threads, perform: perform)
    }

    /// See `GEMM.multiply(m:n:k:a:aRowStride:aColumnStride:b:scratch:…)`:
    /// `B` packed on the way, into `scratch` (`packedCount(k:n:)` floats).
    public static func multiply(
        m: Int, n: Int, k: Int, a: UnsafePointer<Float>, aRowStride: Int, aColumnStride: Int,
        b: UnsafePointer<Float>, bRowStride: Int, bColumnStride: Int, scratch: UnsafeMutablePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads: Int,
        perform: (_ count: Int, _ piece: (Int) -> Void) -> Void
    ) {
        GEMM.multiply(m: m, n: n, k: k, a: a, aRowStride: aRowStride, aColumnStride: aColumnStride,
                      b: GEMM.Operand(b: b, n: n, rowStride: bRowStride, columnStride: bColumnStride), scratch: scratch,
                      c: c, ldc: ldc, accumulate: accumulate, threads: threads, perform: perform)
    }

    /// See `GEMM.packedCount`.
    public static func packedCount(k: Int, n: Int) -> Int {
        GEMM.packedCount(k: k, n: n)
    }

    /// See `GEMM.kernelMultiplyAdds`.
    public static let kernelMultiplyAdds = GEMM.kernelMultiplyAdds

    /// See `GEMM.kernelInCache`.
    public static func kernelInCache(calls: Int) -> Float {
        GEMM.kernelInCache(calls: calls)
    }
}
