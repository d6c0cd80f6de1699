import Testing
import TestSupport
@testable import Torchlet

/// Gradient checks for `crossEntropy`, `nllLoss` (with ignored targets, in
/// all three reductions) and `mseLoss`, and their values.
@Suite struct LossGradientTests {
    static let reductions: [Reduction] = [.mean, .sum, .none]

    @Test(arguments: 0..<5)
    func classification(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let rows = 3 + g.nextInt(below: 4), classes = 2 + g.nextInt(below: 4)
        let logits = randomTensor([rows, classes], low: -2, high: 2, generator: g)
        var targets = (0..<rows).map { _ in g.nextInt(below: classes) }
        targets[1] = -100
        for reduction in Self.reductions {
            checkGradients([logits]) { crossEntropy($0[0], targets: targets, reduction: reduction) }
            checkGradients([logits]) { nllLoss($0[0].logSoftmax(dim: 1), targets: targets, reduction: reduction) }
            checkGradients([logits]) { nllLoss($0[0], targets: targets, reduction: reduction) }
            // A custom ignore index (class 0 as padding).
            checkGradients([logits]) { crossEntropy($0[0], targets: targets.map { max($0, 0) }, ignoreIndex: 0, reduction: reduction) }
        }
    }

    @Test(arguments: 0..<5)
    func meanSquaredError(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let shape = randomShape(rank: 2, generator: g)
        let input = randomTensor(shape, generator: g), target = randomTensor(shape, generator: g)
        for reduction in Self.reductions {
            checkGradients([input, target]) { mseLoss($0[0], $0[1], reduction: reduction) }
        }
    }

    @Test func values() {
        let logProbs = Tensor([[-1, -2, -3], [-0.5, -1.5, -2.5], [-4, -5, -6]])
        let targets = [2, -100, 0]
        assertClose(nllLoss(logProbs, targets: targets, reduction: .none).scalars, [3, 0, 4])
        assertClose(nllLoss(logProbs, targets: targets, reduction: .sum).scalars, [7])
        assertClose(nllLoss(logProbs, targets: targets).scalars, [3.5], "mean over the 2 counted targets")
        assertClose(mseLoss(Tensor([1, 2, 3]), Tensor([1, 4, 0])).scalars, [13 / 3])
        assertClose(mseLoss(Tensor([1, 2, 3]), Tensor([1, 4, 0]), reduction: .sum).scalars, [13])
        // Huge logits stay finite.
        let ce = crossEntropy(Tensor([[1000, -1000], [-1000, 1000]]), targets: [0, 0])
        assertClose(ce.scalars, [1000])
    }
}
