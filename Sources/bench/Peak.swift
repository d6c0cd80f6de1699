import Foundation
import Torchlet

/// The measured single-core FMA peak in GFLOP/s: the fastest of at least
/// 15 runs of `FMAPeak`'s loop, in the vectors the matrix product uses.
/// A million iterations are 0.2–0.4 GFLOP, a few milliseconds: long enough
/// to dwarf the timer, short enough that some runs go uninterrupted.
func measuredPeakGigaflops(repeats: Int) -> Double {
    let iterations = 1_000_000
    return fastestGigaflops("FMA loop", flops: Double(FMAPeak.flopsPerIteration * iterations), repeats: repeats) {
        FMAPeak.run(iterations: iterations)
    }
}

/// The matrix product's micro-kernel alone, on a tile of `A` and a panel of
/// `B` that stay in L1, in GFLOP/s: the fastest of at least 15 runs of
/// `GEMMKernelLoop` (4,000 calls, a few milliseconds a run).
func measuredKernelGigaflops(repeats: Int) -> Double {
    let calls = 4_000
    return fastestGigaflops("kernel loop", flops: Double(GEMMKernelLoop.flopsPerCall * calls), repeats: repeats) {
        GEMMKernelLoop.run(calls: calls)
    }
}

/// `flops` over the fastest of at least 15 runs of `run` (after a warm-up),
/// in GFLOP/s; `run` returns a checksum, which must be finite.
///
/// The fastest run, not the median, because a peak is what the core can
/// do, and on a shared machine every interruption only slows a run down.
private func fastestGigaflops(_ what: String, flops: Double, repeats: Int, _ run: () -> Float) -> Double {
    var checksum: Float = 0
    let fastest = sortedMilliseconds(repeats: max(15, repeats), warmup: 1) { checksum += run() }[0]
    precondition(checksum.isFinite, "bench: the \(what)'s checksum \(checksum) should be finite")
    return flops / (fastest * 1e6)
}
