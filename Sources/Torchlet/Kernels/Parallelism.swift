import Foundation

/// How many threads Torchlet's kernels may use, and the parallel loop they
/// share.
///
/// The default is two when the machine has two cores or more. Only work
/// large enough to pay for a second thread is split: matrix products above
/// `GEMM.minimumWorkPerThread` multiply-adds per thread (by rows of `A` or
/// column panels of `B`, see `GEMM.multiply`),
/// and recurrent layers above `RecurrentKernel.minimumWorkPerPart` (by
/// batch rows, see `RecurrentKernel.rowRanges`). Results are bit-identical
/// for any thread count: every output value is computed by one thread, by
/// the same operations.
public enum Parallelism {
    nonisolated(unsafe) public static var threadCount = min(2, ProcessInfo.processInfo.activeProcessorCount)

    /// Values below which a loop that touches each value once (a bias's
    /// column sums, a bias add) stays on one thread: 1M, a few hundred
    /// microseconds of memory traffic, against a few microseconds to wake
    /// a worker.
    static let minimumValuesToSplit = 1 << 20

    /// Runs `body(0)`, …, `body(count − 1)` on up to `threadCount` threads
    /// (the caller's and the workers of `WorkerPool`) and returns when all
    /// have finished; each piece must write only its own part of the output.
    static func perform(_ count: Int, _ body: (Int) -> Void) {
        if #available(macOS 15, iOS 18, tvOS 18, watchOS 11, visionOS 2, *) {
            WorkerPool.shared.perform(count, threads: threadCount, body)
        } else if threadCount > 1 {
            // The pool needs the Synchronization module's atomics.
            DispatchQueue.concurrentPerform(iterations: count, execute: body)
        } else {
            for piece in 0..<count { body(piece) }
        }
    }
}
