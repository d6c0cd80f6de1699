import Testing
import TestSupport
@testable import Torchlet

/// `maskedMax`: padding never wins (even over all-negative values), the
/// gradient reaches only the valid argmax, keepDim, and gradient checks in
/// both layouts.
@Suite struct MaskedMaxTests {
    /// Distinct values at least 0.1 apart (so a finite-difference step never
    /// changes the argmax), shifted to `[low, low + 0.1·n)`.
    static func distinctValues(_ shape: [Int], low: Float, generator g: Generator) -> Tensor {
        let n = shape.reduce(1, *)
        return Tensor(g.permutation(n).map { low + 0.1 * Float($0) }, shape: shape)
    }

    @Test(arguments: 0..<5)
    func gradients(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let batch = 2 + g.nextInt(below: 3), steps = 2 + g.nextInt(below: 4), hidden = 1 + g.nextInt(below: 3)
        let lengths = (0..<batch).map { _ in 1 + g.nextInt(below: steps) }
        // Batch first: [B, T, H] with a [B, T, 1] mask, pooled over dim 1.
        let values = Self.distinctValues([batch, steps, hidden], low: -2, generator: g)
        let mask = lengthMask(lengths: lengths, maxLength: steps).unsqueezed(dim: -1)
        checkGradients([values]) { maskedMax($0[0], mask: mask, dim: 1) }
        checkGradients([values]) { maskedMax($0[0], mask: mask, dim: -2, keepDim: true) }
        // Time first: [T, B, H] with a [T, B, 1] mask, pooled over dim 0.
        let timeFirst = Self.distinctValues([steps, batch, hidden], low: -2, generator: g)
        let maskTF = lengthMask(lengths: lengths, maxLength: steps, batchFirst: false).unsqueezed(dim: -1)
        checkGradients([timeFirst]) { maskedMax($0[0], mask: maskTF, dim: 0) }
    }

    @Test(arguments: 0..<3)
    func paddingNeverWins(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let lengths = [4, 1, 3]
        let mask = lengthMask(lengths: lengths).unsqueezed(dim: -1)  // [3, 4, 1]
        // Every real value negative, padding 0 (as after padPackedSequence).
        let values = randomTensor([3, 4, 2], low: -3, high: -0.5, generator: g) * mask
        let pooled = maskedMax(values, mask: mask, dim: 1)
        #expect(pooled.shape == [3, 2])
        #expect(pooled.scalars.allSatisfy { $0 < 0 })
        for (b, length) in lengths.enumerated() {
            let expected = values[b].narrowed(dim: 0, start: 0, length: length).max(dim: 0)
            assertClose(Array(pooled.scalars[(b * 2)..<(b * 2 + 2)]), expected.scalars)
        }
        // The unmasked max reads the padding's zeros.
        #expect(values.max(dim: 1).scalars.contains(0))
        #expect(maskedMax(values, mask: mask, dim: 1, keepDim: true).shape == [3, 1, 2])
    }

    @Test func documentedExample() {
        let outputs = Tensor([[-3, -1, 0], [2, 5, 7]]).unsqueezed(dim: -1)
        let mask = lengthMask(lengths: [2, 3]).unsqueezed(dim: -1)
        #expect(maskedMax(outputs, mask: mask, dim: 1).scalars == [-1, 7])
        #expect(outputs.max(dim: 1).scalars == [0, 7])
    }

    @Test func gradientReachesTheValidArgmaxOnly() {
        let values = Tensor([-3, -1, 9, -2, -5, 9], shape: [2, 3, 1], requiresGrad: true)
        let mask = Tensor([1, 1, 0, 1, 1, 0], shape: [2, 3, 1])
        let pooled = maskedMax(values, mask: mask, dim: 1)
        #expect(pooled.scalars == [-1, -2])
        pooled.sum().backward()
        #expect(values.grad!.scalars == [0, 1, 0, 1, 0, 0])
    }
}
