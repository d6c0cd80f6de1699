import Course
import Testing
import TestSupport
import Torchlet

/// `LSTMStack`: without residual connections it is `LSTM(numLayers:)`;
/// with them, every layer above the first adds its input.
@Suite struct LSTMStackTests {
    /// An `LSTM(numLayers:)` holding the stack's weights, layer by layer.
    static func multiLayerLSTM(like stack: LSTMStack, inputSize: Int) -> LSTM {
        let lstm = LSTM(inputSize: inputSize, hiddenSize: stack.layers[0].hiddenSize, numLayers: stack.layers.count)
        for (k, layer) in stack.layers.enumerated() {
            for (name, tensor) in layer.namedParameters() {
                let target = lstm.namedParameters().first { $0.name == name.replacingOccurrences(of: "_l0", with: "_l\(k)") }!
                target.tensor.scalars = tensor.scalars
            }
        }
        return lstm
    }

    @Test(arguments: [1, 2, 4]) func withoutResidualItIsAMultiLayerLSTM(layers: Int) {
        let g = Generator(seed: UInt64(layers))
        let stack = LSTMStack(inputSize: 3, hiddenSize: 4, numLayers: layers, residual: false, generator: g)
        let lstm = Self.multiLayerLSTM(like: stack, inputSize: 3)
        let x = Tensor.normal([5, 2, 3], generator: g)
        let state = (Tensor.normal([layers, 2, 4], generator: g), Tensor.normal([layers, 2, 4], generator: g))
        let (a, b) = (stack(x, state), lstm(x, state))
        assertClose(a.output, b.output, "output")
        assertClose(a.state.h, b.state.h, "h_n")
        assertClose(a.state.c, b.state.c, "c_n")
        #expect(stack.namedParameters().first?.name == "layers.0.weight_ih_l0")
        #expect(stack.parameterCount == lstm.parameterCount)
    }

    @Test(arguments: [3, 4]) func residualAddsTheInputOfEveryLayerAboveTheFirst(inputSize: Int) {
        let g = Generator(seed: 7)
        let stack = LSTMStack(inputSize: inputSize, hiddenSize: 4, numLayers: 3, residual: true, generator: g)
        let x = Tensor.normal([4, 2, inputSize], generator: g)
        var expected = stack.layers[0](x).output                 // no skip around the first layer
        for layer in stack.layers.dropFirst() { expected = layer(expected).output + expected }
        assertClose(stack(x).output, expected, "output of a residual stack \(inputSize) → 4 → 4 → 4")
        #expect(stack(x).state.h.shape == [3, 2, 4])
    }

    @Test func dropoutActsBetweenLayersInTrainingOnly() {
        let stack = LSTMStack(inputSize: 4, hiddenSize: 4, numLayers: 2, residual: true, dropout: 0.5, generator: Generator(seed: 8))
        let x = Tensor.normal([3, 2, 4], generator: Generator(seed: 9))
        let trained = stack(x).output
        stack.eval()
        let evaluated = stack(x).output
        let plain = LSTMStack(inputSize: 4, hiddenSize: 4, numLayers: 2, residual: true, generator: Generator(seed: 8))
        assertClose(evaluated, plain(x).output, "evaluation mode: no dropout")
        #expect(trained.scalars != evaluated.scalars, "training mode drops values between the layers")
    }
}
