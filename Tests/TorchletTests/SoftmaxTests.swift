import Foundation
import Testing
import TestSupport
@testable import Torchlet

/// Softmax and log-softmax: gradients over every dimension, and finite,
/// correct values for logits of ±1000.
@Suite struct SoftmaxTests {
    @Test(arguments: 0..<5)
    func gradients(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let x = randomTensor(randomShape(rank: 2, sizes: 2...4, generator: g), low: -2, high: 2, generator: g)
        for dim in [0, 1, -1] {
            checkGradients([x]) { $0[0].logSoftmax(dim: dim) }
            checkGradients([x]) { $0[0].softmax(dim: dim) }
        }
        let x3 = randomTensor(randomShape(rank: 3, sizes: 2...3, generator: g), low: -2, high: 2, generator: g)
        for dim in [0, 1, 2] {
            checkGradients([x3]) { $0[0].logSoftmax(dim: dim) }
            checkGradients([x3]) { $0[0].softmax(dim: dim) }
        }
    }

    @Test func hugeLogits() {
        let x = Tensor([[1000, -1000, 999, 0.5], [-1000, -1000, -1000, -1000]])
        let logP = x.logSoftmax(dim: 1), p = x.softmax(dim: 1)
        #expect(logP.scalars.allSatisfy { $0.isFinite })
        #expect(p.scalars.allSatisfy { $0.isFinite })
        // Row 0: log(1 + e⁻¹) decides the two live entries; the others are ~0.
        let lse = Float(Foundation.log(1 + Foundation.exp(-1.0)))
        assertClose(Array(logP.scalars[0..<4]), [-lse, -2000 - lse, -1 - lse, -999.5 - lse])
        assertClose(Array(p.scalars[0..<4]), [1 / (1 + Float(Foundation.exp(-1.0))), 0, 1 / (1 + Float(Foundation.exp(1.0))), 0])
        assertClose(Array(p.scalars[4..<8]), [0.25, 0.25, 0.25, 0.25])
        assertClose(Array(logP.scalars[4..<8]), [Float](repeating: -Float(Foundation.log(4.0)), count: 4))
    }

    @Test(arguments: 0..<3)
    func rowsSumToOne(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let x = randomTensor([3, 4, 5], low: -5, high: 5, generator: g)
        for dim in 0..<3 {
            assertClose(x.softmax(dim: dim).sum(dim: dim).scalars, [Float](repeating: 1, count: 60 / x.shape[dim]))
            assertClose(x.logSoftmax(dim: dim).exp().scalars, x.softmax(dim: dim).scalars)
        }
    }
}
