/// How one graded exercise ended.
///
/// Only ``passed`` earns the exercise's points; ``notAttempted`` never
/// counts as passed, and ``crashed`` and ``timedOut`` are failures that one
/// exercise's process suffered alone (each exercise runs in its own child
/// process, so the others are still graded).
public enum Verdict: String, Codable, Sendable, CaseIterable {
    /// The check passed.
    case passed
    /// The check found a wrong answer, or a grading rule was broken.
    case failed
    /// The exercise still throws `TODO`.
    case notAttempted = "not attempted"
    /// The process running the check stopped on a trap or a signal.
    case crashed
    /// The check did not finish within the time limit.
    case timedOut = "timed out"
}
