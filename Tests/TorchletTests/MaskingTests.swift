import Testing
import TestSupport
@testable import Torchlet

/// `lengthMask`, `maskedMean` and `maskedAccuracy`: the mask's layout, the
/// masked loss equals the ignore-index loss, gradients, and accuracy that
/// skips padding.
@Suite struct MaskingTests {
    @Test func lengthMaskLayout() {
        let mask = lengthMask(lengths: [3, 1, 0, 2])
        #expect(mask.shape == [4, 3])
        #expect(mask.scalars == [1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 0])
        let timeFirst = lengthMask(lengths: [3, 1, 0, 2], batchFirst: false)
        #expect(timeFirst.shape == [3, 4])
        #expect(timeFirst.scalars == mask.transposed().scalars)
        let padded = lengthMask(lengths: [1, 2], maxLength: 4)
        #expect(padded.shape == [2, 4])
        #expect(padded.scalars == [1, 0, 0, 0, 1, 1, 0, 0])
        #expect(lengthMask(lengths: []).shape == [0, 0])
        #expect(!mask.requiresGrad)
    }

    /// A padded batch of random logits and targets, its lengths, and the
    /// targets with padding marked by `pad`.
    static func paddedBatch(seed: Int, pad: Int) -> (logits: Tensor, targets: [Int], lengths: [Int], steps: Int) {
        let g = Generator(seed: UInt64(seed))
        let batch = 2 + g.nextInt(below: 4), classes = 2 + g.nextInt(below: 5)
        var lengths = (0..<batch).map { _ in 1 + g.nextInt(below: 6) }
        lengths[0] = lengths.max()! + g.nextInt(below: 2)  // sometimes no sequence fills the width
        let steps = lengths.max()! + 1
        let logits = randomTensor([batch * steps, classes], low: -2, high: 2, generator: g)
        var targets: [Int] = []
        for b in 0..<batch {
            for t in 0..<steps { targets.append(t < lengths[b] ? g.nextInt(below: classes) : pad) }
        }
        return (logits, targets, lengths, steps)
    }

    @Test(arguments: 0..<8)
    func maskedMeanOfPerTokenLossEqualsIgnoreIndexMean(seed: Int) {
        let pad = -100
        let (logits, targets, lengths, steps) = Self.paddedBatch(seed: seed, pad: pad)
        let mask = lengthMask(lengths: lengths, maxLength: steps).flattened()
        let perToken = crossEntropy(logits, targets: targets, reduction: .none)
        let masked = maskedMean(perToken, mask: mask)
        let ignoring = crossEntropy(logits, targets: targets, ignoreIndex: pad)
        assertClose(masked, ignoring, tolerance: 1e-5, "masked mean vs. ignoreIndex mean")
        // The unmasked mean is diluted by the zeros at padding.
        #expect(perToken.mean().item < masked.item)
    }

    @Test(arguments: 0..<5)
    func maskedMeanGradient(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let shape = randomShape(rank: 2, sizes: 2...5, generator: g)
        let values = randomTensor(shape, generator: g)
        let mask = lengthMask(lengths: (0..<shape[0]).map { _ in 1 + g.nextInt(below: shape[1]) }, maxLength: shape[1])
        checkGradients([values]) { maskedMean($0[0], mask: mask) }
        // Soft (fractional) weights, and gradients through the weights too.
        let weights = randomTensor(shape, low: 0.2, high: 1, generator: g)
        checkGradients([values, weights]) { maskedMean($0[0], mask: $0[1]) }
        // Through a loss, as a lesson uses it.
        let (logits, targets, lengths, steps) = Self.paddedBatch(seed: seed, pad: 0)
        let tokenMask = lengthMask(lengths: lengths, maxLength: steps).flattened()
        checkGradients([logits]) { maskedMean(crossEntropy($0[0], targets: targets, reduction: .none), mask: tokenMask) }
    }

    @Test func maskedMeanWithAnEmptyMaskIsNaN() {
        #expect(maskedMean(Tensor([1, 2]), mask: Tensor([0, 0])).item.isNaN)
    }

    @Test func maskedAccuracyCountsOnlyRealTokens() {
        let logits = Tensor([
            [2, 0, 0],  // predicts 0
            [0, 3, 0],  // predicts 1
            [0, 0, 1],  // predicts 2
            [5, 0, 0],  // predicts 0 (padding)
            [5, 0, 0],  // predicts 0 (padding)
        ])
        #expect(maskedAccuracy(logits: logits, targets: [0, 1, 0, -100, -100], ignoreIndex: -100) == 2.0 / 3.0)
        // With padding tag 0, predicting 0 at padding earns nothing.
        #expect(maskedAccuracy(logits: logits, targets: [2, 1, 2, 0, 0], ignoreIndex: 0) == 2.0 / 3.0)
        #expect(maskedAccuracy(logits: logits, targets: [0, 1, 2, 0, 0], ignoreIndex: -100) == 1)
        #expect(maskedAccuracy(logits: logits, targets: [-100, -100, -100, -100, -100]).isNaN)
    }

    @Test(arguments: 0..<5)
    func maskedAccuracyMatchesACount(seed: Int) {
        let (logits, targets, _, _) = Self.paddedBatch(seed: seed, pad: -1)
        let predictions = logits.argmax(dim: 1)
        let real = targets.indices.filter { targets[$0] != -1 }
        let expected = Double(real.filter { predictions[$0] == targets[$0] }.count) / Double(real.count)
        #expect(maskedAccuracy(logits: logits, targets: targets, ignoreIndex: -1) == expected)
    }
}
