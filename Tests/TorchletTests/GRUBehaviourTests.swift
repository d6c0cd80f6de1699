import Testing
import TestSupport
@testable import Torchlet

/// `GRU`'s behaviour beyond PyTorch parity: a packed batch gives every
/// sequence what it gets alone, unbatched input, sequences of no steps,
/// dropout between layers, and preconditions with clear messages.
@Suite struct GRUBehaviourTests {
    @Test(arguments: [(1, false), (2, false), (1, true), (2, true)])
    func packedBatchEqualsEachSequenceAlone(layers: Int, bidirectional: Bool) {
        for seed in 0..<4 {
            let g = Generator(seed: UInt64(2000 + seed))
            let gru = GRU(inputSize: 3, hiddenSize: 9, numLayers: layers, bidirectional: bidirectional, generator: g)
            let batch = 1 + g.nextInt(below: 5)
            let lengths = PackedSequenceTests.randomLengths(batch: batch, maxLength: 6, sorted: seed == 3, generator: g)
            let sequences = lengths.map { randomTensor([$0, 3], generator: g) }
            let h0 = seed % 2 == 1 ? randomTensor([layers * gru.numDirections, batch, 9], generator: g) : nil
            let packed = packSequence(sequences, enforceSorted: seed == 3)
            let (output, h) = gru(packed, h0)
            #expect(output.batchSizes == packed.batchSizes && output.unsortedIndices == packed.unsortedIndices)
            let (padded, _) = padPackedSequence(output, batchFirst: true)
            for (b, sequence) in sequences.enumerated() {
                let (expectedOutput, expectedH) = gru(sequence, h0?.selected(dim: 1, index: b))
                let label = "seed \(seed), sequence \(b) of lengths \(lengths)"
                assertClose(padded.selected(dim: 0, index: b).narrowed(dim: 0, start: 0, length: lengths[b]),
                            expectedOutput, "\(label): output")
                assertClose(h.selected(dim: 1, index: b), expectedH, "\(label): h_n")
            }
        }
    }

    /// Equal lengths packed give the dense run's values and gradients.
    @Test func densePackedEqualsDense() {
        let g = Generator(seed: 7)
        let gru = GRU(inputSize: 3, hiddenSize: 10, numLayers: 2, bidirectional: true, generator: g)
        let x = randomTensor([4, 3, 3], generator: g), weight = randomTensor([4, 3, 20], generator: g)
        let xDense = Tensor(x.scalars, shape: x.shape, requiresGrad: true)
        let xPacked = Tensor(x.scalars, shape: x.shape, requiresGrad: true)
        let (dense, hDense) = gru(xDense)
        ((dense * weight).sum() + hDense.sum()).backward()
        let denseGrads = gru.parameters().map { $0.grad! }
        gru.zeroGrad()
        let (packed, hPacked) = gru(packPaddedSequence(xPacked, lengths: [4, 4, 4]))
        let (padded, _) = padPackedSequence(packed)
        ((padded * weight).sum() + hPacked.sum()).backward()
        assertClose(padded, dense, "output")
        assertClose(hPacked, hDense, "h_n")
        assertClose(xPacked.grad!, xDense.grad!, "grad input")
        for (p, expected) in zip(gru.parameters(), denseGrads) { assertClose(p.grad!, expected, "grad parameter") }
    }

    @Test func unbatchedEqualsABatchOfOne() {
        let g = Generator(seed: 8)
        let gru = GRU(inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, generator: g)
        let x = randomTensor([5, 3], generator: g), h0 = randomTensor([4, 4], generator: g)
        let (output, h) = gru(x, h0)
        #expect(output.shape == [5, 8] && h.shape == [4, 4])
        let (batched, hBatched) = gru(x.unsqueezed(dim: 1), h0.unsqueezed(dim: 1))
        assertClose(output, batched.squeezed(dim: 1), "output")
        assertClose(h, hBatched.squeezed(dim: 1), "h_n")
    }

    @Test func batchFirstIsTheTransposedLayout() {
        let g = Generator(seed: 9)
        let timeFirst = GRU(inputSize: 3, hiddenSize: 4, generator: Generator(seed: 1))
        let batchFirst = GRU(inputSize: 3, hiddenSize: 4, batchFirst: true, generator: Generator(seed: 1))
        let x = randomTensor([5, 2, 3], generator: g)
        let (a, ha) = timeFirst(x)
        let (b, hb) = batchFirst(x.transposed(0, 1))
        #expect(b.shape == [2, 5, 4] && hb.shape == [1, 2, 4])
        assertClose(b.transposed(0, 1), a, "output")
        assertClose(hb, ha, "h_n, never batch-first")
    }

