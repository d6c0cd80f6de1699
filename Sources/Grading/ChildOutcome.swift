import Foundation

/// What an exercise's check reports from its child process, and how the parent reads how the child ended.
///
/// The child runs the check and writes one marker line to standard output
/// (``line``); the parent reads the last such line (``parse(standardOutput:)``).
/// A child that stops without one crashed or ran out of time, which
/// ``ChildOutcome/init(exitCode:signal:standardOutput:standardError:timeout:)``
/// tells apart.
public struct ChildOutcome: Codable, Equatable, Sendable {
    /// How the check ended.
    public var verdict: Verdict
    /// What went wrong, or empty.
    public var message: String
    /// Seconds the check itself took, as the child measured it (`nil` when it never reported).
    public var seconds: Double?

    /// Creates an outcome.
    public init(_ verdict: Verdict, _ message: String = "", seconds: Double? = nil) {
        self.verdict = verdict
        self.message = message
        self.seconds = seconds
    }

    /// The prefix of the marker line.
    public static let marker = "@@lstm-course-grade@@ "

    /// The exit code a child uses after writing its marker line.
    ///
    /// Not zero on purpose: an exit test expecting `.failure` then matches
    /// every way the child can end (this code, a trap, the time limit's
    /// signal) and always hands back its output.
    public static let reportedExitCode: Int32 = 86

    /// The marker line the child writes, ending in a newline.
    public var line: String {
        let json = (try? JSONEncoder().encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return Self.marker + json + "\n"
    }

    /// The outcome in the last marker line of `standardOutput`, if any.
    public static func parse(standardOutput: String) -> ChildOutcome? {
        let lines = standardOutput.split(separator: "\n").filter { $0.hasPrefix(marker) }
        guard let last = lines.last else { return nil }
        return try? JSONDecoder().decode(ChildOutcome.self, from: Data(last.dropFirst(marker.count).utf8))
    }

    /// Reads how a child process ended: its marker line, or a crash, or the time limit.
    ///
    /// - Parameters:
    ///   - exitCode: the exit code if the child exited, else `nil`.
    ///   - signal: the signal that stopped the child, else `nil`.
    ///   - timeout: the time limit the child had, in seconds.
    ///   - root: the package root, so that paths in a crash report are shown from it.
    public init(exitCode: Int32?, signal: Int32?, standardOutput: String, standardError: String, timeout: Int,
                root: String? = nil) {
        if exitCode == Self.reportedExitCode, let reported = Self.parse(standardOutput: standardOutput) {
            self = reported
        } else if signal == SIGALRM {
            self.init(.timedOut, "timed out after \(timeout) s — an infinite loop?\n"
                      + "(the limit is set by grade's --timeout, or \(GradingEnvironment.timeoutVariable) for swift test)",
                      seconds: Double(timeout))
        } else if let signal {
            self.init(.crashed, CrashReport(standardError: standardError, signal: signal, root: root).description)
        } else {
            let code = exitCode.map { "exit code \($0)" } ?? "an unknown status"
            self.init(.crashed, "the check's process ended with \(code) before it reported a verdict "
                      + "(does the code call exit()?)" + CrashReport.tail(of: standardError))
        }
    }
}
