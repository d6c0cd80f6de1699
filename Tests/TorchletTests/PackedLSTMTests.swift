import Testing
import TestSupport
@testable import Torchlet

/// `LSTM` over a `PackedSequence`: the key property is that a packed batch
/// gives every sequence exactly what it gets when run alone, unbatched
/// (outputs, final states and gradients), in any order, with or without an
/// initial state.
@Suite struct PackedLSTMTests {
    struct Config: CustomTestStringConvertible, Sendable {
        let numLayers: Int
        let bidirectional: Bool
        var testDescription: String { "\(numLayers) layer(s)\(bidirectional ? ", bidirectional" : "")" }
    }

    static let configs = [Config(numLayers: 1, bidirectional: false), Config(numLayers: 2, bidirectional: false),
                          Config(numLayers: 1, bidirectional: true), Config(numLayers: 2, bidirectional: true)]

    @Test(arguments: configs)
    func packedBatchEqualsEachSequenceAlone(config: Config) {
        let inputSize = 3, hidden = 4
        for seed in 0..<8 {
            let g = Generator(seed: UInt64(1000 + seed))
            let lstm = LSTM(inputSize: inputSize, hiddenSize: hidden, numLayers: config.numLayers,
                            bidirectional: config.bidirectional, generator: g)
            let directions = config.bidirectional ? 2 : 1
            let enforceSorted = seed % 4 == 3
            let batch = 1 + g.nextInt(below: 5)
            let lengths = PackedSequenceTests.randomLengths(batch: batch, maxLength: 6, sorted: enforceSorted, generator: g)
            let sequences = lengths.map { randomTensor([$0, inputSize], generator: g) }
            let withState = seed % 2 == 1
            let state: LSTMState? = withState
                ? (randomTensor([config.numLayers * directions, batch, hidden], generator: g),
                   randomTensor([config.numLayers * directions, batch, hidden], generator: g))
                : nil

            let packed = packSequence(sequences, enforceSorted: enforceSorted)
            let (output, (h, c)) = lstm(packed, state)
            #expect(output.batchSizes == packed.batchSizes)
            #expect(output.sortedIndices == packed.sortedIndices && output.unsortedIndices == packed.unsortedIndices)
            #expect(output.data.shape == [lengths.reduce(0, +), directions * hidden])
            let (padded, back) = padPackedSequence(output, batchFirst: true)
            #expect(back == lengths)

            for (b, sequence) in sequences.enumerated() {
                let alone = state.map { s in (s.h.selected(dim: 1, index: b), s.c.selected(dim: 1, index: b)) }
                let (expectedOutput, (expectedH, expectedC)) = lstm(sequence, alone)
                let label = "seed \(seed), \(config.testDescription), sequence \(b) of lengths \(lengths)"
                let row = padded.selected(dim: 0, index: b)
                assertClose(row.narrowed(dim: 0, start: 0, length: lengths[b]), expectedOutput, "\(label): output")
                if lengths[b] < padded.shape[1] {
                    let rest = row.narrowed(dim: 0, start: lengths[b], length: padded.shape[1] - lengths[b])
                    #expect(rest.scalars.allSatisfy { $0 == 0 }, "\(label): padding is not zero")
                }
                assertClose(h.selected(dim: 1, index: b), expectedH, "\(label): h_n")
                assertClose(c.selected(dim: 1, index: b), expectedC, "\(label): c_n")
            }
        }
    }

