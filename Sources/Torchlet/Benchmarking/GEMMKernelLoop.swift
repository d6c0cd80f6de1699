import TorchletWide

/// The matrix product's micro-kernel alone, on operands that stay in L1, for
/// measuring how close the kernel itself comes to the FMA peak (`FMAPeak`):
/// a whole product's shortfall beyond this is the memory around the kernel.
///
/// It runs the kernel the products use (`TorchletWide`'s 6 × 64 one with
/// AVX-512), `mr` rows of `A` against one 32 KB slice of a packed panel of
/// `B` per call (`GEMM.kernelK` values of `k`, see `GEMM.kernelInCache`).
public enum GEMMKernelLoop {
    /// Floating-point operations per call (a multiply and an add per
    /// multiply-add).
    public static var flopsPerCall: Int {
        2 * (MatrixMultiply.usesWideKernel ? WideGEMM.kernelMultiplyAdds : GEMM.kernelMultiplyAdds)
    }

    /// Runs the kernel `calls` times on this thread and returns a value of
    /// its result (use it, so the work is not dropped).
    ///
    /// - Precondition: `calls >= 0`.
    public static func run(calls: Int) -> Float {
        precondition(calls >= 0, "GEMMKernelLoop.run: calls \(calls) should be >= 0")
        return MatrixMultiply.usesWideKernel ? WideGEMM.kernelInCache(calls: calls) : GEMM.kernelInCache(calls: calls)
    }
}
