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
        /// The student's code ran, but the lesson saw its result differ from the reference (what differed).
        case differs(String)
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
        exercises.filter {
            if case .notDone = $0.status { return true }
            if case .failed = $0.status { return true }
            return false
        }.map(\.number)
    }

    /// The exercises whose student code ran, but gave a result the lesson saw differ from the reference.
    public var differingExercises: [String] {
        exercises.filter { if case .differs = $0.status { return true } else { return false } }.map(\.number)
    }

    /// Says, once, that the student's version of exercise `number` gave a result `difference` away from the reference's.
    ///
    /// Does nothing when the difference is within `tolerance`, or when the
    /// lesson did not use the student's code for this exercise (not done,
    /// or `--solution`). Otherwise prints
    ///
    /// ```
    /// exercise 1.1 differs from the reference by 0.37 — not right yet; swift run grade --day 1 shows why
    /// ```
    ///
    /// and the closing line lists the exercise as not right.
    public func noteDifference(_ number: String, _ difference: Double, tolerance: Double = 1e-4, what: String = "") {
        guard !(difference <= tolerance) else { return }  // NaN differs too
        let used: Bool = lock.guarding {
            guard statuses[number] == .done else { return false }
            statuses[number] = .differs(what.isEmpty ? "by \(difference)" : what)
            return true
        }
        guard used else { return }
        let amount = what.isEmpty ? "by \(Self.short(difference))" : what
        write("exercise \(number) differs from the reference \(amount) — not right yet; \(Self.gradeCommand(for: number)) shows why")
    }

    static func short(_ value: Double) -> String {
        value.isFinite ? String(format: "%.3g", value) : "\(value)"
    }

    /// Runs the student's version of an exercise, or the reference where the student's is not usable.
    ///
    /// `unusable` looks at the student's result before the lesson uses it
    /// and names what is wrong with it (`"0 splits, not 5"`), or returns
    /// `nil`: a result the lesson could not go on with (it would trap, or
    /// print nonsense) is replaced by the reference's, and the exercise
    /// counts as not right yet. See ``exercise(_:_:student:reference:unusable:)``.
    @discardableResult
    public func run<Result, Failure: Error>(
        _ number: String,
        _ title: String,
        student: () throws -> Result,
        reference: () throws(Failure) -> Result,
        unusable: (Result) -> String? = { _ in nil }
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
        case .done?, .differs?, nil:
            break
        }
        do {
            let result = try student()
            if let problem = unusable(result) {
                if case .differs? = known { return try reference() }  // said once already
                record(number, .differs(problem))
                write("exercise \(number) (\(title)) gave \(problem) — not right yet: using the reference solution; \(Self.gradeCommand(for: number)) shows why")
                return try reference()
            }
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
            write("exercise \(number) (\(title)) threw an error: \(error)\n  using the reference solution instead; \(Self.gradeCommand(for: number)) shows what is wrong")
        }
        return try reference()
    }

    private func record(_ number: String, _ status: Status) {
        lock.guarding { statuses[number] = status }
    }

    /// The end-of-lesson verdict: which exercises ran the student's code, which are not done, and how to grade them.
    ///
    /// It never calls code right: a lesson only runs it. Grading checks it.
    ///
    /// ```
    /// exercises: your code ran for 1.2, 1.4; not done yet: 1.1, 1.3 (Lessons/Day01/Exercises.swift). Grade them: swift run grade --day 1
    /// ```
    public var statusLine: String {
        let all = exercises
        if all.isEmpty { return "exercises: none in this lesson" }
        let numbers = all.map(\.number).joined(separator: ", ")
        if all.allSatisfy({ $0.status == .skipped }) {
            return "exercises: --solution used the reference solution for \(numbers)"
        }
        let ran = all.filter { $0.status == .done }.map(\.number)
        let differing = differingExercises, open = openExercises
        var parts: [String] = []
        if !ran.isEmpty { parts.append("your code ran for \(ran.joined(separator: ", "))") }
        if !differing.isEmpty { parts.append("not right yet: \(differing.joined(separator: ", "))") }
        if !open.isEmpty {
            // Grouped by the file they live in: a lesson also runs earlier days' exercises.
            let days = open.map(Self.day(of:)).reduce(into: [Int]()) { if !$0.contains($1) { $0.append($1) } }
            let groups = days.map { day in
                open.filter { Self.day(of: $0) == day }.joined(separator: ", ") + " (\(Self.exerciseFile(day: day)))"
            }
            parts.append("not done yet: " + groups.joined(separator: "; "))
        }
        // A lesson that also runs earlier days' exercises grades them all.
        let onlyToday = all.allSatisfy { Self.day(of: $0.number) == day }
        return "exercises: " + parts.joined(separator: "; ") + ". Grade them: \(onlyToday ? gradeCommand : "swift run grade")"
    }

    /// The day of an exercise number: `"4.2"` → 4.
    static func day(of number: String) -> Int { Int(number.prefix { $0 != "." }) ?? 0 }

    /// The exercise file of `day`, such as `Lessons/Day01/Exercises.swift`.
    static func exerciseFile(day: Int) -> String {
        "Lessons/" + (day < 10 ? "Day0\(day)" : "Day\(day)") + "/Exercises.swift"
    }

    /// Prints ``statusLine``.
    public func printStatus() {
        write(statusLine)
    }

    /// The command that grades exercise `number`'s day, the one it shows why for (Day 2 also runs exercise 1.4).
    static func gradeCommand(for number: String) -> String {
        "swift run grade --day \(day(of: number))"
    }

    private var gradeCommand: String {
        day.map { "swift run grade --day \($0)" } ?? "swift run grade"
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
