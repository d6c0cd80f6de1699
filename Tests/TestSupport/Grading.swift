import Course
import Foundation
import Testing

/// The error an exercise check throws when an answer is wrong: what was checked, expected vs. got, and a hint.
///
/// ```swift
/// throw CheckFailure("h[0, 2] of one LSTM step", expected: "0.1234", got: "0.5",
///                    hint: "apply tanh to the new cell state before the output gate")
/// ```
public struct CheckFailure: Error, CustomStringConvertible {
    /// What was checked and found wrong.
    public var message: String
    /// The expected value, as text.
    public var expected: String?
    /// The value the code under test produced, as text.
    public var got: String?
    /// What to look at to fix it.
    public var hint: String?

    /// Creates a failure for `message`, with the expected and actual values and a hint where known.
    public init(_ message: String, expected: String? = nil, got: String? = nil, hint: String? = nil) {
        self.message = message
        self.expected = expected
        self.got = got
        self.hint = hint
    }

    public var description: String {
        var lines = [message]
        if let expected { lines.append("  expected: \(expected)") }
        if let got { lines.append("  got:      \(got)") }
        if let hint { lines.append("  hint: \(hint)") }
        return lines.joined(separator: "\n")
    }
}

/// How an exercise check went, before it is reported to Swift Testing.
public enum CheckOutcome: CustomStringConvertible {
    /// The check passed.
    case passed
    /// The code under test still throws ``TODO``.
    case notAttempted(TODO)
    /// The check found a wrong answer.
    case failed(CheckFailure)
    /// The code under test threw some other error.
    case threw(any Error)

    /// Runs `check` and classifies how it ended.
    public init(running check: () throws -> Void) {
        do {
            try check()
            self = .passed
        } catch let todo as TODO {
            self = .notAttempted(todo)
        } catch let failure as CheckFailure {
            self = .failed(failure)
        } catch {
            self = .threw(error)
        }
    }

    public var description: String {
        switch self {
        case .passed: return "passed"
        case .notAttempted(let todo): return "not attempted (exercise \(todo.exercise) still throws TODO)"
        case .failed(let failure): return "failed: \(failure)"
        case .threw(let error): return "threw \(type(of: error)): \(error)"
        }
    }
}

/// Runs an exercise's check against the reference solution, which must pass: any error is recorded as an issue.
///
/// ```swift
/// @Test func exercise1_1Reference() {
///     reference("1.1") { try checkLSTMCellStep(Solutions.lstmCellStep) }
/// }
/// ```
public func reference(_ exercise: String, sourceLocation: SourceLocation = #_sourceLocation, _ check: () throws -> Void) {
    let outcome = CheckOutcome(running: check)
    if case .passed = outcome { return }
    Issue.record("the reference solution of exercise \(exercise) does not pass its check: \(outcome)", sourceLocation: sourceLocation)
}

/// Shows that an exercise's check bites: passes only when `check`, fed a deliberately wrong implementation, throws ``CheckFailure``
/// (whose message contains `clue`, when given).
///
/// ```swift
/// @Test func exercise1_1CheckRejectsMissingTanh() {
///     expectRejects("1.1", "an LSTM step without tanh on the cell") {
///         try checkLSTMCellStep { x, state in wrongStepWithoutTanh(x, state) }
///     }
/// }
/// ```
public func expectRejects(
    _ exercise: String, _ wrongImplementation: String = "a wrong implementation", saying clue: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation, _ check: () throws -> Void
) {
    let outcome = CheckOutcome(running: check)
    if case .failed(let failure) = outcome {
        if let clue, !failure.description.contains(clue) {
            let problem = "the check of exercise \(exercise) rejects \(wrongImplementation), "
                + "but its message does not say \"\(clue)\":\n\(failure)"
            Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation)
        }
        return
    }
    Issue.record(
        "the check of exercise \(exercise) should reject \(wrongImplementation) with a CheckFailure, but it \(outcome)",
        sourceLocation: sourceLocation)
}

/// Throws a ``CheckFailure`` unless `got` equals `expected`.
public func requireEqual<T: Equatable>(
    _ got: T, _ expected: T, _ what: @autoclosure () -> String, hint: @autoclosure () -> String? = nil
) throws {
    guard got != expected else { return }
    throw CheckFailure("\(what()) is wrong", expected: "\(expected)", got: "\(got)", hint: hint())
}

/// Throws a ``CheckFailure`` unless `got` and `expected` have the same count and every element is within `tolerance`.
///
/// The tolerance is mixed: element `i` passes when
///
/// ```
/// |got[i] - expected[i]| <= tolerance * max(1, |expected[i]|)
/// ```
///
/// The failure names the first element that differs and how many do.
public func requireClose(
    _ got: [Float], _ expected: [Float], tolerance: Float = 1e-4,
    _ what: @autoclosure () -> String, hint: @autoclosure () -> String? = nil
) throws {
    guard got.count == expected.count else {
        throw CheckFailure("\(what()) has the wrong number of elements",
                           expected: "\(expected.count)", got: "\(got.count)", hint: hint())
    }
    let wrong = got.indices.filter { i in
        let (g, e) = (got[i], expected[i])
        return !(abs(g - e) <= tolerance * max(1, abs(e)))  // NaN fails too
    }
    guard let first = wrong.first else { return }
    let count = wrong.count == 1 ? "" : " (and \(wrong.count - 1) more of \(got.count) elements)"
    throw CheckFailure("\(what()) differs at element \(first)\(count)",
                       expected: "\(expected[first])", got: "\(got[first])", hint: hint())
}

/// Throws a ``CheckFailure`` unless a share (an accuracy) `got` is within 1e-6 relative of `expected`, naming the usual mistakes.
///
/// The tolerance lets a float32 computation pass (`0.692307710647583` for
/// 9/13). Where a wrong answer has a shape, the hint names it: 0 where the
/// answer is not (an integer division), above 1 (a count, not a share), or
/// exactly the answer of an earlier case (`earlier`: a hard-coded value).
public func requireShare(
    _ got: Double, _ expected: Double, _ what: @autoclosure () -> String,
    hint: @autoclosure () -> String, earlier: [Double] = []
) throws {
    guard !(abs(got - expected) <= 1e-6 * max(1, abs(expected))) else { return }
    var because = hint()
    if got == 0 && expected > 0 {
        because = "0 where the answer is not: is it an integer division (Int / Int rounds down)? "
            + "Convert to Double before dividing. " + because
    } else if got > 1 {
        because = "a share is at most 1: divide the count of right answers by the count of answers. " + because
    } else if let case_ = earlier.firstIndex(where: { abs($0 - got) <= 1e-6 * max(1, abs($0)) }) {
        because = "this is exactly the answer of case \(case_): is the value hard-coded, or computed from other data? "
            + because
    }
    throw CheckFailure(what(), expected: "\(expected)", got: "\(got)", hint: because)
}
