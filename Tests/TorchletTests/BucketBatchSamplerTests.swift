import Testing
import TestSupport
@testable import Torchlet

/// `BucketBatchSampler`: every sample once per epoch, batches of similar
/// lengths, a random and reproducible order, a new order every epoch.
@Suite struct BucketBatchSamplerTests {
    static func randomLengths(_ n: Int, seed: UInt64) -> [Int] {
        let g = Generator(seed: seed)
        return (0..<n).map { _ in 1 + g.nextInt(below: 40) }
    }

    static func paddingShare(_ batches: [[Int]], _ lengths: [Int]) -> Double {
        BucketBatchSampler.padding(of: batches, lengths: lengths).share
    }

    @Test func paddingCountsPaddedCellsAndSteps() {
        let (share, steps) = BucketBatchSampler.padding(of: [[0, 1], [2], [3, 4, 5]], lengths: [3, 1, 2, 4, 4, 1])
        #expect(steps == 3 + 2 + 4)
        #expect(abs(share - (1 - 15.0 / (6 + 2 + 12))) < 1e-12)
    }

    @Test(arguments: [(1, 1, 1), (10, 3, 2), (100, 8, 4), (257, 16, 5), (50, 64, 3)])
    func everySampleOnceInBatchesOfBatchSize(n: Int, batchSize: Int, multiplier: Int) {
        let lengths = Self.randomLengths(n, seed: UInt64(n))
        let sampler = BucketBatchSampler(lengths: lengths, batchSize: batchSize, bucketSizeMultiplier: multiplier,
                                         generator: Generator(seed: 1))
        let batches = sampler.batches()
        #expect(batches.joined().sorted() == Array(0..<n))
        #expect(batches.allSatisfy { !$0.isEmpty && $0.count <= batchSize })
        let bucket = batchSize * multiplier
        var expectedCount = 0
        for start in stride(from: 0, to: n, by: bucket) {
            let size = min(bucket, n - start)
            expectedCount += (size + batchSize - 1) / batchSize
        }
        #expect(batches.count == expectedCount, "each bucket cut into batches of \(batchSize)")
    }

    @Test func oneBucketForEverythingGivesTheSortedBatches() {
        let lengths = Self.randomLengths(96, seed: 3)
        let batches = BucketBatchSampler(lengths: lengths, batchSize: 8, bucketSizeMultiplier: 12, generator: Generator(seed: 2)).batches()
        let sortedLengths = lengths.sorted()
        let expected = stride(from: 0, to: 96, by: 8).map { Array(sortedLengths[$0..<($0 + 8)]) }
        let batchLengths: [[Int]] = batches.map { batch in batch.map { lengths[$0] }.sorted() }
        let got = batchLengths.sorted { (a: [Int], b: [Int]) -> Bool in a.lexicographicallyPrecedes(b) }
        #expect(got == expected)
        #expect(batches.map { lengths[$0[0]] } != batches.map { lengths[$0[0]] }.sorted(), "the batches themselves are shuffled")
    }

    @Test func bucketsCutThePaddingOfRandomBatches() {
        let lengths = Self.randomLengths(2_000, seed: 4)
        let g = Generator(seed: 5)
        let order = g.permutation(2_000)
        let random: [[Int]] = stride(from: 0, to: 2_000, by: 32).map { start in Array(order[start..<min(start + 32, 2_000)]) }
        let bucketed = BucketBatchSampler(lengths: lengths, batchSize: 32, bucketSizeMultiplier: 20, generator: g).batches()
        let (randomShare, bucketShare) = (Self.paddingShare(random, lengths), Self.paddingShare(bucketed, lengths))
        #expect(randomShare > 0.4, "\(randomShare)")
        #expect(bucketShare < 0.1, "\(bucketShare)")
        let single = BucketBatchSampler(lengths: lengths, batchSize: 32, bucketSizeMultiplier: 1, generator: g).batches()
        #expect(Self.paddingShare(single, lengths) > 0.3, "a bucket of one batch sorts nothing away")
    }

    @Test func reproducibleFromTheSeedAndNewEveryEpoch() {
        let lengths = Self.randomLengths(300, seed: 6)
        let a = BucketBatchSampler(lengths: lengths, batchSize: 10, bucketSizeMultiplier: 5, generator: Generator(seed: 7))
        let b = BucketBatchSampler(lengths: lengths, batchSize: 10, bucketSizeMultiplier: 5, generator: Generator(seed: 7))
        let c = BucketBatchSampler(lengths: lengths, batchSize: 10, bucketSizeMultiplier: 5, generator: Generator(seed: 8))
        let first = a.batches()
        #expect(first == b.batches())
        #expect(first != c.batches())
        #expect(first != a.batches(), "the next epoch")
    }

    @Test func badSizesAreRefused() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = BucketBatchSampler(lengths: [1, 2], batchSize: 0, generator: Generator(seed: 0))
        }
        expectStandardError(result, contains: ["BucketBatchSampler: batchSize must be positive, got 0"])
    }
}
