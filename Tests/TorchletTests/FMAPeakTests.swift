import Testing
import TestSupport
@testable import Torchlet
import TorchletWide

/// The FMA peak loop does every multiply-add it counts, in the vectors the
/// matrix product uses: with `x = 1` each lane of each accumulator ends at
/// `iterations`, so the sum is `accumulatorCount × width × iterations`.
@Suite struct FMAPeakTests {
    @Test func loopDoesEveryFMAItCounts() {
        let width = FMALoop.Vector.scalarCount
        #expect(FMALoop.flopsPerIteration == 2 * FMALoop.accumulatorCount * width)
        assertClose([FMALoop.run(iterations: 100, x: 1)], [Float(FMALoop.accumulatorCount * width * 100)],
                    "FMALoop.run sum")
    }

    @Test(.needsWideKernel) func wideLoopDoesEveryFMAItCounts() {
        #expect(WideFMALoop.vectorWidth == 16)
        #expect(WideFMALoop.flopsPerIteration == 2 * FMALoop.accumulatorCount * 16)
        assertClose([WideFMALoop.run(iterations: 100, x: 1)], [Float(FMALoop.accumulatorCount * 16 * 100)],
                    "WideFMALoop.run sum")
    }

    @Test func peakRunsTheMatrixProductsVectors() {
        let width = MatrixMultiply.usesWideKernel ? 16 : FMALoop.Vector.scalarCount
        #expect(FMAPeak.vectorWidth == width)
        #expect(FMAPeak.flopsPerIteration == 2 * FMALoop.accumulatorCount * width)
        // x = 1e-3: each lane gains 1e-6 per iteration.
        assertClose([FMAPeak.run(iterations: 1_000)], [Float(FMALoop.accumulatorCount * width) * 1e-3],
                    tolerance: 1e-6, "FMAPeak.run sum")
    }
}
