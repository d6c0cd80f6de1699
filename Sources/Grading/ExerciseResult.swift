/// The graded result of one exercise: its verdict, why, its points and how long it took.
///
/// A graded test writes one of these per exercise (see ``ExerciseResult/write(to:)``),
/// and `swift run grade` collects them into a ``GradeReport``.
public struct ExerciseResult: Codable, Equatable, Sendable {
    /// The exercise's number, such as `"1.1"`.
    public var id: String
    /// The exercise's title, such as `"one LSTM cell step"`.
    public var title: String
    /// The points the exercise is worth.
    public var maxPoints: Double
    /// How it ended.
    public var verdict: Verdict
    /// What went wrong (expected vs. got, the hint, the crash), or empty when it passed.
    public var message: String
    /// Wall-clock seconds the check took, including starting its process.
    public var seconds: Double

    /// Creates a result.
    public init(id: String, title: String, maxPoints: Double = 1, verdict: Verdict, message: String = "", seconds: Double = 0) {
        self.id = id
        self.title = title
        self.maxPoints = maxPoints
        self.verdict = verdict
        self.message = message
        self.seconds = seconds
    }

    /// The points earned: all of ``maxPoints`` when passed, else none.
    public var points: Double { verdict == .passed ? maxPoints : 0 }

    /// The lesson day, read from the exercise number (`"4.2"` → 4).
    public var day: Int { Int(id.prefix { $0 != "." }) ?? 0 }

    /// The first line of ``message``, for a table cell.
    public var reason: String {
        String(message.prefix { $0 != "\n" })
    }

    /// The verdict with the first line of the reason, for a table: `failed: the weight after step 1 is wrong`.
    public var summary: String {
        switch verdict {
        case .passed, .notAttempted: return verdict.rawValue
        case .failed, .crashed, .timedOut:
            return reason.hasPrefix(verdict.rawValue) ? reason : "\(verdict.rawValue): \(reason)"
        }
    }

    /// Orders exercise numbers as numbers: 1.2 before 1.10, 9.1 before 10.1.
    public static func precedes(_ a: String, _ b: String) -> Bool {
        let x = a.split(separator: ".").map { Int($0) ?? 0 }, y = b.split(separator: ".").map { Int($0) ?? 0 }
        return x.lexicographicallyPrecedes(y)
    }
}
