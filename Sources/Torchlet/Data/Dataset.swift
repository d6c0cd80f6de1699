/// A collection of samples that can be read by position, like
/// `torch.utils.data.Dataset` (a map-style data set).
///
/// A data set needs only a `count` and a read-only subscript. `Array`
/// conforms, so `[TaggedSentence]` is already a data set; wrap one in a
/// ``Subset`` to view some of its samples, or hand it to a ``DataLoader``
/// to read it in batches.
///
/// ```swift
/// let sentences: [TaggedSentence] = corpus.sentences
/// let firstTen = Subset(sentences, indices: Array(0..<10))
/// firstTen.count   // 10
/// ```
public protocol Dataset<Element> {
    /// The type of one sample.
    associatedtype Element

    /// The number of samples, like `len(dataset)`.
    var count: Int { get }

    /// The sample at `index`, in `0..<count`.
    subscript(index: Int) -> Element { get }
}

extension Array: Dataset {}

/// A view of a data set at chosen positions, like `torch.utils.data.Subset`.
///
/// Sample `i` of the subset is sample `indices[i]` of the base data set;
/// nothing is copied. ``randomSplit(_:sizes:generator:)`` and
/// ``KFold`` produce the index lists that subsets are made from.
///
/// ```swift
/// let subset = Subset(["a", "b", "c", "d"], indices: [3, 1])
/// subset[0]   // "d"
/// ```
public struct Subset<Base: Dataset>: Dataset {
    /// The data set viewed.
    public let dataset: Base
    /// The positions in `dataset` that this subset shows, in order.
    public let indices: [Int]

    /// Creates a view of `dataset` at `indices`.
    ///
    /// - Precondition: every index is in `0..<dataset.count`.
    public init(_ dataset: Base, indices: [Int]) {
        for (position, index) in indices.enumerated() {
            precondition(
                index >= 0 && index < dataset.count,
                "Subset: index \(index) at position \(position) is out of range 0..<\(dataset.count)")
        }
        self.dataset = dataset
        self.indices = indices
    }

    /// The number of samples in the subset.
    public var count: Int { indices.count }

    /// Sample `index` of the subset, which is `dataset[indices[index]]`.
    public subscript(index: Int) -> Base.Element {
        precondition(index >= 0 && index < indices.count, "Subset: index \(index) is out of range 0..<\(indices.count)")
        return dataset[indices[index]]
    }
}

extension Dataset {
    /// The samples in order, as an array.
    public var elements: [Element] { (0..<count).map { self[$0] } }
}
