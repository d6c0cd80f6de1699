import Testing
@testable import Torchlet

/// `KFold`: the validation folds partition the positions, fold sizes as in
/// scikit-learn, consecutive folds without shuffle, reproducible with it.
@Suite struct KFoldTests {
    /// scikit-learn's fold sizes: `count // k`, plus one for the first `count % k` folds.
    static func sklearnSizes(count: Int, k: Int) -> [Int] {
        (0..<k).map { count / k + ($0 < count % k ? 1 : 0) }
    }

    @Test(arguments: [false, true])
    func foldsPartitionTheIndices(shuffle: Bool) {
        let g = Generator(seed: 11)
        for count in 2...25 {
            for k in 2...min(count, 6) {
                let splits = KFold(nSplits: k, shuffle: shuffle, generator: g).splits(count: count)
                #expect(splits.count == k)
                #expect(splits.map(\.validation.count) == Self.sklearnSizes(count: count, k: k), "count \(count) k \(k)")
                #expect(splits.flatMap(\.validation).sorted() == Array(0..<count), "validation folds cover every index once")
                for split in splits {
                    #expect(Set(split.train).isDisjoint(with: split.validation))
                    #expect((split.train + split.validation).sorted() == Array(0..<count))
                    #expect(split.train == split.train.sorted(), "train positions ascend, as in scikit-learn")
                }
            }
        }
    }

    /// `sklearn.model_selection.KFold(n_splits=3).split(range(10))`.
    @Test func consecutiveFoldsWithoutShuffle() {
        let splits = KFold(nSplits: 3).splits(count: 10)
        #expect(splits.map(\.validation) == [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]])
        #expect(splits[0].train == [4, 5, 6, 7, 8, 9])
        #expect(splits[1].train == [0, 1, 2, 3, 7, 8, 9])
        #expect(splits[2].train == [0, 1, 2, 3, 4, 5, 6])
        // As many folds as samples: leave-one-out.
        #expect(KFold(nSplits: 4).splits(count: 4).map(\.validation) == [[0], [1], [2], [3]])
    }

    @Test func shuffleIsReproducibleFromTheSeed() {
        func folds(_ seed: UInt64) -> [[Int]] {
            KFold(nSplits: 4, shuffle: true, generator: Generator(seed: seed)).splits(count: 20).map(\.validation)
        }
        #expect(folds(3) == folds(3))
        #expect(folds(3) != folds(4))
        #expect(folds(3) != KFold(nSplits: 4).splits(count: 20).map(\.validation), "shuffled folds are not consecutive")
    }

    @Test func defaultIsFiveFolds() {
        #expect(KFold().splits(count: 12).map(\.validation.count) == [3, 3, 2, 2, 2])
    }
}
