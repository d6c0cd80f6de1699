import Testing
import TestSupport
@testable import Torchlet

/// Creation functions: constants, ranges and seeded random tensors.
@Suite struct CreationTests {
    @Test func constants() {
        let z = Tensor.zeros([2, 3])
        #expect(z.shape == [2, 3])
        #expect(z.scalars == [Float](repeating: 0, count: 6))
        #expect(Tensor.ones([4]).scalars == [1, 1, 1, 1])
        #expect(Tensor.full([2, 2], value: 7).scalars == [7, 7, 7, 7])
        #expect(Tensor.zeros([]).shape == [] && Tensor.zeros([]).count == 1)
        #expect(Tensor.zeros([0, 3]).count == 0)
        #expect(Tensor.ones([2], requiresGrad: true).requiresGrad)
        #expect(Tensor([1, 2, 3]).zerosLike().scalars == [0, 0, 0])
        #expect(Tensor(2.5).shape == [])
        #expect(Tensor([[1, 2], [3, 4]]).shape == [2, 2])
    }

    @Test func scalarsCanBeRewrittenAtTheSameSize() {
        let a = Tensor.ones([2, 2])
        a.scalars = [1, 2, 3, 4]
        a.scalars[3] = 9
        a.scalars.withUnsafeMutableBufferPointer { $0[0] = 5 }
        #expect(a.scalars == [5, 2, 3, 9])
    }

    @Test func arange() {
        #expect(Tensor.arange(0, 5).scalars == [0, 1, 2, 3, 4])
        #expect(Tensor.arange(2, 5).scalars == [2, 3, 4])
        #expect(Tensor.arange(0, 1, step: 0.25).scalars == [0, 0.25, 0.5, 0.75])
        #expect(Tensor.arange(3, 0, step: -1).scalars == [3, 2, 1])
        #expect(Tensor.arange(0, 0).shape == [0])
    }

    @Test(arguments: 0..<3)
    func uniformRange(seed: Int) {
        let x = Tensor.uniform([10_000], low: -2, high: 3, generator: Generator(seed: UInt64(seed)))
        #expect(x.scalars.allSatisfy { $0 >= -2 && $0 < 3 })
        let mean = x.scalars.reduce(0, +) / 10_000
        #expect(abs(mean - 0.5) < 0.05)
        // Both ends of the range are reached.
        #expect(x.scalars.min()! < -1.99 && x.scalars.max()! > 2.99)
    }

    @Test(arguments: 0..<3)
    func normalMoments(seed: Int) {
        let x = Tensor.normal([10_000], generator: Generator(seed: UInt64(seed)))
        let n = Double(x.count)
        let mean = x.scalars.reduce(0.0) { $0 + Double($1) } / n
        let variance = x.scalars.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
        // Standard errors: 0.01 for the mean, ~0.007 for the std.
        #expect(abs(mean) < 0.04)
        #expect(abs(variance.squareRoot() - 1) < 0.03)
        #expect(x.scalars.allSatisfy { $0.isFinite })
        let shifted = Tensor.normal([10_000], mean: 5, std: 0.5, generator: Generator(seed: UInt64(seed)))
        assertClose(shifted.scalars, x.scalars.map { 5 + 0.5 * $0 }, "mean + std · N(0, 1) from the same stream")
    }
}
