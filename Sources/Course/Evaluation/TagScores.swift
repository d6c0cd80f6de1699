/// Precision, recall and F1 of one label, from a ``ConfusionMatrix``.
///
/// ```
/// precision = TP / (TP + FP)     of the tokens tagged t, the share that are t
/// recall    = TP / (TP + FN)     of the tokens that are t, the share tagged t
/// F1        = 2 · P · R / (P + R)
/// ```
/// A ratio with nothing to divide by is 0 (scikit-learn's `zero_division=0`):
/// a tag never predicted has precision 0, a tag that never occurs recall 0.
public struct TagScores: Equatable, Sendable {
    public var label: String
    public var precision: Double
    public var recall: Double
    public var f1: Double
    /// How many tokens have this gold label.
    public var support: Int

    public init(label: String, precision: Double, recall: Double, f1: Double, support: Int) {
        (self.label, self.precision, self.recall, self.f1, self.support) = (label, precision, recall, f1, support)
    }
}

/// `numerator / denominator`, or 0 when the denominator is 0.
func ratioOrZero(_ numerator: Int, _ denominator: Int) -> Double {
    denominator == 0 ? 0 : Double(numerator) / Double(denominator)
}

/// The harmonic mean of a precision and a recall, 0 when both are 0.
func harmonicMean(_ p: Double, _ r: Double) -> Double {
    p + r == 0 ? 0 : 2 * p * r / (p + r)
}

extension ConfusionMatrix {
    /// Precision, recall, F1 and support of every label, in label order.
    public var scores: [TagScores] {
        labels.indices.map { i in
            let p = ratioOrZero(counts[i][i], predictedCount(i)), r = ratioOrZero(counts[i][i], support(i))
            return TagScores(label: labels[i], precision: p, recall: r, f1: harmonicMean(p, r), support: support(i))
        }
    }

    /// The unweighted mean of precision, recall and F1 over the labels that
    /// occur (as gold or as prediction): every tag counts the same, so a
    /// rare tag done badly pulls it down (scikit-learn's `average="macro"`).
    public var macroAverage: (precision: Double, recall: Double, f1: Double) {
        let present = scores.indices.filter { support($0) > 0 || predictedCount($0) > 0 }.map { scores[$0] }
        guard !present.isEmpty else { return (0, 0, 0) }
        let n = Double(present.count)
        return (present.map(\.precision).reduce(0, +) / n, present.map(\.recall).reduce(0, +) / n,
                present.map(\.f1).reduce(0, +) / n)
    }

    /// Precision, recall and F1 of all answers pooled (`average="micro"`):
    /// every token counts the same.
    ///
    /// With one gold and one predicted label per token, every wrong answer
    /// is one false positive (for the predicted tag) and one false negative
    /// (for the gold tag), so all three equal the accuracy.
    public var microAverage: (precision: Double, recall: Double, f1: Double) {
        let truePositives = correct
        let p = ratioOrZero(truePositives, labels.indices.reduce(0) { $0 + predictedCount($1) })
        let r = ratioOrZero(truePositives, labels.indices.reduce(0) { $0 + support($1) })
        return (p, r, harmonicMean(p, r))
    }

    /// The per-label scores as a plain-text table, the labels in rows, then
    /// the macro and micro averages:
    ///
    /// ```
    /// tag        precision  recall      F1  support
    /// NOUN           0.981   0.975   0.978     1843
    /// …
    /// macro avg      0.952   0.948   0.950     6012
    /// micro avg      0.968   0.968   0.968     6012
    /// ```
    public func scoresTable() -> String {
        let width = max(9, labels.map(\.count).max() ?? 0)
        func row(_ name: String, _ p: Double, _ r: Double, _ f: Double, _ support: Int) -> String {
            name.padding(toLength: width, withPad: " ", startingAt: 0) + format(p).leftPadded(11)
                + format(r).leftPadded(8) + format(f).leftPadded(8) + String(support).leftPadded(9)
        }
        var lines = ["tag".padding(toLength: width, withPad: " ", startingAt: 0) + "precision".leftPadded(11)
                     + "recall".leftPadded(8) + "F1".leftPadded(8) + "support".leftPadded(9)]
        lines += scores.map { row($0.label, $0.precision, $0.recall, $0.f1, $0.support) }
        let (macro, micro) = (macroAverage, microAverage)
        lines.append(row("macro avg", macro.precision, macro.recall, macro.f1, total))
        lines.append(row("micro avg", micro.precision, micro.recall, micro.f1, total))
        return lines.joined(separator: "\n")
    }
}