    @Test func zeroStepsReturnTheInitialState() {
        let g = Generator(seed: 4)
        let gru = GRU(inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, generator: g)
        let (empty, zeros) = gru(Tensor.zeros([0, 2, 3]))
        #expect(empty.shape == [0, 2, 8] && zeros.shape == [4, 2, 4])
        #expect(zeros.scalars.allSatisfy { $0 == 0 })
        #expect(empty.requiresGrad, "like any GRU output, it requires grad when the weights do")
        let h0 = Tensor.normal([4, 2, 4], generator: g, requiresGrad: true)
        let (output, h) = gru(Tensor.zeros([0, 2, 3]), h0)
        #expect(output.shape == [0, 2, 8])
        assertClose(h, h0)
        (h * 3).sum().backward()
        assertClose(h0.grad!, Tensor.full([4, 2, 4], value: 3))
        let batchFirst = GRU(inputSize: 3, hiddenSize: 4, batchFirst: true, generator: g)
        #expect(batchFirst(Tensor.zeros([5, 0, 3])).output.shape == [5, 0, 4])
        let (unbatched, hUnbatched) = gru(Tensor.zeros([0, 3]))
        #expect(unbatched.shape == [0, 8] && hUnbatched.shape == [4, 4])
    }

    @Test func dropoutActsBetweenLayersOnlyInTraining() {
        let x = randomTensor([6, 2, 3], generator: Generator(seed: 3))
        let plain = GRU(inputSize: 3, hiddenSize: 8, numLayers: 2, generator: Generator(seed: 1))
        let dropped = GRU(inputSize: 3, hiddenSize: 8, numLayers: 2, dropout: 0.5, generator: Generator(seed: 1))
        dropped.eval()
        assertClose(dropped(x).output, plain(x).output, "eval: no dropout")
        dropped.train()
        let gap = zip(dropped(x).output.scalars, plain(x).output.scalars).map { abs($0 - $1) }.max()!
        #expect(gap > 1e-3, "training: dropout between the layers should change the output")
        let single = GRU(inputSize: 3, hiddenSize: 8, dropout: 0.5, generator: Generator(seed: 1))
        let singlePlain = GRU(inputSize: 3, hiddenSize: 8, generator: Generator(seed: 1))
        assertClose(single(x).output, singlePlain(x).output, "one layer: nothing to drop between")
    }

    @Test func inputShapeIsChecked() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = GRU(inputSize: 3, hiddenSize: 2, generator: Generator(seed: 0))(Tensor.zeros([5, 2, 4]))
        }
        expectStandardError(result, contains: ["GRU: input shape [5, 2, 4] should be [seq, batch, 3] or [seq, 3]"])
    }

    @Test func initialStateShapeIsChecked() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let gru = GRU(inputSize: 3, hiddenSize: 4, bidirectional: true, generator: Generator(seed: 0))
            _ = gru(Tensor.zeros([5, 2, 3]), Tensor.zeros([1, 2, 4]))
        }
        expectStandardError(result, contains: ["GRU: initial state shape [1, 2, 4] should be [2, 2, 4]"])
    }

    @Test func packedStateOfTheWrongBatchIsRefused() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let gru = GRU(inputSize: 2, hiddenSize: 2, generator: Generator(seed: 0))
            let packed = packSequence([Tensor.zeros([3, 2]), Tensor.zeros([1, 2])], enforceSorted: false)
            _ = gru(packed, Tensor.zeros([1, 3, 2]))
        }
        expectStandardError(result, contains: ["GRU: initial state shape [1, 3, 2] should be [1, 2, 2] for a packed batch of 2 sequences"])
    }

    @Test func packedDataWidthIsChecked() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let gru = GRU(inputSize: 3, hiddenSize: 2, generator: Generator(seed: 0))
            _ = gru(packSequence([Tensor.zeros([2, 4])]))
        }
        expectStandardError(result, contains: ["GRU: packed data shape [2, 4] should be [2, 3] (rows, inputSize)"])
    }

    @Test func dropoutOutOfRangeIsRefused() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = GRU(inputSize: 3, hiddenSize: 2, dropout: 1, generator: Generator(seed: 0))
        }
        expectStandardError(result, contains: ["GRU: dropout 1.0 must be in [0, 1)"])
    }
}
