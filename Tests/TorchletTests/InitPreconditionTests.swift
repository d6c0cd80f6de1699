import Foundation
import Testing
import TestSupport
@testable import Torchlet

/// `Init`'s contracts: bad input stops the program with a message that
/// names the function and the shape (exit tests, as in PreconditionTests).
@Suite struct InitPreconditionTests {
    @Test func fansNeedTwoDimensions() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Init.fanInAndFanOut(Tensor.zeros([5]))
        }
        expectStandardError(result, contains: [
            "Init: fan in and fan out can not be computed for a tensor of shape [5], with fewer than 2 dimensions",
        ])
    }

    @Test func xavierNeedsTwoDimensions() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            Init.xavierUniform(Tensor.zeros([4]), generator: Generator(seed: 0))
        }
        expectStandardError(result, contains: ["fan in and fan out can not be computed for a tensor of shape [4]"])
    }

    @Test func kaimingNeedsTwoDimensions() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            Init.kaimingNormal(Tensor.zeros([3]), generator: Generator(seed: 0))
        }
        expectStandardError(result, contains: ["fan in and fan out can not be computed for a tensor of shape [3]"])
    }

    @Test func orthogonalNeedsTwoDimensions() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            Init.orthogonal(Tensor.zeros([6]), generator: Generator(seed: 0))
        }
        expectStandardError(result, contains: [
            "Init.orthogonal: only tensors with 2 or more dimensions are supported, got shape [6]",
        ])
    }

    @Test func orthogonalPerGateNeedsEqualBlocks() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            Init.orthogonalPerGate(Tensor.zeros([10, 3]), generator: Generator(seed: 0))
        }
        expectStandardError(result, contains: [
            "Init.orthogonalPerGate: shape [10, 3] does not split into 4 gate blocks [H, H]",
        ])
    }

    @Test func uniformNeedsLowBelowHigh() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            Init.uniform(Tensor.zeros([2]), low: 1, high: -1, generator: Generator(seed: 0))
        }
        expectStandardError(result, contains: ["Init.uniform: low 1.0 must not exceed high -1.0"])
    }

    @Test func normalNeedsNonNegativeStd() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            Init.normal(Tensor.zeros([2]), std: -0.5, generator: Generator(seed: 0))
        }
        expectStandardError(result, contains: ["Init.normal: std -0.5 must not be negative"])
    }

    @Test func householderQRNeedsAFullMatrix() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = householderQR([1, 2, 3], rows: 2, cols: 2)
        }
        expectStandardError(result, contains: ["householderQR: 3 values do not fill a 2 × 2 matrix"])
    }
}
