/// Batches of samples of similar length in a random order: little padding,
/// yet a different mix every epoch — the idea of torchtext's
/// `BucketIterator` and torchnlp's `BucketBatchSampler`.
///
/// One epoch, drawn from `generator`:
///
/// ```
/// 1. shuffle the positions 0..<n
/// 2. cut them into buckets of bucketSizeMultiplier · batchSize
/// 3. sort each bucket by length (a stable sort: ties keep the shuffled order)
/// 4. cut each bucket into batches of batchSize (a bucket's last batch may be short)
/// 5. shuffle the batches
/// ```
///
/// Sorting the whole data set would remove the most padding, but every
/// epoch would then see the same batches, the short sentences together and
/// the long ones together. Sorting only within a bucket keeps most of the
/// gain (a bucket of 50 batches' worth of samples already spans the length
/// distribution finely), and steps 1 and 5 keep the batches random.
///
/// ```swift
/// let sampler = BucketBatchSampler(lengths: sentences.map(\.count), batchSize: 32, generator: Generator(seed: 0))
/// for batch in sampler.batches() { train(batch.map { sentences[$0] }) }   // one epoch
/// ```
///
/// Each call of ``batches()`` is a new epoch (it draws from `generator`).
public struct BucketBatchSampler {
    /// The length of each sample.
    public let lengths: [Int]
    /// The samples per batch.
    public let batchSize: Int
    /// How many batches' worth of samples are sorted together.
    public let bucketSizeMultiplier: Int
    /// Where the shuffles come from.
    public let generator: Generator

    /// - Precondition: `batchSize > 0` and `bucketSizeMultiplier > 0`.
    public init(lengths: [Int], batchSize: Int, bucketSizeMultiplier: Int = 50, generator: Generator = .default) {
        precondition(batchSize > 0, "BucketBatchSampler: batchSize must be positive, got \(batchSize)")
        precondition(bucketSizeMultiplier > 0,
                     "BucketBatchSampler: bucketSizeMultiplier must be positive, got \(bucketSizeMultiplier)")
        self.lengths = lengths
        self.batchSize = batchSize
        self.bucketSizeMultiplier = bucketSizeMultiplier
        self.generator = generator
    }

    /// The batches of one epoch: sample positions, every position exactly once.
    ///
    /// - Complexity: O(n log n) for `n` samples.
    public func batches() -> [[Int]] {
        let order = generator.permutation(lengths.count)
        let bucketSize = batchSize * bucketSizeMultiplier
        var result: [[Int]] = []
        for start in stride(from: 0, to: order.count, by: bucketSize) {
            let bucket = order[start..<min(start + bucketSize, order.count)]
            // Swift's sort is stable (documented since Swift 5), so ties keep the shuffled order.
            let sorted = bucket.sorted { lengths[$0] < lengths[$1] }
            for first in stride(from: 0, to: sorted.count, by: batchSize) {
                result.append(Array(sorted[first..<min(first + batchSize, sorted.count)]))
            }
        }
        return generator.permutation(result.count).map { result[$0] }
    }
}

extension BucketBatchSampler {
    /// What padding index `batches` to their longest sample costs, for
    /// samples of `lengths`: the share of the padded `[B, T]` cells that
    /// are padding, and the steps an LSTM takes (Σ of each batch's longest).
    ///
    /// ```
    /// share = 1 − Σ lengths / Σ_batches (B · T)        steps = Σ_batches T
    /// ```
    ///
    /// ```swift
    /// BucketBatchSampler.padding(of: [[0, 1], [2]], lengths: [3, 1, 2])   // (share 1 − 6/8 = 0.25, steps 5)
    /// ```
    ///
    /// - Precondition: no batch is empty, and every index is one of `lengths`'.
    public static func padding(of batches: [[Int]], lengths: [Int]) -> (share: Double, steps: Int) {
        precondition(!batches.contains { $0.isEmpty }, "BucketBatchSampler.padding: a batch is empty")
        let outside = batches.joined().first { !lengths.indices.contains($0) }
        precondition(outside == nil, "BucketBatchSampler.padding: index \(outside ?? 0) is out of range 0..<\(lengths.count)")
        var real = 0, cells = 0, steps = 0
        for batch in batches {
            let longest = batch.map { lengths[$0] }.max()!
            real += batch.reduce(0) { $0 + lengths[$1] }
            cells += batch.count * longest
            steps += longest
        }
        return (cells == 0 ? 0 : 1 - Double(real) / Double(cells), steps)
    }
}
