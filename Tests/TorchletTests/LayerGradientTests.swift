import Testing
import TestSupport
@testable import Torchlet

/// Gradient checks for `Linear`, `Embedding` (with respect to its weight)
/// and dropout in training mode with a fixed mask.
@Suite struct LayerGradientTests {
    @Test(arguments: 0..<5)
    func linear(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let inFeatures = 1 + g.nextInt(below: 4), outFeatures = 1 + g.nextInt(below: 4)
        let layer = Linear(inFeatures: inFeatures, outFeatures: outFeatures, generator: g)
        let x2 = randomTensor([3, inFeatures], generator: g)
        checkGradients([x2, layer.weight, layer.bias!]) { layer($0[0]) }
        let x3 = randomTensor([2, 3, inFeatures], generator: g)
        checkGradients([x3, layer.weight, layer.bias!]) { layer($0[0]) }
        let x1 = randomTensor([inFeatures], generator: g)
        checkGradients([x1, layer.weight, layer.bias!]) { layer($0[0]) }
        let noBias = Linear(inFeatures: inFeatures, outFeatures: outFeatures, bias: false, generator: g)
        checkGradients([x2, noBias.weight]) { noBias($0[0]) }
    }

    @Test(arguments: 0..<5)
    func embedding(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let embedding = Embedding(numEmbeddings: 6, embeddingDim: 3, generator: g)
        let indices = (0..<8).map { _ in g.nextInt(below: 6) } + [2, 2]  // 2 repeats
        checkGradients([embedding.weight]) { _ in embedding(indices, shape: [2, 5]) }
    }

    /// The padding row gets no gradient (by design, not the true derivative),
    /// every other row does, and repeated rows accumulate.
    @Test func embeddingPaddingRow() {
        let embedding = Embedding(numEmbeddings: 4, embeddingDim: 2, paddingIndex: 0, generator: Generator(seed: 1))
        #expect(Array(embedding.weight.scalars[0..<2]) == [0, 0])
        embedding([0, 3, 0, 3, 1], shape: [5]).sum().backward()
        #expect(embedding.weight.grad!.scalars == [0, 0, 1, 1, 0, 0, 2, 2])
    }

    @Test(arguments: 0..<5)
    func dropoutWithFixedMask(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let x = randomTensor(randomShape(rank: 2, sizes: 2...5, generator: g), generator: g)
        // Dropout draws its mask from the generator on every call: a fresh
        // generator with the same seed gives the same mask each evaluation.
        checkGradients([x]) { dropout($0[0], p: 0.3, training: true, generator: Generator(seed: UInt64(seed) + 100)) }
        checkGradients([x]) { Dropout(p: 0.5, generator: Generator(seed: UInt64(seed) + 200))($0[0]) }
    }

    @Test func dropoutValues() {
        let x = Tensor.ones([1000])
        let y = dropout(x, p: 0.25, training: true, generator: Generator(seed: 3))
        let kept = y.scalars.filter { $0 != 0 }
        #expect(kept.allSatisfy { abs($0 - 1 / 0.75) < 1e-6 })
        #expect(abs(Float(kept.count) / 1000 - 0.75) < 0.05)
        let layer = Dropout(p: 0.5, generator: Generator(seed: 3))
        layer.eval()
        #expect(layer(x) === x, "eval mode is the identity")
        #expect(dropout(x, p: 0, training: true).scalars == x.scalars)
    }
}
