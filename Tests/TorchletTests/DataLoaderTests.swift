import Testing
import TestSupport
@testable import Torchlet

/// `DataLoader`, `Subset` and `Dataset`: every sample once per epoch, batch
/// counts and sizes, a fresh reproducible shuffle per epoch, `dropLast`.
@Suite struct DataLoaderTests {
    /// One epoch of a loader over `0..<n`, whose batches are the sample positions.
    static func epoch(_ loader: DataLoader<[Int], [Int]>) -> [[Int]] { Array(loader) }

    @Test(arguments: 0..<5)
    func everyIndexExactlyOncePerEpoch(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let n = 1 + g.nextInt(below: 60), batchSize = 1 + g.nextInt(below: 12)
        for shuffle in [false, true] {
            let loader = DataLoader(Array(0..<n), batchSize: batchSize, shuffle: shuffle, generator: g)
            for _ in 0..<3 {
                let batches = Self.epoch(loader)
                #expect(batches.count == loader.count, "n \(n) batch size \(batchSize)")
                #expect(batches.flatMap { $0 }.sorted() == Array(0..<n), "n \(n) batch size \(batchSize) shuffle \(shuffle)")
                #expect(batches.dropLast().allSatisfy { $0.count == batchSize })
                #expect(batches.last!.count == (n % batchSize == 0 ? batchSize : n % batchSize))
            }
        }
    }

    @Test func inOrderWithoutShuffle() {
        let loader = DataLoader(Array(0..<7), batchSize: 3)
        #expect(Self.epoch(loader) == [[0, 1, 2], [3, 4, 5], [6]])
        #expect(Self.epoch(loader) == [[0, 1, 2], [3, 4, 5], [6]])
        #expect(DataLoader(Array(0..<3)).count == 3, "batch size 1 by default, as in PyTorch")
    }

    @Test func shufflesDifferBetweenEpochsYetRepeatFromTheSeed() {
        func epochs(seed: UInt64) -> [[[Int]]] {
            let loader = DataLoader(Array(0..<50), batchSize: 8, shuffle: true, generator: Generator(seed: seed))
            return (0..<4).map { _ in Self.epoch(loader) }
        }
        let first = epochs(seed: 7)
        #expect(first == epochs(seed: 7), "the same seed gives the same sequence of epochs")
        #expect(first != epochs(seed: 8))
        for i in 0..<first.count {
            for j in (i + 1)..<first.count {
                #expect(first[i] != first[j], "epochs \(i) and \(j) have the same order")
            }
        }
        #expect(first[0].flatMap { $0 } != Array(0..<50), "the order is shuffled")
    }

    @Test func dropLastDropsTheShortFinalBatch() {
        let dropping = DataLoader(Array(0..<10), batchSize: 4, dropLast: true)
        #expect(dropping.count == 2)
        #expect(Self.epoch(dropping) == [[0, 1, 2, 3], [4, 5, 6, 7]])
        let keeping = DataLoader(Array(0..<10), batchSize: 4)
        #expect(keeping.count == 3)
        #expect(Self.epoch(keeping).last == [8, 9])
        // Nothing is dropped when the batches come out even.
        #expect(DataLoader(Array(0..<12), batchSize: 4, dropLast: true).count == 3)
        // Fewer samples than one batch: one short batch, or none with dropLast.
        #expect(DataLoader(Array(0..<3), batchSize: 4).count == 1)
        #expect(Self.epoch(DataLoader(Array(0..<3), batchSize: 4, dropLast: true)).isEmpty)
        let shuffled = DataLoader(Array(0..<10), batchSize: 4, shuffle: true, dropLast: true, generator: Generator(seed: 3))
        let batches = Self.epoch(shuffled)
        #expect(batches.count == 2 && batches.allSatisfy { $0.count == 4 })
        #expect(Set(batches.flatMap { $0 }).count == 8)
    }

    @Test func batchCount() {
        for n in 0..<30 {
            for batchSize in 1...7 {
                #expect(DataLoader(Array(0..<n), batchSize: batchSize).count == (n + batchSize - 1) / batchSize)
                #expect(DataLoader(Array(0..<n), batchSize: batchSize, dropLast: true).count == n / batchSize)
            }
        }
    }

