import Foundation

/// How many threads Torchlet's matrix products may use.
///
/// The default is two when the machine has two cores or more. Only large
/// products are split (see `GEMM.minimumWorkPerThread`): measured with
/// `swift run -c release bench --threads N`, two threads make a 512 × 512
/// product 1.9× faster, but an LSTM step at this course's sizes is too small
/// to pay for waking a second thread, so it stays on one. Results are
/// bit-identical for any thread count (each thread computes whole columns).
public enum Parallelism {
    nonisolated(unsafe) public static var threadCount = min(2, ProcessInfo.processInfo.activeProcessorCount)
}
