import Testing
import TestSupport
@testable import Torchlet

/// The fused `crossEntropy` against the composition it replaces,
/// `nllLoss(logSoftmax(x))`: values and gradients in every reduction, with
/// ignored targets, for class counts that do and do not fill whole vectors.
@Suite struct CrossEntropyFusedTests {
    static let reductions: [Reduction] = [.mean, .sum, .none]

    /// The loss and the logits' gradient (of the sum of the loss values,
    /// weighted so that `.none` gets a gradient that differs per row).
    static func lossAndGradient(_ logits: Tensor, _ loss: (Tensor) -> Tensor) -> (loss: [Float], grad: [Float]) {
        let x = Tensor(logits.scalars, shape: logits.shape, requiresGrad: true)
        let value = loss(x)
        let rowWeights = Tensor((0..<value.count).map { Float($0 % 3) + 0.5 }, shape: value.shape)
        (value * rowWeights).sum().backward()
        return (value.scalars, x.grad!.scalars)
    }

    @Test(arguments: [1, 7, 8, 13, 37, 1000])
    func equalsLogSoftmaxThenNLL(classes: Int) {
        for seed in 0..<4 {
            let g = Generator(seed: UInt64(seed))
            let rows = 1 + g.nextInt(below: 9)
            let logits = randomTensor([rows, classes], low: -6, high: 6, generator: g)
            var targets = (0..<rows).map { _ in g.nextInt(below: classes) }
            if rows > 1 { targets[rows / 2] = -100 }
            for reduction in Self.reductions {
                let fused = Self.lossAndGradient(logits) { crossEntropy($0, targets: targets, reduction: reduction) }
                let composed = Self.lossAndGradient(logits) {
                    nllLoss($0.logSoftmax(dim: 1), targets: targets, reduction: reduction)
                }
                assertClose(fused.loss, composed.loss, tolerance: 1e-6, "loss, \(classes) classes, \(reduction)")
                assertClose(fused.grad, composed.grad, tolerance: 1e-6, "gradient, \(classes) classes, \(reduction)")
            }
        }
    }

    @Test func gradientIsSoftmaxMinusOneHotOverTheCount() {
        let logits = Tensor([[1, 2, 3], [0, 0, 0], [5, -5, 0]], requiresGrad: true)
        crossEntropy(logits, targets: [2, -100, 0]).backward()
        let p = logits.detached().softmax(dim: 1).scalars
        // Mean over the 2 counted rows; the ignored row gets nothing.
        let expected = [(p[0]) / 2, p[1] / 2, (p[2] - 1) / 2, 0, 0, 0, (p[6] - 1) / 2, p[7] / 2, p[8] / 2]
        assertClose(logits.grad!.scalars, expected, tolerance: 1e-6)
    }

    @Test func customIgnoreIndexAndAllIgnored() {
        let logits = Tensor([[1, 2], [3, 4]])
        let one = crossEntropy(logits, targets: [0, 1], ignoreIndex: 1)
        assertClose(one.scalars, [crossEntropy(Tensor([[1, 2]]), targets: [0]).item], tolerance: 1e-6)
        // Every target ignored: the mean of nothing is NaN, as in PyTorch.
        #expect(crossEntropy(logits, targets: [-100, -100]).item.isNaN)
        #expect(crossEntropy(logits, targets: [-100, -100], reduction: .sum).item == 0)
    }

    /// Large inputs split their rows between threads; each row must come
    /// out exactly as it does alone.
    @Test func rowSplitMatchesRowsAlone() {
        let g = Generator(seed: 3)
        let rows = 64, classes = 10_003
        let logits = randomTensor([rows, classes], low: -4, high: 4, generator: g)
        let targets = (0..<rows).map { _ in g.nextInt(below: classes) }
        let values = crossEntropy(logits, targets: targets, reduction: .none).scalars
        let whole = Tensor(logits.scalars, shape: logits.shape, requiresGrad: true)
        crossEntropy(whole, targets: targets, reduction: .sum).backward()
        for row in [0, 31, 32, 63] {
            let alone = logits.narrowed(dim: 0, start: row, length: 1).detached()
            alone.requiresGrad = true
            let value = crossEntropy(alone, targets: [targets[row]], reduction: .sum)
            value.backward()
            #expect(values[row] == value.item, "row \(row)")
            #expect(Array(whole.grad!.scalars[(row * classes)..<((row + 1) * classes)]) == alone.grad!.scalars, "row \(row)")
        }
    }
}
