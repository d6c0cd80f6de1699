import Foundation
import Torchlet

/// The measured single-core FMA peak in GFLOP/s: the fastest of at least
/// 15 runs of `FMAPeak`'s loop, in the vectors the matrix product uses.
/// A million iterations are 0.2–0.4 GFLOP, a few milliseconds: long enough
/// to dwarf the timer, short enough that some runs go uninterrupted.
func measuredPeakGigaflops(repeats: Int) -> Double {
    fastestFMALoopGigaflops(iterations: 1_000_000, repeats: max(15, repeats))
}

/// The peak measured again inside one lockstep turn, right after the
/// product's timed runs, as a field for the turn's line: ` peak_gflops=…`,
/// the fastest of 5 runs of 200,000 iterations (under a millisecond each).
///
/// So a turn's share of the peak divides two speeds taken moments apart
/// (`scripts/bench_compare.sh`), and a slow stretch of the shared machine
/// shows as what it is: in those measured so far (AMD EPYC, Intel Xeon)
/// the products slowed while the FMA loop, which touches no memory, kept
/// its speed, so the shares fall with them rather than being excused.
func turnPeakField() -> String {
    String(format: " peak_gflops=%.1f", fastestFMALoopGigaflops(iterations: 200_000, repeats: 5))
}

/// `FMAPeak`'s loop of `iterations`, fastest of `repeats` runs, in GFLOP/s.
private func fastestFMALoopGigaflops(iterations: Int, repeats: Int) -> Double {
    fastestGigaflops("FMA loop", flops: Double(FMAPeak.flopsPerIteration * iterations), repeats: repeats) {
        FMAPeak.run(iterations: iterations)
    }
}

/// The matrix product's micro-kernel alone, on a tile of `A` and a panel of
/// `B` that stay in L1, in GFLOP/s: the fastest of at least 15 runs of
/// `GEMMKernelLoop` (4,000 calls, a few milliseconds a run).
func measuredKernelGigaflops(repeats: Int) -> Double {
    let calls = 4_000
    return fastestGigaflops("kernel loop", flops: Double(GEMMKernelLoop.flopsPerCall * calls), repeats: max(15, repeats)) {
        GEMMKernelLoop.run(calls: calls)
    }
}

/// `flops` over the fastest of `repeats` runs of `run` (after a warm-up),
/// in GFLOP/s; `run` returns a checksum, which must be finite.
///
/// The fastest run, not the median, because a peak is what the core can
/// do, and on a shared machine every interruption only slows a run down.
private func fastestGigaflops(_ what: String, flops: Double, repeats: Int, _ run: () -> Float) -> Double {
    var checksum: Float = 0
    let fastest = sortedMilliseconds(repeats: repeats, warmup: 1) { checksum += run() }[0]
    precondition(checksum.isFinite, "bench: the \(what)'s checksum \(checksum) should be finite")
    return flops / (fastest * 1e6)
}
