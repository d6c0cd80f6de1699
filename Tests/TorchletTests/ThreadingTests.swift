import Foundation
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

    /// Large products split between threads: a wide one by the column
    /// panels of `B`, a tall one by the rows of `A` (here 1,000 rows, not a
    /// whole number of tiles on any thread count; also with `A` transposed,
    /// as in a weight gradient; and a wide one whose threads' groups of
    /// panels start at other panels than on one thread).
    @Test(arguments: [2, 3, 4], [(64, 200, 1000, false), (1000, 70, 500, false), (1000, 70, 500, true),
                                 (40, 1100, 600, false)])
    func matrixProductGivesTheSameBits(threads: Int, shape: (m: Int, n: Int, k: Int, transposeA: Bool)) {
        let (m, n, k) = (shape.m, shape.n, shape.k)
        #expect(m * n * k >= 2 * GEMM.minimumWorkPerThread, "large enough to split")
        let g = Generator(seed: 5)
        let a = (0..<(m * k)).map { _ in g.nextNormal() }, b = (0..<(k * n)).map { _ in g.nextNormal() }
        let stored = shape.transposeA ? Init.transposedMatrix(a, rows: m, cols: k) : a
        let product = { MatrixMultiply.matmul(stored, b, n: m, k: k, m: n, transposeA: shape.transposeA) }
        let single = Self.with(threads: 1, product)
        let several = Self.with(threads: threads, product)
        #expect(single == several)
        assertClose(single, GEMM.referenceMultiply(a, b, m: m, n: n, k: k), tolerance: 1e-3)
    }

    /// The shapes of the recurrent tests: large enough that two threads
    /// split the batch (checked), a hidden size that is not a multiple of 8
    /// (the gate loops' scalar tail), an odd batch (unequal parts).
    static let (inputSize, hidden, steps, batch) = (5, 140, 30, 7)
    static let lengths = [40, 33, 31, 25, 19, 8, 3]

    struct Case: CustomTestStringConvertible, Sendable {
        let gru: Bool, packed: Bool, bidirectional: Bool
        var testDescription: String {
            "\(gru ? "GRU" : "LSTM"), \(packed ? "packed" : "dense")\(bidirectional ? ", bidirectional, 2 layers" : "")"
        }
    }

    static let cases = [false, true].flatMap { gru in
        [false, true].flatMap { packed in [false, true].map { Case(gru: gru, packed: packed, bidirectional: $0) } }
    }

    /// Forward and backward through a layer at 1 and at 2 threads: the
    /// outputs, final states and every gradient are the same bits.
    @Test(arguments: cases)
    func recurrentLayerGivesTheSameBits(case c: Case) {
        let gates = c.gru ? 3 : 4
        let rows = c.packed ? Self.lengths.reduce(0, +) : Self.steps * Self.batch
        let batchSizes = c.packed
            ? (0..<Self.lengths.max()!).map { t in Self.lengths.filter { $0 > t }.count }
            : [Int](repeating: Self.batch, count: Self.steps)
        #expect(batchSizes.reduce(0, +) == rows)
        let ranges = Self.with(threads: 2) {
            RecurrentKernel.rowRanges(batchSizes, batch: Self.batch, hidden: Self.hidden, width: gates * Self.hidden)
        }
        #expect(ranges.count == 2, "the shape is too small to be split: the test would not test threads")
        let single = Self.with(threads: 1) { Self.run(c) }
        let double = Self.with(threads: 2) { Self.run(c) }
        #expect(single.count == double.count)
        for (index, (one, two)) in zip(single, double).enumerated() {
            // The first value whose bits differ, rather than both arrays.
            let differs = one.count != two.count ? 0 : one.indices.first { one[$0].bitPattern != two[$0].bitPattern }
            #expect(differs == nil, "\(c.testDescription): result \(index) differs between 1 and 2 threads at \(differs ?? 0)")
        }
    }

    /// The outputs, final states, input gradient and parameter gradients of
    /// one forward and backward pass, from fixed seeds.
    static func run(_ c: Case) -> [[Float]] {
        let g = Generator(seed: 42)
        let layers = c.bidirectional ? 2 : 1
        let module: Module = c.gru
            ? GRU(inputSize: inputSize, hiddenSize: hidden, numLayers: layers, bidirectional: c.bidirectional, generator: g)
            : LSTM(inputSize: inputSize, hiddenSize: hidden, numLayers: layers, bidirectional: c.bidirectional, generator: g)
        let sequences = lengths.map { randomTensor([c.packed ? $0 : steps, inputSize], generator: g) }
        let packed = packSequence(sequences, enforceSorted: false)
        let x = Tensor(c.packed ? packed.data.scalars : Tensor(stacking: sequences, dim: 1).scalars,
                       shape: c.packed ? packed.data.shape : [steps, batch, inputSize], requiresGrad: true)
        var results: [Tensor]
        switch (module, c.packed) {
        case (let gru as GRU, true):
            let (output, h) = gru(packed.replacing(data: x))
            results = [output.data, h]
        case (let gru as GRU, false):
            let (output, h) = gru(x)
            results = [output, h]
        case (let lstm as LSTM, true):
            let (output, (h, cell)) = lstm(packed.replacing(data: x))
            results = [output.data, h, cell]
        case (let lstm as LSTM, _):
            let (output, (h, cell)) = lstm(x)
            results = [output, h, cell]
        default:
            fatalError("unreachable")
        }
        // A loss with a random weight per value, so every gradient differs.
        let loss = results.map { ($0 * randomTensor($0.shape, generator: g)).sum() }.reduce(Tensor(0)) { $0 + $1 }
        loss.backward()
        return results.map(\.scalars) + [x.grad!.scalars] + module.parameters().map { $0.grad!.scalars }
    }

    /// A bias's gradient (column sums) and a large bias add split between
    /// threads, by columns and by rows: the same bits as the plain loops
    /// (1,100 × 1,000, above the 1M-value split; 1,000 columns, not a
    /// whole number of 16-float lines per thread).
    @Test(arguments: [1, 2, 3])
    func columnSumsAndBiasAddGiveTheSameBits(threads: Int) {
        let (rows, columns) = (1_100, 1_000)
        let g = Generator(seed: 8)
        let y = (0..<(rows * columns)).map { _ in g.nextNormal() }, b = (0..<columns).map { _ in g.nextNormal() }
        var sums = [Float](repeating: 0, count: columns), added = y
        for r in 0..<rows {
            for j in 0..<columns { sums[j] += y[r * columns + j]; added[r * columns + j] += b[j] }
        }
        #expect(Self.with(threads: threads) { Broadcasting.columnSums(y, columns: columns) } == sums)
        var biased = y
        Self.with(threads: threads) { LinearKernel.addRows(b, to: &biased) }
        let differing = zip(biased, added).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(differing == 0, "\(differing) of \(added.count) values differ")
    }

    /// The fused cross-entropy splits its rows between threads when large:
    /// the per-row losses and the gradient are the same bits on 1 and 3
    /// threads (301 rows, not a multiple of 3).
    @Test func crossEntropyGivesTheSameBits() {
        let (rows, columns) = (301, 2_000)
        #expect(rows * columns >= 2 * CrossEntropyKernel.minimumValuesPerThread, "large enough to split")
        let g = Generator(seed: 10)
        let scores = (0..<(rows * columns)).map { _ in 3 * g.nextNormal() }
        let targets = (0..<rows).map { $0 * 7 % columns }
        func lossesAndGradient() -> ([Float], [Float]) {
            let logits = Tensor(scores, shape: [rows, columns], requiresGrad: true)
            let losses = crossEntropy(logits, targets: targets, reduction: .none)
            losses.sum().backward()
            return (losses.scalars, logits.grad!.scalars)
        }
        let single = Self.with(threads: 1, lossesAndGradient), several = Self.with(threads: 3, lossesAndGradient)
        #expect(single.0 == several.0)
        #expect(single.1 == several.1)
    }

    /// Adam's update, eight values at a time and split between threads,
    /// gives every value the same bits as the plain loop it replaced (with
    /// Adam's L2 term and with AdamW's shrink; a count that is not a whole
    /// number of vectors, large enough to split; on two and three threads).
    @Test(arguments: [(2, false), (3, true)])
    func adamUpdateGivesTheSameBitsAsThePlainLoop(threads: Int, decoupled: Bool) {
        let count = Parallelism.minimumValuesToSplit + 5
        let g = Generator(seed: 9)
        let x0 = (0..<count).map { _ in g.nextNormal() }, grad = (0..<count).map { _ in g.nextNormal() }
        let m0 = (0..<count).map { _ in 0.1 * g.nextNormal() }, v0 = (0..<count).map { _ in 0.01 * abs(g.nextNormal()) }
        let update = AdamUpdate(l2: decoupled ? 0 : 0.1, shrink: decoupled ? 0.999 : 1, beta1: 0.9, beta2: 0.999,
                                epsilon: 1e-8, stepSize: 0.01 / 0.19, correction2Root: 0.0447)
        var (x, m, v) = (x0, m0, v0)
        for i in 0..<count {
            let gi = grad[i] + update.l2 * x[i]
            m[i] = update.beta1 * m[i] + (1 - update.beta1) * gi
            v[i] = update.beta2 * v[i] + (1 - update.beta2) * gi * gi
            x[i] = x[i] * update.shrink
                - update.stepSize * m[i] / (v[i].squareRoot() / update.correction2Root + update.epsilon)
        }
        var (fx, fm, fv) = (x0, m0, v0)
        Self.with(threads: threads) {
            update.apply(x: &fx, g: grad, m: &fm, v: &fv, count: count)
        }
        let differing = [(fx, x), (fm, m), (fv, v)].map { fast, plain in
            zip(fast, plain).filter { $0.bitPattern != $1.bitPattern }.count
        }
        #expect(differing == [0, 0, 0], "values that differ in x, m, v")
    }

    /// The threads' row ranges: contiguous, covering the batch, balancing
    /// the row-steps; one range when the layer is small.
    @Test func rowRangesBalanceRowSteps() {
        let (hidden, width) = (1 << 10, 1 << 12)  // large enough to split
        let dense = Self.with(threads: 2) {
            RecurrentKernel.rowRanges([Int](repeating: 32, count: 50), batch: 32, hidden: hidden, width: width)
        }
        #expect(dense == [0..<16, 16..<32])
        // Lengths 10, 2, 2, 2, 2, 2: the first row holds half the row-steps.
        let packed = Self.with(threads: 2) {
            RecurrentKernel.rowRanges([6, 6] + [Int](repeating: 1, count: 8), batch: 6, hidden: hidden, width: width)
        }
        #expect(packed == [0..<1, 1..<6])
        let three = Self.with(threads: 3) { RecurrentKernel.rowRanges([7, 7, 7], batch: 7, hidden: hidden, width: width) }
        #expect(three == [0..<3, 3..<5, 5..<7])
        let small = Self.with(threads: 2) { RecurrentKernel.rowRanges([2, 2], batch: 2, hidden: 4, width: 16) }
        #expect(small == [0..<2])
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

    /// Workers take the caller's `setFlushDenormal` mode: every piece of a
    /// job flushes a subnormal product to zero when the caller does, and
    /// keeps it once the caller stops, whichever thread runs it.
    @Test func workersTakeTheCallersFlushDenormalMode() {
        guard #available(macOS 15, iOS 18, tvOS 18, watchOS 11, visionOS 2, *) else { return }
        guard setFlushDenormal(true) else { return }  // not supported here
        defer { setFlushDenormal(false) }
        let values: [Float] = [Float.leastNormalMagnitude, 0.25]
        let count = 64
        let results = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
        let onWorker = UnsafeMutableBufferPointer<Bool>.allocate(capacity: count)
        defer { results.deallocate(); onWorker.deallocate() }
        for flush in [true, false, true] {
            setFlushDenormal(flush)
            var workerRan = false
            let caller = pthread_self()
            for _ in 0..<200 where !workerRan {  // until a worker has run a piece (it may be slow to wake)
                results.initialize(repeating: -1)
                onWorker.initialize(repeating: false)
                WorkerPool.shared.perform(count, threads: 2) { piece in
                    var x: Float = 0
                    for _ in 0..<2_000 { x += values[1] }  // long enough for a worker to join
                    onWorker[piece] = x > 0 && pthread_equal(pthread_self(), caller) == 0
                    results[piece] = values[0] * values[1]
                }
                workerRan = onWorker.contains(true)
            }
            #expect(workerRan, "no worker ran a piece in 200 jobs")
            #expect(results.allSatisfy { flush ? $0 == 0 : $0.isSubnormal }, "flush \(flush)")
        }
    }

    /// `CPUPlacement.removing` takes CPUs out of a set, and says nil when
    /// that would leave none or changes nothing.
    @Test func placementRemovesTakenCPUs() {
        let two: CPUPlacement.CPUSet = [0b101] + Array(repeating: 0, count: 15)
        #expect(CPUPlacement.removing(0b001, from: two) == [0b100] + Array(repeating: 0, count: 15))
        #expect(CPUPlacement.removing(0b101, from: two) == nil)
        #expect(CPUPlacement.removing(0b010, from: two) == nil)
        #expect(CPUPlacement.removing(0, from: two) == nil)
        #expect(CPUPlacement.removing(-1, from: [1, 1]) == [0, 1], "CPUs 64 and up are kept")
    }

    /// A thread narrowed by another (as `WorkerPool` does to a sleeping
    /// worker) wakes on a CPU it is allowed, and `moveOff` moves the calling
    /// thread off a CPU and gives it back all its CPUs. Run on threads of
    /// their own, so the test runner's threads keep their affinity.
    @Test func placementMovesThreadsOffTakenCPUs() {
        #if os(Linux)
        guard let allowed = CPUPlacement.allowedCPUs() else {
            Issue.record("sched_getaffinity is missing on Linux")
            return
        }
        let cpus = (0..<64).map { 1 << $0 }.filter { allowed[0] & UInt64(bitPattern: Int64($0)) != 0 }
        guard cpus.count > 1 else { return }  // one CPU: nothing can move
        final class Box: @unchecked Sendable {  // written by the thread, read after it ends
            var id: Int32 = 0, woke = 0, after = 0, restored = false
        }
        for target in cpus.prefix(2) {
            let box = Box(), ready = DispatchSemaphore(value: 0), go = DispatchSemaphore(value: 0)
            let thread = Thread {
                box.id = CPUPlacement.currentThreadID()
                ready.signal()
                go.wait()
                box.woke = CPUPlacement.currentCPUBit()
                box.after = CPUPlacement.moveOff(box.woke, within: allowed)
                box.restored = CPUPlacement.allowedCPUs() == allowed
                CPUPlacement.setAllowedCPUs(allowed)
            }
            thread.start()
            ready.wait()
            #expect(box.id > 0, "gettid gave no id")
            let others = cpus.reduce(0, |) & ~target
            CPUPlacement.setAllowedCPUs(CPUPlacement.removing(others, from: allowed)!, thread: box.id)
            go.signal()
            while !thread.isFinished { usleep(1_000) }
            #expect(box.woke == target, "narrowed to CPU bit \(target), woke on \(box.woke)")
            #expect(box.after != box.woke && box.after != 0, "moveOff stayed on CPU bit \(box.woke)")
            #expect(box.restored, "moveOff did not give back every allowed CPU")
        }
        #endif
    }
}
