import Testing
import TestSupport
@testable import Torchlet

/// An LSTM over a sequence of no steps (T = 0): an empty output, and the
/// initial state returned as the final state with the batch kept.
@Suite struct ZeroLengthLSTMTests {
    @Test func batchedWithoutStateGivesZerosOfTheBatch() {
        let lstm = LSTM(inputSize: 3, hiddenSize: 4, generator: Generator(seed: 1))
        let (output, state) = lstm(Tensor.zeros([0, 2, 3]))
        #expect(output.shape == [0, 2, 4])
        #expect(state.h.shape == [1, 2, 4] && state.c.shape == [1, 2, 4])
        #expect(state.h.scalars.allSatisfy { $0 == 0 } && state.c.scalars.allSatisfy { $0 == 0 })
        #expect(output.requiresGrad, "like any LSTM output, it requires grad when the weights do")
    }

    @Test func batchFirstAndBidirectionalStackedLayers() {
        let lstm = LSTM(inputSize: 3, hiddenSize: 4, numLayers: 2, batchFirst: true, bidirectional: true,
                        generator: Generator(seed: 2))
        let (output, state) = lstm(Tensor.zeros([5, 0, 3]))
        #expect(output.shape == [5, 0, 8])
        #expect(state.h.shape == [4, 5, 4] && state.c.shape == [4, 5, 4])
    }

    @Test func unbatchedWithoutState() {
        let lstm = LSTM(inputSize: 3, hiddenSize: 4, numLayers: 2, generator: Generator(seed: 3))
        let (output, state) = lstm(Tensor.zeros([0, 3]))
        #expect(output.shape == [0, 4])
        #expect(state.h.shape == [2, 4] && state.c.shape == [2, 4])
        #expect(state.h.scalars.allSatisfy { $0 == 0 })
    }

    @Test func aGivenStateComesBackAndGradientsReachIt() {
        let g = Generator(seed: 4)
        let lstm = LSTM(inputSize: 3, hiddenSize: 4, bidirectional: true, generator: g)
        let h0 = Tensor.normal([2, 2, 4], generator: g, requiresGrad: true)
        let c0 = Tensor.normal([2, 2, 4], generator: g, requiresGrad: true)
        let (output, state) = lstm(Tensor.zeros([0, 2, 3]), (h0, c0))
        #expect(output.shape == [0, 2, 8])
        assertClose(state.h, h0)
        assertClose(state.c, c0)
        (state.h.sum() + (state.c * 3).sum() + output.sum()).backward()
        assertClose(h0.grad!, Tensor.ones([2, 2, 4]))
        assertClose(c0.grad!, Tensor.full([2, 2, 4], value: 3))
    }

    @Test func unbatchedGivenStateComesBackAndGradientsReachIt() {
        let g = Generator(seed: 5)
        let lstm = LSTM(inputSize: 3, hiddenSize: 4, generator: g)
        let h0 = Tensor.normal([1, 4], generator: g, requiresGrad: true)
        let c0 = Tensor.normal([1, 4], generator: g, requiresGrad: true)
        let (output, state) = lstm(Tensor.zeros([0, 3]), (h0, c0))
        #expect(output.shape == [0, 4])
        assertClose(state.h, h0)
        assertClose(state.c, c0)
        (state.h * 2 + state.c).sum().backward()
        assertClose(h0.grad!, Tensor.full([1, 4], value: 2))
        assertClose(c0.grad!, Tensor.ones([1, 4]))
    }

    @Test func aStateOfTheWrongBatchIsStillRefused() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let lstm = LSTM(inputSize: 3, hiddenSize: 4, generator: Generator(seed: 6))
            _ = lstm(Tensor.zeros([0, 2, 3]), (Tensor.zeros([1, 3, 4]), Tensor.zeros([1, 3, 4])))
        }
        expectStandardError(result, contains: ["LSTM: initial state shapes [1, 3, 4], [1, 3, 4] should be [1, 2, 4]"])
    }
}
