import Foundation

extension GradeReport {
    /// The report in Gradescope's autograder format, the `results.json` its harness reads.
    ///
    /// ```json
    /// {"score": 3, "output": "…", "tests": [
    ///   {"name": "1.1 one LSTM cell step", "number": "1.1", "score": 1, "max_score": 1,
    ///    "status": "passed", "output": ""}, …]}
    /// ```
    ///
    /// Gradescope knows only `passed` and `failed`: an exercise not attempted
    /// is `failed` with score 0 and says so in its `output`. When the code did
    /// not compile, the score is 0 and the top-level `output` holds the message.
    public func gradescopeJSON() throws -> Data {
        struct Test: Encodable {
            var name: String
            var number: String
            var score: Double
            var max_score: Double
            var status: String
            var output: String
        }
        struct Results: Encodable {
            var score: Double
            var output: String
            var tests: [Test]
        }
        var tests = results.map { result in
            Test(name: "\(result.id) \(result.title)", number: result.id, score: result.points,
                 max_score: result.maxPoints, status: result.verdict == .passed ? "passed" : "failed",
                 output: result.verdict == .passed ? "passed in \(String(format: "%.1f", result.seconds)) s"
                     : result.verdict.rawValue + (result.message.isEmpty ? "" : ":\n" + result.message))
        }
        if let problem {
            tests.insert(Test(name: "the code compiles", number: "0", score: 0, max_score: 0, status: "failed",
                              output: problem), at: 0)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(Results(score: score, output: problem ?? scoreLine, tests: tests))
    }
}
