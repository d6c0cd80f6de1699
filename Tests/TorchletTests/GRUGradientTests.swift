import Testing
import TestSupport
@testable import Torchlet

/// Gradient checks (central differences) for `GRU` with respect to the
/// input, the initial state and every parameter, dense and packed.
/// (`GRUCell`'s are in GRUCellTests.)
@Suite struct GRUGradientTests {
    struct Configuration: CustomTestStringConvertible, Sendable {
        var layers = 1, bidirectional = false, batchFirst = false, steps = 5
        var testDescription: String { "layers \(layers) bi \(bidirectional) batchFirst \(batchFirst) T \(steps)" }
    }

    static let configurations: [Configuration] = [
        .init(), .init(steps: 1), .init(layers: 2), .init(bidirectional: true),
        .init(layers: 2, bidirectional: true), .init(batchFirst: true),
    ]

    @Test(arguments: configurations)
    func gru(configuration k: Configuration) {
        for seed in 0..<2 {
            let g = Generator(seed: UInt64(seed))
            let inputSize = 2, hidden = 3, batch = 2
            let gru = GRU(inputSize: inputSize, hiddenSize: hidden, numLayers: k.layers, batchFirst: k.batchFirst,
                          bidirectional: k.bidirectional, generator: g)
            let x = randomTensor(k.batchFirst ? [batch, k.steps, inputSize] : [k.steps, batch, inputSize], generator: g)
            let h0 = randomTensor([k.layers * gru.numDirections, batch, hidden], generator: g)
            checkGradients([x, h0] + gru.parameters()) {
                let (output, h) = gru($0[0], $0[1])
                return Tensor(concatenating: [output.flattened(), h.flattened()])
            }
        }
    }

    /// Unbatched input `[T, I]` and the zero initial state.
    @Test func gruUnbatched() {
        let g = Generator(seed: 11)
        let gru = GRU(inputSize: 2, hiddenSize: 2, numLayers: 2, bidirectional: true, generator: g)
        let x = randomTensor([4, 2], generator: g)
        checkGradients([x] + gru.parameters()) {
            let (output, h) = gru($0[0])
            return Tensor(concatenating: [output.flattened(), h.flattened()])
        }
    }

    @Test(arguments: [false, true])
    func packedGRU(bidirectional: Bool) {
        let g = Generator(seed: 5)
        let gru = GRU(inputSize: 2, hiddenSize: 2, numLayers: 2, bidirectional: bidirectional, generator: g)
        let x = randomTensor([4, 3, 2], generator: g)
        let h0 = randomTensor([2 * gru.numDirections, 3, 2], generator: g)
        checkGradients([x, h0] + gru.parameters()) { inputs in
            let packed = packPaddedSequence(inputs[0], lengths: [2, 4, 1], enforceSorted: false)
            let (output, h) = gru(packed, inputs[1])
            let (padded, _) = padPackedSequence(output, batchFirst: true)
            return Tensor(concatenating: [padded.flattened(), h.flattened()])
        }
    }
}
