import Testing
import TestSupport
@testable import Torchlet

/// Shape changes: gradients of reshaped, flattened, unsqueezed, squeezed,
/// permuted, transposed; values of reshape with -1 and of permutations.
@Suite struct ShapeTests {
    @Test(arguments: 0..<5)
    func gradients(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let shape = randomShape(rank: 3, sizes: 2...4, generator: g)
        let x = randomTensor(shape, generator: g)
        checkGradients([x]) { $0[0].reshaped(to: [shape[0] * shape[1], shape[2]]) }
        checkGradients([x]) { $0[0].reshaped(to: [-1]) }
        checkGradients([x]) { $0[0].flattened() }
        checkGradients([x]) { $0[0].flattened(startDim: 1) }
        checkGradients([x]) { $0[0].unsqueezed(dim: 1) }
        checkGradients([x]) { $0[0].unsqueezed(dim: -1) }
        checkGradients([x]) { $0[0].unsqueezed(dim: 0).squeezed(dim: 0) }
        let y = randomTensor([shape[0], 1, shape[2]], generator: g)
        checkGradients([y]) { $0[0].squeezed(dim: 1) }
        for order in [[0, 1, 2], [2, 0, 1], [1, 2, 0], [2, 1, 0], [0, 2, 1]] {
            checkGradients([x]) { $0[0].permuted(order) }
        }
        checkGradients([x]) { $0[0].transposed() }
        checkGradients([x]) { $0[0].transposed(0, 2) }
        checkGradients([x]) { $0[0].transposed(-1, -2) }
    }

    @Test func reshapeInfersMinusOne() {
        let x = Tensor.arange(0, 24).reshaped(to: [2, -1, 4])
        #expect(x.shape == [2, 3, 4])
        #expect(x.scalars == (0..<24).map(Float.init))
        #expect(x.reshaped(to: [-1]).shape == [24])
        #expect(x.reshaped(to: [6, -1]).shape == [6, 4])
        #expect(x.flattened(startDim: 1).shape == [2, 12])
        #expect(Tensor(3).flattened().shape == [1])
        #expect(x.unsqueezed(dim: -1).shape == [2, 3, 4, 1])
        #expect(x.unsqueezed(dim: 0).squeezed(dim: 0).shape == [2, 3, 4])
    }

    @Test func permutedValues() {
        let x = Tensor.arange(0, 24).reshaped(to: [2, 3, 4])
        let p = x.permuted([2, 0, 1])
        #expect(p.shape == [4, 2, 3])
        for i in 0..<2 {
            for j in 0..<3 {
                for k in 0..<4 {
                    #expect(p.scalars[(k * 2 + i) * 3 + j] == x.scalars[(i * 3 + j) * 4 + k])
                }
            }
        }
        let t = Tensor([[1, 2, 3], [4, 5, 6]]).transposed()
        #expect(t.shape == [3, 2])
        #expect(t.scalars == [1, 4, 2, 5, 3, 6])
        #expect(x.transposed(0, 2).shape == [4, 3, 2])
    }
}
