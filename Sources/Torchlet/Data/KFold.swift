/// Splits sample positions into `nSplits` folds for cross-validation, like
/// scikit-learn's `KFold`.
///
/// Each fold serves once as the validation set while the other folds train.
/// The first `count % nSplits` folds have one sample more than the rest:
///
/// ```
/// fold sizes = ⌊count / nSplits⌋ + 1   for the first count % nSplits folds
///              ⌊count / nSplits⌋       for the others
/// ```
///
/// Without `shuffle` the folds are consecutive runs of `0..<count`; with it,
/// the positions are permuted first. As in scikit-learn, the training
/// positions of a split are listed in increasing order and the validation
/// positions in fold order.
///
/// ```swift
/// let folds = KFold(nSplits: 3).splits(count: 7)
/// folds[0].validation   // [0, 1, 2]
/// folds[0].train        // [3, 4, 5, 6]
/// folds[2].validation   // [5, 6]
/// ```
public struct KFold {
    /// The number of folds.
    public let nSplits: Int
    /// Whether positions are permuted before they are cut into folds.
    public let shuffle: Bool
    /// The source of the permutation when `shuffle` is set.
    public let generator: Generator

    /// Creates a `nSplits`-fold splitter.
    ///
    /// - Precondition: `nSplits >= 2`.
    public init(nSplits: Int = 5, shuffle: Bool = false, generator: Generator = .default) {
        precondition(nSplits >= 2, "KFold: nSplits must be at least 2, got \(nSplits)")
        self.nSplits = nSplits
        self.shuffle = shuffle
        self.generator = generator
    }

    /// The `nSplits` (train, validation) position lists for `count` samples.
    ///
    /// The validation lists partition `0..<count`; each train list is the
    /// rest. With `shuffle`, every call draws a new permutation from
    /// `generator` (reseed it to repeat a split).
    ///
    /// - Precondition: `nSplits <= count`.
    /// - Complexity: O(`count · nSplits`).
    public func splits(count: Int) -> [(train: [Int], validation: [Int])] {
        precondition(
            nSplits <= count,
            "KFold.splits: cannot have nSplits \(nSplits) greater than the number of samples \(count)")
        let order = shuffle ? generator.permutation(count) : Array(0..<count)
        var result: [(train: [Int], validation: [Int])] = []
        var start = 0
        for fold in 0..<nSplits {
            let size = count / nSplits + (fold < count % nSplits ? 1 : 0)
            let validation = Array(order[start..<(start + size)])
            var isValidation = [Bool](repeating: false, count: count)
            for i in validation { isValidation[i] = true }
            let train = (0..<count).filter { !isValidation[$0] }
            result.append((train: train, validation: validation))
            start += size
        }
        return result
    }
}
