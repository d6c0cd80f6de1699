import Foundation
import Testing
import TestSupport
@testable import Torchlet

/// Programmer errors stop the program with a message that names the
/// operation and the shapes (Swift Testing exit tests: each body runs in a
/// child process, which must crash, and its standard error is checked).
@Suite struct PreconditionTests {
    @Test func matmulInnerDimensionMismatch() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([3, 4]).matmul(Tensor.zeros([5, 2]))
        }
        expectStandardError(result, contains: ["matmul: [3, 4] × [5, 2]: inner dimensions 4 and 5 differ"])
    }

    @Test func addShapesDoNotBroadcast() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]) + Tensor.zeros([4])
        }
        expectStandardError(result, contains: ["add: shapes [2, 3] and [4] do not broadcast"])
    }

    @Test func lstmInputFeatureSize() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let lstm = LSTM(inputSize: 3, hiddenSize: 2, generator: Generator(seed: 0))
            _ = lstm(Tensor.zeros([5, 2, 4]))
        }
        expectStandardError(result, contains: ["LSTM: input shape [5, 2, 4] should be [seq, batch, 3]"])
    }

    @Test func crossEntropyTargetOutOfRange() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = crossEntropy(Tensor.zeros([2, 5]), targets: [1, 7])
        }
        expectStandardError(result, contains: ["target 7 at row 1 is out of range 0..<5"])
    }

    @Test func scalarsCannotChangeATensorsSize() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let a = Tensor.ones([2, 2])
            a.scalars = [1, 2, 3, 4, 5, 6]
        }
        expectStandardError(result, contains: [
            "scalars: 6 values written to a tensor of shape [2, 2], which holds 4; a tensor's size cannot change",
        ])
    }

    @Test func scalarsCannotShrinkInPlace() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let a = Tensor.ones([3])
            a.scalars.removeLast()
        }
        expectStandardError(result, contains: ["scalars: 2 values written to a tensor of shape [3], which holds 3"])
    }

    @Test func backwardOnNonScalarWithoutGradient() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let x = Tensor.ones([2, 3], requiresGrad: true)
            (x * 2).backward()
        }
        expectStandardError(result, contains: ["backward: a gradient can be implied only for a one-element output; got shape [2, 3]"])
    }

    @Test func binaryCrossEntropyTargetsShape() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = binaryCrossEntropyWithLogits(Tensor.zeros([4, 1]), targets: Tensor.zeros([4]))
        }
        expectStandardError(result, contains: ["binaryCrossEntropyWithLogits: logits shape [4, 1] and targets shape [4] differ"])
    }

    @Test func binaryCrossEntropyPosWeightShape() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = binaryCrossEntropyWithLogits(Tensor.zeros([4, 3]), targets: Tensor.zeros([4, 3]), posWeight: Tensor.ones([2]))
        }
        expectStandardError(result, contains: ["binaryCrossEntropyWithLogits: shapes [4, 3] and [2] do not broadcast"])
    }

    @Test func maskedSoftmaxAllPaddingRow() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = maskedSoftmax(Tensor.zeros([3, 4]), mask: lengthMask(lengths: [4, 0, 2]), dim: 1)
        }
        expectStandardError(result, contains: [
            "maskedSoftmax: scores[1, :] has no valid position (the mask is 0 all along dim 1 of scores [3, 4])",
        ])
    }

    @Test func maskedSoftmaxMaskDoesNotBroadcast() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = maskedSoftmax(Tensor.zeros([3, 4]), mask: Tensor.ones([4, 3]), dim: 1)
        }
        expectStandardError(result, contains: ["maskedSoftmax: mask shape [4, 3] does not broadcast to scores shape [3, 4]"])
    }

    @Test func maskedMaxAllPaddingSlice() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let mask = lengthMask(lengths: [3, 0], batchFirst: false).unsqueezed(dim: -1)  // [T 3, B 2, 1]
            _ = maskedMax(Tensor.zeros([3, 2, 5]), mask: mask, dim: 0)
        }
        expectStandardError(result, contains: [
            "maskedMax: values[:, 1, 0] has no valid position (the mask is 0 all along dim 0 of values [3, 2, 5])",
        ])
    }

    @Test func maskedMaxMaskWithoutFeatureDimension() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = maskedMax(Tensor.zeros([2, 3, 5]), mask: lengthMask(lengths: [3, 1]), dim: 1)
        }
        expectStandardError(result, contains: [
            "maskedMax: mask shape [2, 3] does not broadcast to values shape [2, 3, 5] "
                + "(for a mask of the first 2 dimensions, pass mask.unsqueezed(dim: -1))",
        ])
    }
}
