import Testing
import TestSupport
@testable import Torchlet

/// `linear(_:weight:bias:)` against the composition it replaces,
/// `x.matmul(W.transposed()) + b`: the same values and gradients, bit for
/// bit, for inputs of rank 1 to 3, with and without a bias.
@Suite struct LinearFunctionalTests {
    /// The output and the gradients of x, W and b (empty when absent) of
    /// the weighted sum of the output.
    static func run(
        _ x: Tensor, _ w: Tensor, _ b: Tensor?, _ f: (Tensor, Tensor, Tensor?) -> Tensor
    ) -> [[Float]] {
        let (x, w) = (Tensor(x.scalars, shape: x.shape, requiresGrad: true), Tensor(w.scalars, shape: w.shape, requiresGrad: true))
        let b = b.map { Tensor($0.scalars, shape: $0.shape, requiresGrad: true) }
        let y = f(x, w, b)
        let weights = Tensor((0..<y.count).map { Float($0 % 5) - 2 }, shape: y.shape)
        (y * weights).sum().backward()
        return [y.scalars, x.grad!.scalars, w.grad!.scalars, b?.grad!.scalars ?? []]
    }

    @Test(arguments: 0..<6)
    func equalsMatmulOfTransposePlusBias(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let inFeatures = 1 + g.nextInt(below: 40), outFeatures = 1 + g.nextInt(below: 70)
        let leading = [[], [1 + g.nextInt(below: 9)], [2, 1 + g.nextInt(below: 5)]][seed % 3]
        let x = randomTensor(leading + [inFeatures], generator: g)
        let w = randomTensor([outFeatures, inFeatures], generator: g)
        let b = seed < 3 ? randomTensor([outFeatures], generator: g) : nil
        let fused = Self.run(x, w, b) { x, w, b in linear(x, weight: w, bias: b) }
        let composed = Self.run(x, w, b) { x, w, b in
            let flat = x.reshaped(to: [-1, inFeatures])
            let y = b.map { flat.matmul(w.transposed()) + $0 } ?? flat.matmul(w.transposed())
            return y.reshaped(to: leading + [outFeatures])
        }
        for (name, (a, e)) in zip(["output", "grad x", "grad W", "grad b"], zip(fused, composed)) {
            #expect(a == e, "\(name), x \(x.shape), W \(w.shape), bias \(b != nil)")
        }
    }

    /// Shapes past the matrix product's blocking (k > 256) and its threads.
    @Test func largeShapes() {
        let g = Generator(seed: 9)
        let x = randomTensor([70, 300], generator: g), w = randomTensor([520, 300], generator: g)
        let b = randomTensor([520], generator: g)
        let fused = Self.run(x, w, b) { x, w, b in linear(x, weight: w, bias: b) }
        let composed = Self.run(x, w, b) { x, w, b in x.matmul(w.transposed()) + b! }
        #expect(fused == composed)
    }

    @Test func gradientsAgreeWithFiniteDifferences() {
        let g = Generator(seed: 4)
        let x = randomTensor([3, 4], generator: g), w = randomTensor([5, 4], generator: g), b = randomTensor([5], generator: g)
        checkGradients([x, w, b]) { linear($0[0], weight: $0[1], bias: $0[2]) }
    }

    @Test func onlyWhatRequiresGradGetsAGradient() {
        let x = Tensor([[1, 2]]), w = Tensor([[3, 4]], requiresGrad: true)
        linear(x, weight: w).sum().backward()
        #expect(w.grad!.scalars == [1, 2])
        #expect(x.grad == nil)
    }
}
