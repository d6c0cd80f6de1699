import Testing
import TestSupport
@testable import Torchlet

/// An LSTM run without a graph (under `withNoGrad`, or with nothing that
/// requires grad) skips saving what backward needs; its results must be
/// the same, bit for bit, as a run that records the graph.
@Suite struct LSTMNoGradTests {
    @Test(arguments: [4, 12, 16])
    func outputsWithoutAGraphEqualOutputsWithOne(hidden: Int) {
        let g = Generator(seed: 7)
        let lstm = LSTM(inputSize: 5, hiddenSize: hidden, numLayers: 2, bidirectional: true, generator: g)
        let dense = randomTensor([6, 3, 5], generator: g)
        let packed = packSequence([4, 6, 1].map { randomTensor([$0, 5], generator: g) }, enforceSorted: false)

        let graph = lstm(dense)
        #expect(graph.output.requiresGrad)
        let plain = withNoGrad { lstm(dense) }
        #expect(!plain.output.requiresGrad)
        #expect(plain.output.scalars == graph.output.scalars)
        #expect(plain.state.0.scalars == graph.state.0.scalars && plain.state.1.scalars == graph.state.1.scalars)

        let graphPacked = lstm(packed)
        let plainPacked = withNoGrad { lstm(packed) }
        #expect(plainPacked.output.data.scalars == graphPacked.output.data.scalars)
        #expect(plainPacked.state.0.scalars == graphPacked.state.0.scalars
                && plainPacked.state.1.scalars == graphPacked.state.1.scalars)

        // The graph's run still trains: backward reaches every parameter.
        (graph.output.sum() + graphPacked.output.data.sum()).backward()
        #expect(lstm.parameters().allSatisfy { $0.grad != nil })
    }
}