    @Test func collateBuildsTheBatch() {
        let words = ["a", "bb", "ccc", "dddd", "eeeee"]
        let loader = DataLoader(words, batchSize: 2) { batch in
            Tensor(batch.map { Float($0.count) })
        }
        let sums = loader.map { $0.sum().item }
        #expect(sums == [3, 7, 5])
        #expect(loader.count == 3)
    }

    @Test func batchIndicesMatchIteration() {
        let a = DataLoader(Array(0..<20), batchSize: 6, shuffle: true, generator: Generator(seed: 1))
        let b = DataLoader(Array(0..<20), batchSize: 6, shuffle: true, generator: Generator(seed: 1))
        #expect(a.batchIndices() == Self.epoch(b))
    }

    @Test func subsetViewsTheBaseAtItsIndices() {
        let base = ["a", "b", "c", "d", "e"]
        let subset = Subset(base, indices: [4, 0, 2])
        #expect(subset.count == 3)
        #expect(subset[0] == "e" && subset[1] == "a" && subset[2] == "c")
        #expect(subset.elements == ["e", "a", "c"])
        let loader = DataLoader(subset, batchSize: 2)
        #expect(Array(loader) == [["e", "a"], ["c"]])
        // A subset of a subset.
        #expect(Subset(subset, indices: [2]).elements == ["c"])
    }
}

/// `randomSplit`: sizes, a partition of the positions, PyTorch's rounding of fractions.
@Suite struct RandomSplitTests {
    @Test(arguments: 0..<5)
    func sizesPartitionTheIndices(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let sizes = (0..<3).map { _ in g.nextInt(below: 20) }
        let parts = randomSplit(sizes.reduce(0, +), sizes: sizes, generator: g)
        #expect(parts.map(\.count) == sizes)
        #expect(parts.flatMap { $0 }.sorted() == Array(0..<sizes.reduce(0, +)))
    }

    @Test func reproducibleFromTheSeed() {
        let a = randomSplit(30, sizes: [20, 10], generator: Generator(seed: 5))
        #expect(a == randomSplit(30, sizes: [20, 10], generator: Generator(seed: 5)))
        #expect(a != randomSplit(30, sizes: [20, 10], generator: Generator(seed: 6)))
        #expect(a[0] != Array(0..<20), "the split is random")
    }

    /// Sizes worked out by hand with PyTorch's rule: floor each, then the
    /// remainder round-robin from the first split (`random_split` in torch/utils/data/dataset.py).
    @Test func fractionsRoundAsPyTorch() {
        #expect(splitSizes(10, fractions: [0.5, 0.25, 0.25]) == [6, 2, 2])
        #expect(splitSizes(7, fractions: [0.3, 0.3, 0.4]) == [3, 2, 2])
        #expect(splitSizes(100, fractions: [0.8, 0.1, 0.1]) == [80, 10, 10])
        #expect(splitSizes(11, fractions: [0.7, 0.2, 0.1]) == [8, 2, 1])
        #expect(splitSizes(5, fractions: [0.25, 0.25, 0.25, 0.25]) == [2, 1, 1, 1])
        #expect(splitSizes(3, fractions: [0.2, 0.2, 0.2, 0.2, 0.2]) == [1, 1, 1, 0, 0])
        #expect(splitSizes(0, fractions: [0.5, 0.5]) == [0, 0])
        for n in 0..<50 {
            let sizes = splitSizes(n, fractions: [0.6, 0.3, 0.1])
            #expect(sizes.reduce(0, +) == n)
            #expect(randomSplit(n, fractions: [0.6, 0.3, 0.1], generator: Generator(seed: 0)).map(\.count) == sizes)
        }
    }

    @Test func splitsADataset() {
        let data = Array(100..<110)
        let parts = randomSplit(data, fractions: [0.8, 0.2], generator: Generator(seed: 2))
        #expect(parts.map(\.count) == [8, 2])
        #expect((parts[0].elements + parts[1].elements).sorted() == data)
    }
}
