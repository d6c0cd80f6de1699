import Foundation
import Testing
import TestSupport
@testable import Torchlet

/// What a second thread costs and gains on small recurrent layers, to pick
/// `RecurrentKernel.minimumWorkPerPart`: a measurement, not a check, so it
/// runs only when asked (the machine should be otherwise idle):
///
/// ```sh
/// TORCHLET_MEASURE_THREADS=1 swift test --filter ThreadingMeasurement
/// ```
///
/// For each shape it prints the recurrent work per part (rows × H × 4H / 2)
/// and the median time of an LSTM forward + backward at 1 thread and at 2
/// threads with the batch split regardless of size, alternating.
@Suite(.serialized) struct ThreadingMeasurement {
    static let enabled = ProcessInfo.processInfo.environment["TORCHLET_MEASURE_THREADS"] != nil

    @Test(.enabled(if: enabled)) func smallLayers() {
        let savedThreads = Parallelism.threadCount, savedMinimum = RecurrentKernel.minimumWorkPerPart
        defer { Parallelism.threadCount = savedThreads; RecurrentKernel.minimumWorkPerPart = savedMinimum }
        RecurrentKernel.minimumWorkPerPart = 1
        let steps = 20, inputSize = 16
        for (batch, hidden) in [(2, 8), (4, 16), (8, 16), (4, 32), (8, 32), (16, 32), (8, 64), (16, 64), (32, 64), (32, 128)] {
            let g = Generator(seed: 0)
            let lstm = LSTM(inputSize: inputSize, hiddenSize: hidden, generator: g)
            let input = Tensor.normal([steps, batch, inputSize], generator: g)
            func pass() {
                let (output, (h, _)) = lstm(input)
                (output.sum() + h.sum()).backward()
                lstm.zeroGrad()
            }
            var times: [[Double]] = [[], []]
            for round in 0..<15 {
                for threads in [1, 2] {
                    Parallelism.threadCount = threads
                    let start = DispatchTime.now().uptimeNanoseconds
                    for _ in 0..<20 { pass() }
                    if round > 0 { times[threads - 1].append(Double(DispatchTime.now().uptimeNanoseconds - start) / 20e3) }
                }
            }
            let median = times.map { $0.sorted()[$0.count / 2] }
            let work = steps * batch * hidden * 4 * hidden / 2
            print(String(format: "threads: batch %3d hidden %4d work/part %9d  1 thread %8.1f µs  2 threads %8.1f µs  ratio %.2f",
                         batch, hidden, work, median[0], median[1], median[1] / median[0]))
        }
    }

    /// The cost of one `perform` of two empty pieces, back to back (the
    /// worker spinning) and after a pause (the worker asleep).
    @Test(.enabled(if: enabled)) func poolCallCost() {
        guard #available(macOS 15, iOS 18, tvOS 18, watchOS 11, visionOS 2, *) else { return }
        let pool = WorkerPool.shared
        for pause in [0, 2_000] {
            var times: [Double] = []
            for _ in 0..<2_000 {
                if pause > 0 { usleep(UInt32(pause)) }
                let start = DispatchTime.now().uptimeNanoseconds
                pool.perform(2, threads: 2) { _ in }
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3)
            }
            times.sort()
            print(String(format: "threads: pool call after %d µs pause: median %.2f µs, 90th percentile %.2f µs",
                         pause, times[times.count / 2], times[times.count * 9 / 10]))
            var concurrent: [Double] = []
            for _ in 0..<2_000 {
                if pause > 0 { usleep(UInt32(pause)) }
                let start = DispatchTime.now().uptimeNanoseconds
                DispatchQueue.concurrentPerform(iterations: 2) { _ in }
                concurrent.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3)
            }
            concurrent.sort()
            print(String(format: "threads: concurrentPerform after %d µs pause: median %.2f µs, 90th percentile %.2f µs",
                         pause, concurrent[concurrent.count / 2], concurrent[concurrent.count * 9 / 10]))
        }
    }

    /// How often both pieces of a job run on one CPU after a pause: for
    /// each pause, 20 rounds of the pause and then 40 jobs of two 130 µs
    /// pieces; prints how many jobs ran both pieces on one CPU
    /// (`CPUPlacement`), first jobs after a pause apart, and the median job
    /// time.
    @Test(.enabled(if: enabled)) func piecesAfterAPause() {
        #if os(Linux)
        guard #available(macOS 15, iOS 18, tvOS 18, watchOS 11, visionOS 2, *) else { return }
        func busy(microseconds: UInt64) {
            let start = DispatchTime.now().uptimeNanoseconds
            while DispatchTime.now().uptimeNanoseconds - start < microseconds * 1_000 {}
        }
        let cpus = UnsafeMutableBufferPointer<Int>.allocate(capacity: 2)
        defer { cpus.deallocate() }
        for pause in [0, 1_000, 50_000] {
            var shared = [0, 0, 0], times: [Double] = []  // jobs 1, 2-5, 6-40 after each pause
            for _ in 0..<20 {
                if pause > 0 { usleep(UInt32(pause)) }
                for job in 0..<40 {
                    let start = DispatchTime.now().uptimeNanoseconds
                    WorkerPool.shared.perform(2, threads: 2) { piece in
                        cpus[piece] = CPUPlacement.currentCPUBit()
                        busy(microseconds: 130)
                    }
                    times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3)
                    if cpus[0] == cpus[1] { shared[job == 0 ? 0 : job < 5 ? 1 : 2] += 1 }
                }
            }
            times.sort()
            print(String(format: "threads: after %d µs pauses, jobs that ran both pieces on one CPU: %d of 20 first jobs, %d of 80 next 4, %d of 700 others; median job %.0f µs",
                         pause, shared[0], shared[1], shared[2], times[times.count / 2]))
        }
        #endif
    }
}
