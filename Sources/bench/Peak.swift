import Foundation
import Torchlet

/// The measured single-core FMA peak in GFLOP/s: the fastest of at least
/// 15 runs of `FMAPeak`'s loop, in the vectors the matrix product uses.
///
/// The fastest run, not the median, because a peak is what the core can
/// do, and on a shared machine every interruption only slows a run down.
/// A million iterations are 0.2–0.4 GFLOP, a few milliseconds: long enough
/// to dwarf the timer, short enough that some runs go uninterrupted.
func measuredPeakGigaflops(repeats: Int) -> Double {
    let iterations = 1_000_000
    var checksum: Float = 0
    let fastest = sortedMilliseconds(repeats: max(15, repeats), warmup: 1) {
        checksum += FMAPeak.run(iterations: iterations)
    }[0]
    precondition(checksum.isFinite, "bench: the FMA loop's checksum \(checksum) should be finite")
    return Double(FMAPeak.flopsPerIteration) * Double(iterations) / (fastest * 1e6)
}

/// The matrix product's micro-kernel alone, on a tile of `A` and a panel of
/// `B` that stay in L1, in GFLOP/s: the fastest of at least 15 runs of
/// `GEMMKernelLoop` (4,000 calls, about 0.2 ms each), for the same reason
/// as the peak.
func measuredKernelGigaflops(repeats: Int) -> Double {
    let calls = 4_000
    var checksum: Float = 0
    let fastest = sortedMilliseconds(repeats: max(15, repeats), warmup: 1) {
        checksum += GEMMKernelLoop.run(calls: calls)
    }[0]
    precondition(checksum.isFinite, "bench: the kernel loop's checksum \(checksum) should be finite")
    return Double(GEMMKernelLoop.flopsPerCall) * Double(calls) / (fastest * 1e6)
}
