import Foundation
import Grading
import Testing

/// One graded exercise: its number, title and points, the function the student writes, and the calls it may not use.
///
/// Declared next to the exercise's check, in the day's test suite:
///
/// ```swift
/// static let maskExercise = GradedExercise("3.2", "a mask from lengths", function: "mask", forbids: ["lengthMask"])
/// ```
public struct GradedExercise: Sendable {
    /// The exercise's number, such as `"3.2"`.
    public let id: String
    /// The exercise's title.
    public let title: String
    /// The name of the function the student fills in, in `Lessons/DayNN/Exercises.swift`.
    public let function: String
    /// The points the exercise is worth (1 unless said).
    public let points: Double
    /// Names the exercise's body must not use, such as `lengthMask`.
    public let forbidden: [String]
    /// The package root, found from the file that declares the exercise.
    let root: URL

    /// Declares an exercise.
    public init(_ id: String, _ title: String, function: String, points: Double = 1, forbids forbidden: [String] = [],
                filePath: String = #filePath) {
        self.id = id
        self.title = title
        self.function = function
        self.points = points
        self.forbidden = forbidden
        self.root = Repository.root(filePath: filePath)
    }

    /// The lesson day, read from the number.
    public var day: Int { Int(id.prefix { $0 != "." }) ?? 0 }

    /// The exercise file's path from the package root, such as `Lessons/Day03/Exercises.swift`.
    public var exercisesFile: String {
        "Lessons/\(day < 10 ? "Day0\(day)" : "Day\(day)")/Exercises.swift"
    }

    /// The grading rules the student's exercise file breaks (see ``GradingRules``).
    public func ruleViolations() -> [String] {
        guard let source = try? String(contentsOf: root.appendingPathComponent(exercisesFile), encoding: .utf8) else {
            return []
        }
        return GradingRules.violations(in: source, fileName: exercisesFile, exercise: id, function: function,
                                       forbidden: forbidden)
    }
}

/// What an exercise's child process shows its parent: its standard output and error.
public let childOutput: [any PartialKeyPath<ExitTest.Result> & Sendable] = [\.standardOutputContent, \.standardErrorContent]

/// Runs an exercise's check in the child process of an exit test: stops after the time limit, reports its verdict, and exits.
///
/// Call it as the whole body of the exit test that ``grade(_:sourceLocation:_:)`` runs.
/// The check's ``TODO``, ``CheckFailure`` or other error becomes the
/// verdict; a trap or the time limit's `SIGALRM` ends the process, which
/// the parent reads as a crash or a timeout.
public func runGradedCheck(_ id: String, timeout: Int = GradingEnvironment.timeout(), _ check: () throws -> Void) -> Never {
    alarm(UInt32(timeout))
    let start = Date()
    var outcome: ChildOutcome
    switch CheckOutcome(running: check) {
    case .passed:
        outcome = ChildOutcome(.passed)
    case .notAttempted(let todo) where todo.exercise == id:
        outcome = ChildOutcome(.notAttempted, "it still throws TODO")
    case .notAttempted(let todo):
        outcome = ChildOutcome(.notAttempted, "it uses exercise \(todo.exercise), which still throws TODO")
    case .failed(let failure):
        outcome = ChildOutcome(.failed, failure.description)
    case .threw(let error):
        outcome = ChildOutcome(.failed, "threw \(type(of: error)): \(error)")
    }
    outcome.seconds = Date().timeIntervalSince(start)
    FileHandle.standardOutput.write(Data(outcome.line.utf8))
    exit(ChildOutcome.reportedExitCode)
}

/// Grades the student's version of an exercise in a child process, so a trap or an endless loop ends only this exercise.
///
/// `runChild` is an exit test whose body calls ``runGradedCheck(_:_:)``:
///
/// ```swift
/// @Test("1.1 one LSTM cell step") func exercise1_1() async throws {
///     try await grade(Self.cellStep) {
///         await #expect(processExitsWith: .failure, observing: childOutput) {
///             runGradedCheck("1.1") { try Day01Tests.checkCellStep { try day1.lstmCellStep(…) } }
///         }
///     }
/// }
/// ```
///
/// - passed: the test passes;
/// - not attempted (the code still throws ``TODO``): the test is cancelled,
///   so a fresh checkout is green and the report lists what is left;
/// - failed, crashed, timed out, or a broken grading rule: an issue with the reason.
///
/// When `LSTM_COURSE_GRADE_RESULTS` names a directory, the result is also
/// written there for `swift run grade`.
public func grade(
    _ exercise: GradedExercise, sourceLocation: SourceLocation = #_sourceLocation,
    _ runChild: () async -> ExitTest.Result?
) async throws {
    let result = await gradedResult(exercise, runChild)
    if let directory = GradingEnvironment.resultsDirectory() {
        do {
            try result.write(to: directory)
        } catch {
            Issue.record("cannot write the result of exercise \(exercise.id) to \(directory.path): \(error)",
                         sourceLocation: sourceLocation)
        }
    }
    switch result.verdict {
    case .passed:
        return
    case .notAttempted:
        try Test.cancel("exercise \(exercise.id) is not attempted yet: \(result.message)", sourceLocation: sourceLocation)
    case .failed, .crashed, .timedOut:
        Issue.record("exercise \(exercise.id) \(result.verdict.rawValue): \(result.message)", sourceLocation: sourceLocation)
    }
}

/// Runs an exercise's child process (see ``grade(_:sourceLocation:_:)``) and reads its result, applying the grading rules.
public func gradedResult(
    _ exercise: GradedExercise, timeout: Int = GradingEnvironment.timeout(), _ runChild: () async -> ExitTest.Result?
) async -> ExerciseResult {
    _ = backtracesNameSourceLines
    let start = Date()
    let result = await runChild()
    var outcome: ChildOutcome
    if let result {
        var code: Int32?, signal: Int32?
        switch result.exitStatus {
        case .exitCode(let c): code = c
        case .signal(let s): signal = s
        @unknown default: break
        }
        outcome = ChildOutcome(exitCode: code, signal: signal,
                               standardOutput: String(decoding: result.standardOutputContent, as: UTF8.self),
                               standardError: String(decoding: result.standardErrorContent, as: UTF8.self),
                               timeout: timeout, root: exercise.root.path)
    } else {
        outcome = ChildOutcome(.crashed, "the check's process exited with code 0 before it reported a verdict "
                               + "(does the code call exit(0)?)")
    }
    if outcome.verdict != .notAttempted {
        let violations = exercise.ruleViolations()
        if !violations.isEmpty {
            outcome = ChildOutcome(.failed, "a grading rule is broken: " + violations.joined(separator: "\n"),
                                   seconds: outcome.seconds)
        }
    }
    return ExerciseResult(id: exercise.id, title: exercise.title, maxPoints: exercise.points,
                          verdict: outcome.verdict, message: outcome.message,
                          seconds: outcome.seconds ?? Date().timeIntervalSince(start))
}

/// Asks Swift's crash backtracer, once, to name source lines in a crashed child's standard error (unless `SWIFT_BACKTRACE` is set).
let backtracesNameSourceLines: Void = {
    setenv("SWIFT_BACKTRACE", "enable=yes,interactive=no,color=no,threads=crashed,registers=none,images=none", 0)
}()
