import Testing
import TestSupport
@testable import Torchlet

/// Reductions: gradient checks for `sum`, `mean`, `sum(dim:keepDim:)`,
/// `mean(dim:)`, `max(dim:)`, and `argmax` values.
@Suite struct ReductionTests {
    @Test(arguments: 0..<5)
    func wholeTensorGradients(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let x = randomTensor(randomShape(rank: 1 + g.nextInt(below: 3), generator: g), generator: g)
        checkGradients([x]) { $0[0].sum() }
        checkGradients([x]) { $0[0].mean() }
    }

    @Test(arguments: 0..<5)
    func dimensionGradients(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let rank = 1 + g.nextInt(below: 3)
        let x = randomTensor(randomShape(rank: rank, generator: g), generator: g)
        for dim in -rank..<rank {
            for keepDim in [false, true] {
                checkGradients([x]) { $0[0].sum(dim: dim, keepDim: keepDim) }
                checkGradients([x]) { $0[0].mean(dim: dim, keepDim: keepDim) }
            }
        }
    }

    @Test(arguments: 0..<5)
    func maxGradients(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let rank = 1 + g.nextInt(below: 3)
        let shape = randomShape(rank: rank, generator: g)
        // Distinct values at least 0.1 apart, so ±ε never changes the winner.
        let values = g.permutation(shape.reduce(1, *)).map { Float($0) * 0.1 }
        let x = Tensor(values, shape: shape)
        for dim in -rank..<rank {
            checkGradients([x]) { $0[0].max(dim: dim) }
            checkGradients([x]) { $0[0].max(dim: dim, keepDim: true) }
        }
    }

    @Test func values() {
        let x = Tensor([[1, 5, 3], [4, 2, 6]])
        assertClose(x.sum(dim: 0).scalars, [5, 7, 9])
        #expect(x.sum(dim: 1, keepDim: true).shape == [2, 1])
        assertClose(x.mean(dim: 1).scalars, [3, 4])
        assertClose(x.max(dim: 1).scalars, [5, 6])
        assertClose(x.max(dim: 0).scalars, [4, 5, 6])
        #expect(x.sum().item == 21)
        #expect(x.mean().item == 3.5)
    }

    @Test func argmax() {
        let x = Tensor([[1, 5, 3], [4, 2, 6], [7, 7, 0]])
        #expect(x.argmax(dim: 1) == [1, 2, 0])   // ties: the first
        #expect(x.argmax(dim: 0) == [2, 2, 1])
        #expect(x.argmax() == [1, 2, 0])
        #expect(Tensor([-3, -1, -2]).argmax() == [1])
        #expect(Tensor([-Float.infinity, -Float.infinity]).argmax() == [0])
    }

    /// The gradient of `max` goes to the first maximal element only.
    @Test func maxTieGradient() {
        let x = Tensor([2, 7, 7, 1], requiresGrad: true)
        x.max(dim: 0).backward()
        #expect(x.grad!.scalars == [0, 1, 0, 0])
    }

    /// A NaN is the maximum, at its first place, as in PyTorch (`torch.max` and `argmax` propagate NaN).
    @Test func nanIsTheMaximum() {
        let x = Tensor([[1, .nan, 3, .nan], [4, 2, 8, 1]])
        #expect(x.argmax(dim: 1) == [1, 2])
        let m = x.max(dim: 1)
        #expect(m.scalars[0].isNaN && m.scalars[1] == 8)
        #expect(Tensor([.nan, 1]).argmax(dim: 0) == [0])
        let masked = maskedMax(Tensor([[1, .nan, 3]]), mask: Tensor([[1, 1, 1]]), dim: 1)
        #expect(masked.scalars[0].isNaN)
        #expect(maskedMax(Tensor([[1, .nan, 3]]), mask: Tensor([[1, 0, 1]]), dim: 1).scalars == [3], "padding is never read")
    }

    /// The mean of nothing is NaN, as in PyTorch, not a stop.
    @Test func meanOfNothingIsNaN() {
        #expect(Tensor.zeros([0]).mean().item.isNaN)
        let rows = Tensor.zeros([2, 0]).mean(dim: 1)
        #expect(rows.shape == [2] && rows.scalars.allSatisfy(\.isNaN))
    }
}
