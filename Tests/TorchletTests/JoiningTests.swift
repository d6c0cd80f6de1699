import Testing
import TestSupport
@testable import Torchlet

/// Joining and splitting: gradients of concatenation, stacking, split and
/// chunked, and concatenation values.
@Suite struct JoiningTests {
    @Test(arguments: 0..<5)
    func concatenationGradients(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let base = randomShape(rank: 3, sizes: 1...3, generator: g)
        for dim in 0..<3 {
            let parts = (0..<3).map { _ -> Tensor in
                var s = base
                s[dim] = 1 + g.nextInt(below: 3)
                return randomTensor(s, generator: g)
            }
            checkGradients(parts) { Tensor(concatenating: $0, dim: dim) }
        }
        let same = (0..<3).map { _ in randomTensor(base, generator: g) }
        for dim in [0, 1, 2, 3, -1] {
            checkGradients(same) { Tensor(stacking: $0, dim: dim) }
        }
    }

    @Test(arguments: 0..<5)
    func splitGradients(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let x = randomTensor([4, 6, 2], generator: g)
        // Each piece weighted differently, so a swapped piece shows.
        checkGradients([x]) { x in
            let pieces = x[0].split(sizes: [1, 3, 2], dim: 1)
            return Tensor(concatenating: pieces.enumerated().map { $0.element * Float($0.offset + 1) }, dim: 1)
        }
        checkGradients([x]) { $0[0].split(sizes: [3, 1], dim: 0)[1] }
        checkGradients([x]) { x in
            let chunks = x[0].chunked(into: 3, dim: 1)
            return chunks[0] * chunks[2] + chunks[1]
        }
        checkGradients([x]) { $0[0].chunked(into: 2, dim: -1)[1] }
    }

    @Test func values() {
        let a = Tensor([[1, 2], [3, 4]]), b = Tensor([[5], [6]])
        let c = Tensor(concatenating: [a, b], dim: 1)
        #expect(c.shape == [2, 3])
        #expect(c.scalars == [1, 2, 5, 3, 4, 6])
        let r = Tensor(concatenating: [a, Tensor([[7, 8]])], dim: 0)
        #expect(r.shape == [3, 2])
        #expect(r.scalars == [1, 2, 3, 4, 7, 8])
        let s = Tensor(stacking: [a, a * 10], dim: 1)
        #expect(s.shape == [2, 2, 2])
        #expect(s.scalars == [1, 2, 10, 20, 3, 4, 30, 40])
        let pieces = Tensor.arange(0, 6).split(sizes: [2, 4])
        #expect(pieces.map(\.scalars) == [[0, 1], [2, 3, 4, 5]])
        let chunks = Tensor.arange(0, 8).reshaped(to: [2, 4]).chunked(into: 2, dim: 1)
        #expect(chunks.map(\.scalars) == [[0, 1, 4, 5], [2, 3, 6, 7]])
    }
}
