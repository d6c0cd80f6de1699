/// Random train/validation/test splits of sample positions, like
/// `torch.utils.data.random_split`.
///
/// One permutation of `0..<count` is drawn from `generator` and cut into
/// consecutive pieces of the given sizes, so the pieces are disjoint and
/// together cover every position exactly once.
///
/// ```swift
/// let parts = randomSplit(100, sizes: [80, 10, 10], generator: Generator(seed: 0))
/// parts.map(\.count)    // [80, 10, 10]
/// ```
///
/// - Precondition: every size is non-negative and the sizes add up to `count`.
public func randomSplit(_ count: Int, sizes: [Int], generator: Generator = .default) -> [[Int]] {
    precondition(count >= 0, "randomSplit: count must be non-negative, got \(count)")
    precondition(sizes.allSatisfy { $0 >= 0 }, "randomSplit: sizes \(sizes) must be non-negative")
    precondition(
        sizes.reduce(0, +) == count,
        "randomSplit: sizes \(sizes) add up to \(sizes.reduce(0, +)), not to the \(count) samples")
    let order = generator.permutation(count)
    var start = 0
    return sizes.map { size in
        defer { start += size }
        return Array(order[start..<(start + size)])
    }
}

/// Random splits by fractions of `count`, rounded as `random_split` does.
///
/// Each piece first gets `⌊count · fraction⌋` samples; the samples left
/// over are then handed out one at a time, round-robin, starting with the
/// first piece (see ``splitSizes(_:fractions:)``):
///
/// ```swift
/// let parts = randomSplit(10, fractions: [0.5, 0.25, 0.25], generator: Generator(seed: 0))
/// parts.map(\.count)    // [6, 2, 2]: floors [5, 2, 2], and the 1 left over goes to piece 0
/// ```
///
/// - Precondition: every fraction is in `[0, 1]` and they add up to 1
///   (within 1e-9 relative, as `math.isclose`).
public func randomSplit(_ count: Int, fractions: [Double], generator: Generator = .default) -> [[Int]] {
    randomSplit(count, sizes: splitSizes(count, fractions: fractions), generator: generator)
}

/// The piece sizes `randomSplit(_:fractions:generator:)` uses: floors, then
/// the remainder round-robin from the first piece (PyTorch's rule).
///
/// ```swift
/// splitSizes(10, fractions: [0.5, 0.25, 0.25])   // [6, 2, 2]
/// splitSizes(7, fractions: [0.3, 0.3, 0.4])      // [3, 2, 2]
/// ```
///
/// - Precondition: every fraction is in `[0, 1]` and they add up to 1.
public func splitSizes(_ count: Int, fractions: [Double]) -> [Int] {
    precondition(!fractions.isEmpty, "splitSizes: no fractions given")
    precondition(
        fractions.allSatisfy { $0 >= 0 && $0 <= 1 },
        "splitSizes: fractions \(fractions) must each be in [0, 1]")
    let total = fractions.reduce(0, +)
    precondition(abs(total - 1) <= 1e-9 * Swift.max(1, abs(total)), "splitSizes: fractions \(fractions) add up to \(total), not 1")
    var sizes = fractions.map { Int((Double(count) * $0).rounded(.down)) }
    let remainder = count - sizes.reduce(0, +)
    for i in 0..<Swift.max(remainder, 0) { sizes[i % sizes.count] += 1 }
    return sizes
}

/// Random subsets of `dataset` with the given sizes, like `random_split(dataset, lengths)`.
///
/// - Precondition: the sizes add up to `dataset.count`.
public func randomSplit<Base: Dataset>(_ dataset: Base, sizes: [Int], generator: Generator = .default) -> [Subset<Base>] {
    randomSplit(dataset.count, sizes: sizes, generator: generator).map { Subset(dataset, indices: $0) }
}

/// Random subsets of `dataset` by fractions, rounded as ``splitSizes(_:fractions:)`` says.
///
/// - Precondition: every fraction is in `[0, 1]` and they add up to 1.
public func randomSplit<Base: Dataset>(_ dataset: Base, fractions: [Double], generator: Generator = .default) -> [Subset<Base>] {
    randomSplit(dataset.count, fractions: fractions, generator: generator).map { Subset(dataset, indices: $0) }
}
