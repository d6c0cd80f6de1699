import Foundation

/// Tracks which of a lesson's exercises use the student's code and which fall back to the reference.
///
/// A lesson uses the shared book through ``exercise(_:_:student:reference:)``
/// and prints its verdict at the end with ``printStatus()`` (which
/// ``Lesson/finish(_:)`` does). Each exercise is announced at most once.
/// The state is guarded by a lock, so the book may be used from any thread.
public final class ExerciseBook: @unchecked Sendable {
    /// How an exercise went the first time the lesson called it.
    public enum Status: Equatable, Sendable {
        /// The student's code ran without error.
        case done
        /// The student's code still throws ``TODO`` (the string names the exercise that threw it).
        case notDone(todo: String)
        /// The student's code threw another error (its description).
        case failed(String)
        /// `--solution`: the student's code was not called.
        case skipped
    }

    /// The book that ``exercise(_:_:student:reference:)`` uses.
    public static let shared = ExerciseBook()

    private let lock = NSLock()
    private var _day: Int?
    private var _useReference = false
    private var order: [String] = []
    private var titles: [String: String] = [:]
    private var statuses: [String: Status] = [:]
    private let write: (String) -> Void

    /// Creates an empty book that prints its announcements with `write` (standard output by default).
    public init(day: Int? = nil, useReference: Bool = false, write: @escaping (String) -> Void = { print($0) }) {
        self._day = day
        self._useReference = useReference
        self.write = write
    }

    /// The lesson's day, used to name the exercise file and the test filter.
    public var day: Int? {
        get { lock.guarding { _day } }
        set { lock.guarding { _day = newValue } }
    }

    /// Whether every exercise uses the reference solution (`--solution`).
    public var useReference: Bool {
        get { lock.guarding { _useReference } }
        set { lock.guarding { _useReference = newValue } }
    }

    /// The status of every exercise called so far, in the order first called.
    public var exercises: [(number: String, title: String, status: Status)] {
        lock.guarding { order.map { ($0, titles[$0] ?? "", statuses[$0] ?? .done) } }
    }

    /// The exercises whose student code is not used (not done, or failed), in the order first called.
    public var openExercises: [String] {
        exercises.filter { $0.status != .done && $0.status != .skipped }.map(\.number)
    }

    /// Runs the student's version of an exercise, or the reference where the student's is not usable.
    ///
    /// See ``exercise(_:_:student:reference:)``.
    @discardableResult
    public func run<Result, Failure: Error>(
        _ number: String,
        _ title: String,
        student: () throws -> Result,
        reference: () throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let known: Status? = lock.guarding {
            if statuses[number] == nil {
                order.append(number)
                titles[number] = title
                if _useReference { statuses[number] = .skipped }
            }
            return statuses[number]
        }
        switch known {
        case .skipped?, .notDone?, .failed?:
            return try reference()
        case .done?, nil:
            break
        }
        do {
            let result = try student()
            if known == nil { record(number, .done) }
            return result
        } catch let todo as TODO {
            record(number, .notDone(todo: todo.exercise))
            if todo.exercise == number {
                write("exercise \(number) (\(title)) is not done yet: using the reference solution")
            } else {
                write("exercise \(number) (\(title)) uses exercise \(todo.exercise), which is not done yet: using the reference solution")
            }
        } catch {
            record(number, .failed(String(describing: error)))
            write("exercise \(number) (\(title)) threw an error: \(error)\n  using the reference solution instead; run its test to see what is wrong")
        }
        return try reference()
    }

    private func record(_ number: String, _ status: Status) {
        lock.guarding { statuses[number] = status }
    }

    /// The end-of-lesson verdict: which exercises are still open, or that all are done.
    ///
    /// ```
    /// open exercises: 1.1, 1.3 — fill them in Lessons/Day01/Exercises.swift, then run swift test --filter Day01
    /// ```
    public var statusLine: String {
        let all = exercises
        if all.isEmpty { return "exercises: none in this lesson" }
        let numbers = all.map(\.number).joined(separator: ", ")
        if all.allSatisfy({ $0.status == .skipped }) {
            return "exercises: --solution used the reference solution for \(numbers)"
        }
        let open = openExercises
        if open.isEmpty {
            return "exercises: all done (\(numbers)), well done; check them with \(testCommand)"
        }
        return "open exercises: \(open.joined(separator: ", ")) — fill them in \(exerciseFile), then run \(testCommand)"
    }

    /// Prints ``statusLine``.
    public func printStatus() {
        write(statusLine)
    }

    private var dayName: String? {
        day.map { $0 < 10 ? "Day0\($0)" : "Day\($0)" }
    }

    private var exerciseFile: String {
        dayName.map { "Lessons/\($0)/Exercises.swift" } ?? "the lesson's Exercises.swift"
    }

    private var testCommand: String {
        dayName.map { "swift test --filter \($0)" } ?? "swift test"
    }
}

extension NSLock {
    /// Runs `body` while holding the lock (`NSLocking.withLock` needs macOS 14).
    fileprivate func guarding<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }
}
