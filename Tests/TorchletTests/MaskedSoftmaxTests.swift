import Testing
import TestSupport
@testable import Torchlet

/// `maskedSoftmax`: gradients over every dimension with full and broadcast
/// masks, zero weight at padding whatever its score, and the plain softmax
/// when nothing is masked.
@Suite struct MaskedSoftmaxTests {
    /// A random 0/1 mask of `shape` with at least one 1 along `dim` in every slice.
    static func randomMask(_ shape: [Int], dim: Int, generator g: Generator) -> Tensor {
        let probe = Tensor.zeros(shape)
        let (outer, size, inner) = probe.split(around: dim)
        var values = (0..<probe.count).map { _ in Float(g.nextInt(below: 2)) }
        for o in 0..<outer {
            for j in 0..<inner { values[(o * size + g.nextInt(below: size)) * inner + j] = 1 }
        }
        return Tensor(values, shape: shape)
    }

    @Test(arguments: 0..<5)
    func gradients(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let scores = randomTensor(randomShape(rank: 3, sizes: 2...4, generator: g), low: -3, high: 3, generator: g)
        for dim in [0, 1, 2, -1] {
            let mask = Self.randomMask(scores.shape, dim: (dim + 3) % 3, generator: g)
            checkGradients([scores]) { maskedSoftmax($0[0], mask: mask, dim: dim) }
        }
        // A [B, 1, T] mask over [B, Q, T] scores, as in attention.
        var maskShape = scores.shape
        maskShape[1] = 1
        let broadcastMask = Self.randomMask(maskShape, dim: 2, generator: g)
        checkGradients([scores]) { maskedSoftmax($0[0], mask: broadcastMask, dim: 2) }
    }

    @Test(arguments: 0..<3)
    func paddingGetsNoWeight(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let lengths = [5, 2, 3, 1]
        let mask = lengthMask(lengths: lengths)
        let scores = randomTensor([4, 5], low: -2, high: 2, generator: g)
        let weights = maskedSoftmax(scores, mask: mask, dim: 1)
        // Padding scores of 1e30 change nothing.
        let loud = Tensor(zip(scores.scalars, mask.scalars).map { $1 == 0 ? 1e30 : $0 }, shape: [4, 5])
        assertClose(maskedSoftmax(loud, mask: mask, dim: 1), weights)
        for (b, length) in lengths.enumerated() {
            let row = Array(weights.scalars[(b * 5)..<(b * 5 + 5)])
            #expect(row[length...].allSatisfy { $0 == 0 })
            // The valid part is the plain softmax of the valid scores.
            let valid = scores[b].narrowed(dim: 0, start: 0, length: length).softmax(dim: 0)
            assertClose(Array(row[..<length]), valid.scalars)
        }
        // An all-ones mask is the plain softmax, on any dimension.
        assertClose(maskedSoftmax(scores, mask: Tensor.ones([1]), dim: 0), scores.softmax(dim: 0))
    }

    @Test func documentedExample() {
        let weights = maskedSoftmax(Tensor([[1, 2, 9], [0, 0, 0]]), mask: lengthMask(lengths: [2, 3]), dim: 1)
        assertClose(weights.scalars, [0.2689414, 0.7310586, 0, 1 / 3, 1 / 3, 1 / 3])
    }

    @Test func hugeValidScoresStayFinite() {
        let weights = maskedSoftmax(Tensor([[1000, 999, -1000, 5e30]]), mask: Tensor([[1, 1, 1, 0]]), dim: -1)
        #expect(weights.scalars.allSatisfy { $0.isFinite })
        assertClose(weights.scalars, [0.7310586, 0.2689414, 0, 0])
    }
}
