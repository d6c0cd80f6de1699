import Foundation
import Testing
import TestSupport
@testable import Torchlet

/// `binaryCrossEntropyWithLogits`: gradients (logits and soft targets, all
/// reductions, with and without `posWeight`), finite values where sigmoid
/// then log overflows, and agreement with the textbook form elsewhere.
@Suite struct BinaryCrossEntropyTests {
    static let reductions: [Reduction] = [.mean, .sum, .none]

    @Test(arguments: 0..<5)
    func gradients(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let shape = randomShape(rank: 2, sizes: 2...4, generator: g)
        let logits = randomTensor(shape, low: -4, high: 4, generator: g)
        let targets = randomTensor(shape, low: 0, high: 1, generator: g)  // soft labels: differentiable
        let posWeight = randomTensor([shape[1]], low: 0.3, high: 3, generator: g)
        for reduction in Self.reductions {
            checkGradients([logits, targets]) {
                binaryCrossEntropyWithLogits($0[0], targets: $0[1], reduction: reduction)
            }
            checkGradients([logits, targets]) {
                binaryCrossEntropyWithLogits($0[0], targets: $0[1], reduction: reduction, posWeight: posWeight)
            }
        }
    }

    /// Where float32 sigmoid is exact enough, the stable form equals
    /// −[p·y·log σ(x) + (1 − y)·log(1 − σ(x))] computed naively.
    @Test(arguments: 0..<3)
    func equalsTextbookFormForModerateLogits(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let logits = randomTensor([3, 4], low: -5, high: 5, generator: g)
        let targets = randomTensor([3, 4], low: 0, high: 1, generator: g)
        let posWeight = randomTensor([4], low: 0.5, high: 2, generator: g)
        let p = logits.sigmoid()
        let naive = -(posWeight * targets * p.log() + (1 - targets) * (1 - p).log())
        assertClose(
            binaryCrossEntropyWithLogits(logits, targets: targets, reduction: .none, posWeight: posWeight), naive,
            tolerance: 1e-4)
        assertClose(binaryCrossEntropyWithLogits(logits, targets: targets), (-(targets * p.log() + (1 - targets) * (1 - p).log())).mean(), tolerance: 1e-5)
    }

    @Test func confidentWrongAnswersStayFinite() {
        let logits = Tensor([20, -200, 1000, -1000, 0], requiresGrad: true)
        let targets = Tensor([0, 1, 0, 1, 1])
        let loss = binaryCrossEntropyWithLogits(logits, targets: targets, reduction: .none)
        assertClose(loss.scalars, [20, 200, 1000, 1000, Float(Foundation.log(2.0))])
        // sigmoid then log overflows on the first: log(1 − σ(20)) = log(0).
        #expect((1 - Tensor([20]).sigmoid()).log().item == -.infinity)
        loss.sum().backward()
        assertClose(logits.grad!.scalars, [1, -1, 1, -1, -0.5])
    }
}
