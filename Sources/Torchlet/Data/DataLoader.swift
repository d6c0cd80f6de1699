/// Reads a data set in batches, like `torch.utils.data.DataLoader`: it is a
/// `Sequence` of batches, one epoch per iteration.
///
/// Each batch holds up to `batchSize` samples, turned into one value (a
/// padded tensor, a list) by the `collate` function. With `shuffle` the
/// order is a fresh random permutation drawn from `generator` **each time
/// the loader is iterated**, so every epoch sees a different order, and the
/// whole sequence of epochs is reproducible from the generator's seed.
/// Without `shuffle` the samples come in order.
///
/// ```swift
/// let loader = DataLoader(trainSet, batchSize: 32, shuffle: true, generator: Generator(seed: 1)) { sentences in
///     padBatch(sentences)          // your collate: [TaggedSentence] -> your batch type
/// }
/// loader.count                     // batches per epoch
/// for epoch in 0..<epochs {
///     for batch in loader { train(batch) }   // a new order every epoch
/// }
/// ```
///
/// Iterating draws from `generator` once per epoch (`count` random numbers
/// for the permutation), so do not share the generator with code whose
/// stream must not move, or give the loader its own.
public struct DataLoader<D: Dataset, Batch>: Sequence {
    /// The data set read.
    public let dataset: D
    /// The number of samples per batch (the last batch may be smaller unless `dropLast`).
    public let batchSize: Int
    /// Whether each epoch visits the samples in a new random order.
    public let shuffle: Bool
    /// Whether a final batch smaller than `batchSize` is left out.
    public let dropLast: Bool
    /// Where the shuffling permutations come from.
    public let generator: Generator
    /// Turns the samples of one batch into a batch.
    public let collate: ([D.Element]) -> Batch

    /// Creates a loader of `dataset` in batches of `batchSize`, combined by `collate`.
    ///
    /// - Parameters:
    ///   - batchSize: samples per batch, like `batch_size` (default 1, as in PyTorch).
    ///   - shuffle: draw a new permutation each epoch, like `shuffle=True`.
    ///   - dropLast: leave out a final short batch, like `drop_last=True`.
    ///   - generator: the source of the permutations.
    ///   - collate: builds a batch from its samples, like `collate_fn`.
    /// - Precondition: `batchSize > 0`.
    public init(
        _ dataset: D, batchSize: Int = 1, shuffle: Bool = false, dropLast: Bool = false,
        generator: Generator = .default, collate: @escaping ([D.Element]) -> Batch
    ) {
        precondition(batchSize > 0, "DataLoader: batchSize must be positive, got \(batchSize)")
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.generator = generator
        self.collate = collate
    }

    /// The number of batches in one epoch, like `len(loader)`.
    ///
    /// ```
    /// count = ⌊n / batchSize⌋        with dropLast
    ///         ⌈n / batchSize⌉        without
    /// ```
    public var count: Int {
        dropLast ? dataset.count / batchSize : (dataset.count + batchSize - 1) / batchSize
    }

    /// The sample positions of each batch of one epoch; with `shuffle` this
    /// draws a new permutation from `generator`, exactly as iterating does.
    public func batchIndices() -> [[Int]] {
        let n = dataset.count
        let order = shuffle ? generator.permutation(n) : Array(0..<n)
        return (0..<count).map { b in
            Array(order[(b * batchSize)..<Swift.min((b + 1) * batchSize, n)])
        }
    }

    /// Starts an epoch: with `shuffle`, draws this epoch's permutation.
    public func makeIterator() -> Iterator {
        Iterator(loader: self, batches: batchIndices())
    }

    /// The batches of one epoch.
    public struct Iterator: IteratorProtocol {
        let loader: DataLoader
        let batches: [[Int]]
        var position = 0

        /// The next batch, or `nil` at the end of the epoch.
        public mutating func next() -> Batch? {
            guard position < batches.count else { return nil }
            defer { position += 1 }
            return loader.collate(batches[position].map { loader.dataset[$0] })
        }
    }

    /// The number of batches in one epoch (see ``count``).
    public var underestimatedCount: Int { count }
}

extension DataLoader where Batch == [D.Element] {
    /// Creates a loader whose batches are plain arrays of samples (no collate).
    ///
    /// - Precondition: `batchSize > 0`.
    public init(
        _ dataset: D, batchSize: Int = 1, shuffle: Bool = false, dropLast: Bool = false,
        generator: Generator = .default
    ) {
        self.init(dataset, batchSize: batchSize, shuffle: shuffle, dropLast: dropLast, generator: generator) { $0 }
    }
}
