import Testing
import TestSupport
@testable import Torchlet
import TorchletWide

/// The kernel loop of `bench kernel` does every multiply-add it counts:
/// each call adds `kernelK` products of 10⁻³ · 10⁻³ to every value of its
/// block of `C`, so after `calls` calls a value is `calls × kernelK × 10⁻⁶`.
@Suite struct GEMMKernelLoopTests {
    @Test func portableKernelDoesEveryMultiplyAddItCounts() {
        #expect(GEMM.kernelMultiplyAdds == GEMM.kernelK * GEMM.mr * GEMM.nr)
        assertClose([GEMM.kernelInCache(calls: 10)], [Float(10 * GEMM.kernelK) * 1e-6], tolerance: 1e-6, "portable kernel")
    }

    @Test(.needsWideKernel) func wideKernelDoesEveryMultiplyAddItCounts() {
        #expect(WideGEMM.kernelMultiplyAdds == 128 * 6 * 64)
        assertClose([WideGEMM.kernelInCache(calls: 10)], [Float(10 * 128) * 1e-6], tolerance: 1e-6, "wide kernel")
    }

    @Test func loopRunsTheMatrixProductsKernel() {
        let multiplyAdds = MatrixMultiply.usesWideKernel ? WideGEMM.kernelMultiplyAdds : GEMM.kernelMultiplyAdds
        #expect(GEMMKernelLoop.flopsPerCall == 2 * multiplyAdds)
        let k = multiplyAdds / (GEMM.mr * (MatrixMultiply.usesWideKernel ? 64 : GEMM.nr))
        assertClose([GEMMKernelLoop.run(calls: 3)], [Float(3 * k) * 1e-6], tolerance: 1e-6, "GEMMKernelLoop.run")
    }
}
