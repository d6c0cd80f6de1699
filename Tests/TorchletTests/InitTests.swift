import Foundation
import Testing
import TestSupport
@testable import Torchlet

/// `Init`'s fill functions: in place (same object, same shape, no autograd
/// record), and the values they draw, checked by their statistics over
/// many seeds.
@Suite struct InitTests {
    /// The mean and the (population) standard deviation of `values`.
    static func moments(_ values: [Float]) -> (mean: Double, std: Double) {
        let n = Double(values.count)
        let mean = values.reduce(0.0) { $0 + Double($1) } / n
        let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
        return (mean, variance.squareRoot())
    }

    @Test func fillsInPlaceWithoutAutograd() {
        let g = Generator(seed: 1)
        let w = Tensor.zeros([3, 4], requiresGrad: true)
        let fills: [(String, (Tensor) -> Tensor)] = [
            ("uniform", { Init.uniform($0, low: -1, high: 1, generator: g) }),
            ("normal", { Init.normal($0, mean: 2, std: 0.5, generator: g) }),
            ("constant", { Init.constant($0, value: 0.25) }),
            ("zeros", { Init.zeros($0) }),
            ("ones", { Init.ones($0) }),
            ("xavierUniform", { Init.xavierUniform($0, generator: g) }),
            ("xavierNormal", { Init.xavierNormal($0, generator: g) }),
            ("kaimingUniform", { Init.kaimingUniform($0, generator: g) }),
            ("kaimingNormal", { Init.kaimingNormal($0, generator: g) }),
            ("orthogonal", { Init.orthogonal($0, generator: g) }),
            ("orthogonalPerGate", { Init.orthogonalPerGate($0, gates: 3, generator: g) }),
        ]
        for (name, fill) in fills {
            let before = w.scalars
            let returned = fill(w)
            #expect(returned === w, "\(name) returns the tensor it filled")
            #expect(w.shape == [3, 4], "\(name) keeps the shape")
            #expect(w.requiresGrad && w.isLeaf && w.grad == nil, "\(name) records no operation")
            if name != "zeros" { #expect(w.scalars != before, "\(name) changed the values") }
        }
        // The parameter still trains: a gradient reaches it after the fills.
        (w * w).sum().backward()
        assertClose(w.grad!, w * 2, "grad after init")
    }

    @Test func fillsAModulesParameterThatItsOptimizerSees() {
        let linear = Linear(inFeatures: 3, outFeatures: 2, generator: Generator(seed: 0))
        Init.zeros(linear.bias!)
        Init.constant(linear.weight, value: 0.5)
        #expect(linear.namedParameters().first { $0.name == "bias" }!.tensor.scalars == [0, 0])
        assertClose(linear(Tensor.ones([1, 3])), Tensor([[1.5, 1.5]]), "output after init")
    }

    @Test func uniformDrawsWhatTensorUniformDraws() {
        let w = Tensor.zeros([5, 7])
        Init.uniform(w, low: -0.3, high: 0.7, generator: Generator(seed: 9))
        #expect(w.scalars == Tensor.uniform([5, 7], low: -0.3, high: 0.7, generator: Generator(seed: 9)).scalars)
        Init.normal(w, mean: 1, std: 2, generator: Generator(seed: 9))
        #expect(w.scalars == Tensor.normal([5, 7], mean: 1, std: 2, generator: Generator(seed: 9)).scalars)
    }

    @Test func constantsZerosOnes() {
        let w = Tensor.normal([2, 3, 4], generator: Generator(seed: 3))
        #expect(Init.constant(w, value: -1.5).scalars == [Float](repeating: -1.5, count: 24))
        #expect(Init.zeros(w).scalars == [Float](repeating: 0, count: 24))
        #expect(Init.ones(w).scalars == [Float](repeating: 1, count: 24))
        let scalar = Tensor(3)
        #expect(Init.constant(scalar, value: 7).item == 7)
        let empty = Tensor.zeros([0, 3])
        #expect(Init.ones(empty).shape == [0, 3])
    }

    @Test(arguments: [(Float(-2), Float(3)), (0, 1), (-0.1, 0.1)])
    func uniformStatistics(low: Float, high: Float) {
        for seed in 0..<20 {
            let w = Init.uniform(Tensor.zeros([100, 50]), low: low, high: high, generator: Generator(seed: UInt64(seed)))
            #expect(w.scalars.allSatisfy { $0 >= low && $0 < high }, "seed \(seed): a value outside [\(low), \(high))")
            let (mean, std) = Self.moments(w.scalars)
            let width = Double(high - low)
            // 5000 values: the sample mean's error is ~0.004 widths, the std's ~0.3 %.
            #expect(abs(mean - Double(low + high) / 2) < 0.02 * width, "seed \(seed): mean \(mean)")
            #expect(abs(std / (width / 12.0.squareRoot()) - 1) < 0.03, "seed \(seed): std \(std)")
        }
    }

    @Test(arguments: [(Float(0), Float(1)), (3, 0.5), (-1, 2)])
    func normalStatistics(mean expectedMean: Float, std expectedStd: Float) {
        for seed in 0..<20 {
            let w = Init.normal(Tensor.zeros([100, 50]), mean: expectedMean, std: expectedStd,
                                generator: Generator(seed: UInt64(seed)))
            let (mean, std) = Self.moments(w.scalars)
            #expect(abs(mean - Double(expectedMean)) < 0.05 * Double(expectedStd), "seed \(seed): mean \(mean)")
            #expect(abs(std / Double(expectedStd) - 1) < 0.03, "seed \(seed): std \(std)")
        }
        let zeroStd = Init.normal(Tensor.zeros([3]), mean: 4, std: 0, generator: Generator(seed: 0))
        #expect(zeroStd.scalars == [4, 4, 4])
    }
}
