import Foundation

/// The environment variables through which `swift run grade` (or you) configure graded tests.
///
/// ```sh
/// LSTM_COURSE_TIMEOUT=60 swift test --filter Day02   # a minute per exercise
/// ```
public enum GradingEnvironment {
    /// Seconds one exercise's check may run before it counts as timed out.
    public static let timeoutVariable = "LSTM_COURSE_TIMEOUT"
    /// A directory where each graded test writes its ``ExerciseResult`` as `<id>.json`.
    public static let resultsVariable = "LSTM_COURSE_GRADE_RESULTS"
    /// The time limit when ``timeoutVariable`` is not set: 30 seconds.
    public static let defaultTimeout = 30

    /// The time limit in `environment`: a whole number of seconds from 1 to 3600, else ``defaultTimeout``.
    public static func timeout(in environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        guard let text = environment[timeoutVariable], let seconds = Int(text), (1...3600).contains(seconds) else {
            return defaultTimeout
        }
        return seconds
    }

    /// The results directory in `environment`, if set.
    public static func resultsDirectory(in environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        guard let path = environment[resultsVariable], !path.isEmpty else { return nil }
        return URL(fileURLWithPath: path, isDirectory: true)
    }
}

extension ExerciseResult {
    /// Writes the result as `<id>.json` into `directory`.
    public func write(to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: directory.appendingPathComponent("\(id).json"), options: .atomic)
    }

    /// Reads every `*.json` result in `directory`.
    public static func readAll(from directory: URL) throws -> [ExerciseResult] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }
        return try names.map { name in
            try JSONDecoder().decode(ExerciseResult.self, from: Data(contentsOf: directory.appendingPathComponent(name)))
        }
    }
}
