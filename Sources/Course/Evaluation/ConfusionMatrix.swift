/// Counts of (gold label, predicted label) pairs: which tags a tagger
/// confuses with which, like scikit-learn's `confusion_matrix`.
///
/// Row `i` is the gold label `labels[i]`, column `j` the predicted label
/// `labels[j]`; the diagonal holds the right answers.
///
/// ```swift
/// var matrix = ConfusionMatrix(labels: ["NOUN", "VERB"])
/// matrix.add(gold: 0, predicted: 0)
/// matrix.add(gold: 1, predicted: 0)   // a VERB tagged NOUN
/// matrix.counts                       // [[1, 0], [1, 0]]
/// matrix.accuracy                     // 0.5
/// ```
public struct ConfusionMatrix: Equatable, Sendable {
    /// The label of each row and column.
    public let labels: [String]
    /// `counts[gold][predicted]`.
    public private(set) var counts: [[Int]]

    /// An empty matrix over `labels`.
    ///
    /// - Precondition: `labels` is not empty.
    public init(labels: [String]) {
        precondition(!labels.isEmpty, "ConfusionMatrix: no labels")
        self.labels = labels
        counts = [[Int]](repeating: [Int](repeating: 0, count: labels.count), count: labels.count)
    }

    /// The matrix of aligned gold and predicted label indices.
    ///
    /// - Precondition: `gold` and `predicted` have the same count, and every index is in `0..<labels.count`.
    public init(labels: [String], gold: [Int], predicted: [Int]) {
        precondition(gold.count == predicted.count,
                     "ConfusionMatrix: \(gold.count) gold labels but \(predicted.count) predictions")
        self.init(labels: labels)
        for (g, p) in zip(gold, predicted) { add(gold: g, predicted: p) }
    }

    /// Counts one answer: gold label `gold`, predicted label `predicted`.
    ///
    /// - Precondition: both are in `0..<labels.count`.
    public mutating func add(gold: Int, predicted: Int) {
        precondition(labels.indices.contains(gold) && labels.indices.contains(predicted),
                     "ConfusionMatrix: gold \(gold) or predicted \(predicted) is out of range 0..<\(labels.count)")
        counts[gold][predicted] += 1
    }

    /// The number of answers counted.
    public var total: Int { counts.joined().reduce(0, +) }

    /// The number of right answers, the diagonal's sum.
    public var correct: Int { labels.indices.reduce(0) { $0 + counts[$1][$1] } }

    /// The share of right answers, `correct / total`; 0 when nothing was counted.
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    /// How often label `i` was the gold label (row `i`'s sum), its *support*.
    public func support(_ i: Int) -> Int { counts[i].reduce(0, +) }

    /// How often label `j` was predicted (column `j`'s sum).
    public func predictedCount(_ j: Int) -> Int { counts.reduce(0) { $0 + $1[j] } }
}
