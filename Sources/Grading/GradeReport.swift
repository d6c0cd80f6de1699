import Foundation

/// Every graded exercise of a run, with the total score and a table to print.
///
/// ```
/// Day 1: 2 of 4 points
///   1.1  one LSTM cell step    passed                               1/1   0.1s
///   1.2  a stable log-softmax  failed: log-softmax of case 0 …      0/1   0.1s
///   1.3  one training step     not attempted                        0/1   0.0s
///   1.4  accuracy from logits  passed                               1/1   0.1s
///
/// score: 2 of 4 points (2 passed, 1 failed, 1 not attempted)
/// ```
public struct GradeReport: Equatable, Sendable {
    /// The results, ordered by exercise number.
    public var results: [ExerciseResult]
    /// A problem that stopped grading before any exercise ran (the code does not compile), or `nil`.
    public var problem: String?

    /// Creates a report, ordering `results` by exercise number.
    public init(results: [ExerciseResult], problem: String? = nil) {
        self.results = results.sorted { ExerciseResult.precedes($0.id, $1.id) }
        self.problem = problem
    }

    /// The points earned.
    public var score: Double { results.reduce(0) { $0 + $1.points } }

    /// The points there are to earn.
    public var maxScore: Double { results.reduce(0) { $0 + $1.maxPoints } }

    /// The days that have results, in order.
    public var days: [Int] { Array(Set(results.map(\.day))).sorted() }

    /// How many results have `verdict`.
    public func count(_ verdict: Verdict) -> Int { results.filter { $0.verdict == verdict }.count }

    /// The closing line: the score and how many exercises ended each way.
    public var scoreLine: String {
        if problem != nil, results.isEmpty {
            return "score: 0 (nothing was graded; see above)"
        }
        let counts = Verdict.allCases.compactMap { verdict -> String? in
            let n = count(verdict)
            return n == 0 ? nil : "\(n) \(verdict.rawValue)"
        }
        return "score: \(Self.number(score)) of \(Self.number(maxScore)) points (\(counts.joined(separator: ", ")))"
    }

    /// The table of every day, then the details of what did not pass, then ``scoreLine``.
    public var text: String {
        var lines: [String] = []
        if let problem { lines += [problem, ""] }
        let idWidth = results.map(\.id.count).max() ?? 0
        let titleWidth = results.map(\.title.count).max() ?? 0
        let verdicts = results.map { Self.cell($0.summary, width: 56) }
        let verdictWidth = verdicts.map(\.count).max() ?? 0
        for day in days {
            let rows = results.filter { $0.day == day }
            let earned = rows.reduce(0) { $0 + $1.points }, possible = rows.reduce(0) { $0 + $1.maxPoints }
            lines.append("Day \(day): \(Self.number(earned)) of \(Self.number(possible)) points")
            for (row, verdict) in zip(results, verdicts) where row.day == day {
                lines.append("  " + Self.padded(row.id, idWidth) + "  " + Self.padded(row.title, titleWidth) + "  "
                             + Self.padded(verdict, verdictWidth) + "  "
                             + Self.padded("\(Self.number(row.points))/\(Self.number(row.maxPoints))", 7)
                             + Self.seconds(row.seconds))
            }
            lines.append("")
        }
        let details = results.filter { $0.verdict != .passed && $0.verdict != .notAttempted }
        if !details.isEmpty {
            lines.append("What went wrong:")
            for row in details {
                lines.append("")
                lines.append("\(row.id) \(row.title) (\(row.verdict.rawValue))")
                lines += row.message.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
            }
            lines.append("")
        }
        lines.append(scoreLine)
        return lines.joined(separator: "\n")
    }

    /// A score as text: `3`, or `2.5` when it has a fraction.
    public static func number(_ value: Double) -> String {
        if value == value.rounded() { return String(Int(value)) }
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    static func seconds(_ value: Double) -> String {
        value < 10 ? String(format: "%.1fs", value) : "\(Int(value.rounded()))s"
    }

    static func padded(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// `text` cut to `width` characters, ending in `…` when cut.
    static func cell(_ text: String, width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }
}
