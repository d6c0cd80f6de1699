import Testing
import TestSupport
@testable import Torchlet

/// Gradient checks for `LSTMCell` and `LSTM` with respect to the input, the
/// initial state and every parameter.
@Suite struct LSTMGradientTests {
    @Test(arguments: 0..<5)
    func cell(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let inputSize = 1 + g.nextInt(below: 3), hidden = 1 + g.nextInt(below: 3), batch = 1 + g.nextInt(below: 3)
        let cell = LSTMCell(inputSize: inputSize, hiddenSize: hidden, generator: g)
        let x = randomTensor([batch, inputSize], generator: g)
        let h = randomTensor([batch, hidden], generator: g), c = randomTensor([batch, hidden], generator: g)
        checkGradients([x, h, c] + cell.parameters()) {
            let (h1, c1) = cell($0[0], ($0[1], $0[2]))
            return Tensor(concatenating: [h1, c1], dim: 1)
        }
        // Unbatched, from the zero state.
        let x1 = randomTensor([inputSize], generator: g)
        checkGradients([x1] + cell.parameters()) { cell($0[0]).h }
    }

    struct Configuration: CustomTestStringConvertible, Sendable {
        var layers = 1, bidirectional = false, batchFirst = false, steps = 6
        var testDescription: String { "layers \(layers) bi \(bidirectional) batchFirst \(batchFirst) T \(steps)" }
    }

    static let configurations: [Configuration] = [
        .init(), .init(steps: 1),
        .init(layers: 2), .init(layers: 2, steps: 1),
        .init(bidirectional: true), .init(bidirectional: true, steps: 1),
        .init(layers: 2, bidirectional: true),
        .init(batchFirst: true), .init(layers: 2, bidirectional: true, batchFirst: true, steps: 1),
    ]

    @Test(arguments: configurations)
    func lstm(configuration k: Configuration) {
        for seed in 0..<2 {
            let g = Generator(seed: UInt64(seed))
            let inputSize = 2, hidden = 3, batch = 2
            let lstm = LSTM(inputSize: inputSize, hiddenSize: hidden, numLayers: k.layers, batchFirst: k.batchFirst,
                            bidirectional: k.bidirectional, generator: g)
            let x = randomTensor(k.batchFirst ? [batch, k.steps, inputSize] : [k.steps, batch, inputSize], generator: g)
            let stateShape = [k.layers * lstm.numDirections, batch, hidden]
            let h0 = randomTensor(stateShape, generator: g), c0 = randomTensor(stateShape, generator: g)
            checkGradients([x, h0, c0] + lstm.parameters()) {
                let (output, (h, c)) = lstm($0[0], ($0[1], $0[2]))
                return Tensor(concatenating: [output.flattened(), h.flattened(), c.flattened()])
            }
        }
    }

    /// Unbatched input `[T, I]` and the zero initial state.
    @Test func lstmUnbatched() {
        let g = Generator(seed: 11)
        let lstm = LSTM(inputSize: 2, hiddenSize: 2, numLayers: 2, bidirectional: true, generator: g)
        let x = randomTensor([4, 2], generator: g)
        checkGradients([x] + lstm.parameters()) {
            let (output, (h, c)) = lstm($0[0])
            return Tensor(concatenating: [output.flattened(), h.flattened(), c.flattened()])
        }
    }
}
