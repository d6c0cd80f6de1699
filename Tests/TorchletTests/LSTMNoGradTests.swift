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

    /// Each step projecting its own input (into one step's buffer when
    /// there is no graph) gives the bits of one projection of all steps
    /// before the loop: outputs, states and gradients, dense and packed.
    @Test func stepProjectionsGiveTheBitsOfOneProjection() {
        let g = Generator(seed: 8)
        let lstm = LSTM(inputSize: 5, hiddenSize: 16, numLayers: 2, bidirectional: true, generator: g)
        let dense = randomTensor([6, 10, 5], generator: g)
        let packed = packSequence([4, 6, 1, 5, 6, 2, 3, 6, 5, 4].map { randomTensor([$0, 5], generator: g) },
                                  enforceSorted: false)
        func run() -> [[Float]] {
            let graph = lstm(dense), graphPacked = lstm(packed)
            let plain = withNoGrad { lstm(dense) }, plainPacked = withNoGrad { lstm(packed) }
            lstm.zeroGrad()
            (graph.output.sum() + graphPacked.output.data.sum()).backward()
            return [graph.output.scalars, graph.state.0.scalars, graph.state.1.scalars,
                    plain.output.scalars, plain.state.0.scalars, plain.state.1.scalars,
                    graphPacked.output.data.scalars, graphPacked.state.1.scalars,
                    plainPacked.output.data.scalars, plainPacked.state.1.scalars]
                + lstm.parameters().map { $0.grad?.scalars ?? [] }
        }
        let saved = LSTMLayerKernel.minimumRowsToProjectPerStep
        defer { LSTMLayerKernel.minimumRowsToProjectPerStep = saved }
        LSTMLayerKernel.minimumRowsToProjectPerStep = 1
        let perStep = run()
        LSTMLayerKernel.minimumRowsToProjectPerStep = .max
        let allAtOnce = run()
        // Indices, not the arrays, in a failure's message.
        let differing = perStep.indices.filter { perStep[$0] != allAtOnce[$0] }
        #expect(differing.isEmpty, "results \(differing) differ (0–9 outputs and states, then gradients)")
        let graphless = [(0, 3), (1, 4), (2, 5), (6, 8), (7, 9)].filter { perStep[$0.0] != perStep[$0.1] }
        #expect(graphless.isEmpty, "with and without a graph: \(graphless) differ")
        #expect(perStep.allSatisfy { !$0.isEmpty })
    }
}
