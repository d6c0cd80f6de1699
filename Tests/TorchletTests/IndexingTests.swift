import Testing
import TestSupport
@testable import Torchlet

/// Indexing: gradients of narrowed, selected, subscript, indexSelect (with
/// repeated indices) and gather (dims 0 and 1, and the last valid output
/// of [B, T, H] and [T, B, H] outputs), and gather's values.
@Suite struct IndexingTests {
    @Test(arguments: 0..<5)
    func sliceGradients(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let shape = randomShape(rank: 3, sizes: 2...4, generator: g)
        let x = randomTensor(shape, generator: g)
        for dim in 0..<3 {
            let start = g.nextInt(below: shape[dim])
            let length = 1 + g.nextInt(below: shape[dim] - start)
            checkGradients([x]) { $0[0].narrowed(dim: dim, start: start, length: length) }
            let index = g.nextInt(below: shape[dim])
            checkGradients([x]) { $0[0].selected(dim: dim, index: index) }
            checkGradients([x]) { $0[0].selected(dim: dim - 3, index: index - shape[dim]) }
        }
        checkGradients([x]) { $0[0][shape[0] - 1] }
    }

    @Test(arguments: 0..<5)
    func indexSelectGradients(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let shape = randomShape(rank: 3, sizes: 2...4, generator: g)
        let x = randomTensor(shape, generator: g)
        for dim in 0..<3 {
            // Repeats are likely with 6 draws from ≤ 4 rows; force one.
            var indices = (0..<5).map { _ in g.nextInt(below: shape[dim]) }
            indices.append(indices[0])
            checkGradients([x]) { $0[0].indexSelect(dim: dim, indices: indices) }
        }
    }

    @Test(arguments: 0..<5)
    func gatherGradients(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let rows = 2 + g.nextInt(below: 3), columns = 2 + g.nextInt(below: 3)
        let x = randomTensor([rows, columns], generator: g)
        // dim 0: index [k, columns] with values in 0..<rows, repeats allowed.
        let k = 1 + g.nextInt(below: 4)
        let index0 = (0..<(k * columns)).map { _ in g.nextInt(below: rows) }
        checkGradients([x]) { $0[0].gather(dim: 0, index: index0, indexShape: [k, columns]) }
        // dim 1: index [rows, k] with values in 0..<columns.
        let index1 = (0..<(rows * k)).map { _ in g.nextInt(below: columns) }
        checkGradients([x]) { $0[0].gather(dim: 1, index: index1, indexShape: [rows, k]) }
        checkGradients([x]) { $0[0].gather(dim: -1, index: index1, indexShape: [rows, k]) }
    }

    /// The course's use: the last valid output of each sequence,
    /// `output.gather(1, (lengths − 1).view(B, 1, 1).expand(B, 1, H))`
    /// batch first and `gather(0, …view(1, B, 1)…)` time first.
    @Test(arguments: 0..<5)
    func gatherLastValidOutputGradients(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let batch = 1 + g.nextInt(below: 4), steps = 1 + g.nextInt(below: 5), hidden = 1 + g.nextInt(below: 3)
        let lengths = (0..<batch).map { _ in 1 + g.nextInt(below: steps) }
        let index = lengths.flatMap { [Int](repeating: $0 - 1, count: hidden) }
        let batchFirst = randomTensor([batch, steps, hidden], generator: g)
        checkGradients([batchFirst]) { $0[0].gather(dim: 1, index: index, indexShape: [batch, 1, hidden]) }
        let timeFirst = randomTensor([steps, batch, hidden], generator: g)
        checkGradients([timeFirst]) { $0[0].gather(dim: 0, index: index, indexShape: [1, batch, hidden]) }
        // Both pick the same rows as indexing each sequence at lengths[b] − 1.
        let picked = timeFirst.gather(dim: 0, index: index, indexShape: [1, batch, hidden])
        for (b, length) in lengths.enumerated() {
            #expect(picked.squeezed(dim: 0)[b].scalars == timeFirst[length - 1][b].scalars)
        }
    }

    @Test func gatherValues() {
        let x = Tensor([[1, 2, 3], [4, 5, 6]])
        let byColumn = x.gather(dim: 1, index: [2, 0, 1, 1], indexShape: [2, 2])
        #expect(byColumn.shape == [2, 2])
        #expect(byColumn.scalars == [3, 1, 5, 5])
        let byRow = x.gather(dim: 0, index: [1, 0, 1], indexShape: [1, 3])
        #expect(byRow.scalars == [4, 2, 6])
        // The last valid output of each sequence: the course's use of gather.
        let outputs = Tensor.arange(0, 24).reshaped(to: [2, 4, 3])  // [B, T, H]
        let lengths = [2, 4]
        let last = outputs.gather(dim: 1, index: lengths.flatMap { [Int](repeating: $0 - 1, count: 3) }, indexShape: [2, 1, 3])
        #expect(last.scalars == [3, 4, 5, 21, 22, 23])
    }

    @Test func sliceValues() {
        let x = Tensor.arange(0, 12).reshaped(to: [3, 4])
        #expect(x.narrowed(dim: 1, start: 1, length: 2).scalars == [1, 2, 5, 6, 9, 10])
        #expect(x.selected(dim: 1, index: -1).scalars == [3, 7, 11])
        #expect(x[1].scalars == [4, 5, 6, 7])
        #expect(x.indexSelect(dim: 0, indices: [2, 0, 2]).scalars == [8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11])
    }
}
