import Foundation

/// What a crashed check printed, cut to what a student needs: the error and where in their code it happened.
///
/// ```
/// Fatal error: matmul: [3, 5] × [4, 5]: inner dimensions 5 and 4 differ
///   raised at Sources/Torchlet/Tensor/Tensor+Matmul.swift:18
///   called from Lessons/Day01/Exercises.swift:23
/// ```
///
/// The location comes from Swift's crash backtrace, which names source
/// lines when `SWIFT_BACKTRACE` enables it (the graded tests do).
public struct CrashReport: CustomStringConvertible, Equatable, Sendable {
    /// The error (`Fatal error: …`), or what the backtracer said, or the signal.
    public var error: String
    /// The `file:line` that raised a fatal error, relative to the package root where it is inside it.
    public var raisedAt: String?
    /// `Lessons/DayNN/Exercises.swift:LINE` of the innermost frame in an exercise file, if any.
    public var location: String?

    /// Reads the standard error of a process that `signal` stopped; paths under `root` are shown relative to it.
    public init(standardError: String, signal: Int32, root: String? = nil) {
        let lines = standardError.split(separator: "\n").map(String.init)
        if let fatal = lines.first(where: { $0.contains("Fatal error") }),
           let marker = fatal.range(of: "Fatal error") {
            error = String(fatal[marker.lowerBound...]).trimmingCharacters(in: .whitespaces)
            var place = fatal[..<marker.lowerBound].trimmingCharacters(in: .whitespaces)
            if place.hasSuffix(":") { place.removeLast() }
            if let root, place.hasPrefix(root.hasSuffix("/") ? root : root + "/") {
                place.removeFirst(root.hasSuffix("/") ? root.count : root.count + 1)
            }
            raisedAt = place.isEmpty ? nil : studentPath(place)
        } else if let crashed = lines.first(where: { $0.contains("*** Program crashed:") }) {
            error = crashed.replacingOccurrences(of: "*", with: "").trimmingCharacters(in: .whitespaces)
        } else {
            error = "the process was stopped by signal \(signal) (\(Self.name(of: signal)))"
        }
        location = Self.exerciseLocation(in: lines)
        if raisedAt == location { raisedAt = nil }  // the student's own fatalError: one place, said once
    }

    public var description: String {
        error + (raisedAt.map { "\n  raised at \($0)" } ?? "") + (location.map { "\n  called from \($0)" } ?? "")
    }

    /// The first `Lessons/DayNN/Exercises.swift:LINE` in backtrace lines (as the student sees it, see `studentPath`).
    static func exerciseLocation(in lines: [String]) -> String? {
        for line in lines {
            guard let range = line.range(of: #"Lessons/Day[0-9]+/(Day[0-9]+)?Exercises\.swift:[0-9]+"#, options: .regularExpression)
            else { continue }
            return studentPath(String(line[range]))
        }
        return nil
    }

    /// The last few lines of `standardError`, indented, or nothing when it is empty.
    static func tail(of standardError: String) -> String {
        let lines = standardError.split(separator: "\n").suffix(5)
        return lines.isEmpty ? "" : "\n" + lines.map { "  " + $0 }.joined(separator: "\n")
    }

    static func name(of signal: Int32) -> String {
        switch signal {
        case SIGILL: return "SIGILL: a Swift runtime trap"
        case SIGTRAP: return "SIGTRAP: a Swift runtime trap"
        case SIGSEGV: return "SIGSEGV: a bad memory access"
        case SIGBUS: return "SIGBUS: a bad memory access"
        case SIGABRT: return "SIGABRT: the program aborted"
        case SIGFPE: return "SIGFPE: an arithmetic error"
        case SIGKILL: return "SIGKILL: killed, perhaps out of memory"
        default: return "signal \(signal)"
        }
    }
}
