import Dispatch
import Testing
import TestSupport
@testable import Torchlet

/// Results are bit-identical for any thread count: every value is computed
/// by one thread in the same order, so these compare with `==`, not with a
/// tolerance. Serialized because they change `Parallelism.threadCount`,
/// which is global; no other test changes it.
@Suite(.serialized) struct ThreadingTests {
    /// Runs `body` with `Parallelism.threadCount` set to `threads`.
    static func with<T>(threads: Int, _ body: () -> T) -> T {
        let saved = Parallelism.threadCount
        Parallelism.threadCount = threads
        defer { Parallelism.threadCount = saved }
        return body()
    }

    /// Large products split their column panels between threads.
    @Test(arguments: [2, 3, 4])
    func matrixProductGivesTheSameBits(threads: Int) {
        let (m, n, k) = (64, 200, 1000)
        let g = Generator(seed: 5)
        let a = (0..<(m * k)).map { _ in g.nextNormal() }, b = (0..<(k * n)).map { _ in g.nextNormal() }
        let single = Self.with(threads: 1) { MatrixMultiply.matmul(a, b, n: m, k: k, m: n) }
        let several = Self.with(threads: threads) { MatrixMultiply.matmul(a, b, n: m, k: k, m: n) }
        #expect(single == several)
        assertClose(single, GEMM.referenceMultiply(a, b, m: m, n: n, k: k), tolerance: 1e-3)
    }

    /// Every piece runs exactly once, for any count and thread limit.
    @Test func poolRunsEveryPieceOnce() {
        guard #available(macOS 15, iOS 18, tvOS 18, watchOS 11, visionOS 2, *) else { return }
        for threads in 1...4 {
            for count in [0, 1, 2, 3, 7, 100] {
                let runs = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(count, 1))
                defer { runs.deallocate() }
                runs.initialize(repeating: 0)
                WorkerPool.shared.perform(count, threads: threads) { runs[$0] += 1 }
                #expect(runs.prefix(count).allSatisfy { $0 == 1 }, "\(count) pieces on \(threads) threads")
            }
        }
    }

    /// A call from inside a piece, and calls from several threads at once,
    /// run inline instead of waiting for the busy pool: no deadlock.
    @Test func poolCallsFromPiecesAndOtherThreadsFinish() {
        guard #available(macOS 15, iOS 18, tvOS 18, watchOS 11, visionOS 2, *) else { return }
        let callers = 4, count = 6
        let runs = UnsafeMutableBufferPointer<Int>.allocate(capacity: callers * count * count)
        defer { runs.deallocate() }
        runs.initialize(repeating: 0)
        DispatchQueue.concurrentPerform(iterations: callers) { caller in
            for _ in 0..<50 {
                WorkerPool.shared.perform(count, threads: 2) { outer in
                    WorkerPool.shared.perform(count, threads: 2) { inner in
                        runs[(caller * count + outer) * count + inner] += 1
                    }
                }
            }
        }
        #expect(runs.allSatisfy { $0 == 50 })
    }
}