    /// The loss of a packed batch has the gradients of the sum of each
    /// sequence's loss run alone: for the inputs, the initial state and
    /// every parameter.
    @Test(arguments: configs)
    func packedGradientsEqualEachSequenceAlone(config: Config) {
        let g = Generator(seed: 77)
        let lstm = LSTM(inputSize: 2, hiddenSize: 3, numLayers: config.numLayers, bidirectional: config.bidirectional, generator: g)
        let layers = config.numLayers * (config.bidirectional ? 2 : 1)
        let lengths = [2, 5, 1, 4]
        let sequences = lengths.map { randomTensor([$0, 2], generator: g, requiresGrad: true) }
        let h0 = randomTensor([layers, 4, 3], generator: g, requiresGrad: true)
        let c0 = randomTensor([layers, 4, 3], generator: g, requiresGrad: true)
        let weight = randomTensor([5, 4, lstm.numDirections * 3], generator: g)
        let stateWeight = randomTensor([layers, 4, 3], generator: g)

        let (output, (h, c)) = lstm(packSequence(sequences, enforceSorted: false), (h0, c0))
        let (padded, _) = padPackedSequence(output)
        ((padded * weight).sum() + (h * stateWeight).sum() + (c * stateWeight).sum()).backward()
        let packedGrads = (sequences + [h0, c0]).map { $0.grad!.scalars }
        let paramGrads = lstm.parameters().map { $0.grad!.scalars }

        for t in sequences + [h0, c0] + lstm.parameters() { t.zeroGrad() }
        var total: Tensor? = nil
        for (b, sequence) in sequences.enumerated() {
            let (o, (hb, cb)) = lstm(sequence, (h0.selected(dim: 1, index: b), c0.selected(dim: 1, index: b)))
            let w = weight.selected(dim: 1, index: b).narrowed(dim: 0, start: 0, length: lengths[b])
            let sw = stateWeight.selected(dim: 1, index: b)
            let term = (o * w).sum() + (hb * sw).sum() + (cb * sw).sum()
            total = total.map { $0 + term } ?? term
        }
        total!.backward()
        for (k, t) in (sequences + [h0, c0]).enumerated() {
            assertClose(packedGrads[k], t.grad!.scalars, "\(config.testDescription): input \(k)")
        }
        for (k, p) in lstm.parameters().enumerated() {
            assertClose(paramGrads[k], p.grad!.scalars, "\(config.testDescription): parameter \(k)")
        }
    }

    @Test(arguments: [false, true])
    func packedLSTMGradientCheck(bidirectional: Bool) {
        let g = Generator(seed: 5)
        let lstm = LSTM(inputSize: 2, hiddenSize: 2, numLayers: 2, bidirectional: bidirectional, generator: g)
        let layers = 2 * lstm.numDirections
        let x = randomTensor([4, 3, 2], generator: g)
        let h0 = randomTensor([layers, 3, 2], generator: g), c0 = randomTensor([layers, 3, 2], generator: g)
        let params = lstm.parameters()
        checkGradients([x, h0, c0] + [params[0], params[1], params[4]]) { inputs in
            let packed = packPaddedSequence(inputs[0], lengths: [2, 4, 1], enforceSorted: false)
            let (output, (h, c)) = lstm(packed, (inputs[1], inputs[2]))
            let (padded, _) = padPackedSequence(output, batchFirst: true)
            return Tensor(concatenating: [padded.flattened(), h.flattened(), c.flattened()])
        }
    }

    @Test func tokenIdsThroughEmbeddingAndLSTM() {
        let g = Generator(seed: 11)
        let embedding = Embedding(numEmbeddings: 20, embeddingDim: 3, generator: g)
        let lstm = LSTM(inputSize: 3, hiddenSize: 4, bidirectional: true, generator: g)
        let ids = [[3, 4, 5], [1], [7, 8, 9, 10, 11], [2, 2]]
        let (_, (h, _)) = lstm(embedding(packSequence(ids, enforceSorted: false)))
        for (b, sequence) in ids.enumerated() {
            let (_, (expected, _)) = lstm(embedding(sequence))
            assertClose(h.selected(dim: 1, index: b), expected, "sequence \(b)")
        }
    }
}

/// `randomTensor` with `requiresGrad`, for the gradient comparisons above.
private func randomTensor(_ shape: [Int], generator: Generator, requiresGrad: Bool) -> Tensor {
    let t = randomTensor(shape, generator: generator)
    t.requiresGrad = requiresGrad
    return t
}
