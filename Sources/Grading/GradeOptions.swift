import Foundation

/// The command line of `swift run grade`, parsed.
///
/// ```
/// swift run grade [--day N] [--timeout SECONDS] [--json PATH] [--junit PATH] [--fail-under POINTS] [--verbose]
/// ```
public struct GradeOptions: Equatable, Sendable {
    /// Grade only this day's exercises, or every day when `nil`.
    public var day: Int?
    /// Seconds each exercise's check may run.
    public var timeout = GradingEnvironment.defaultTimeout
    /// Where to write Gradescope's `results.json`, if anywhere.
    public var jsonPath: String?
    /// Where to write JUnit XML, if anywhere.
    public var junitPath: String?
    /// Exit with status 1 when the score is below this (for CI); `nil` always exits 0 after grading.
    public var failUnder: Double?
    /// Show the build's and the test run's whole output.
    public var verbose = false
    /// `--help`.
    public var showHelp = false

    /// Options with every default.
    public init() {}

    /// The help text.
    public static let usage = """
        usage: swift run grade [--day N] [--timeout SECONDS] [--json PATH] [--junit PATH] [--fail-under POINTS] [--verbose]

        Builds the package, runs every exercise's graded check (each in its own
        process, with a time limit), and prints a table per day and the score.

          --day N             grade only day N's exercises
          --timeout SECONDS   time limit per exercise (default \(GradingEnvironment.defaultTimeout))
          --json PATH         also write Gradescope's results.json to PATH
          --junit PATH        also write JUnit XML to PATH (not attempted = skipped)
          --fail-under POINTS exit 1 when the score is below POINTS (for CI); otherwise
                              grade exits 0 whenever it could grade
          --verbose           show the whole build and test output
          -h, --help          show this help
        """

    /// Parses the arguments after the program name.
    ///
    /// - Throws: ``GradeOptionsError`` naming the flag and what it needs.
    public static func parse(_ arguments: [String]) throws -> GradeOptions {
        var options = GradeOptions()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            var flag = argument, inline: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                flag = String(argument[..<equals])
                inline = String(argument[argument.index(after: equals)...])
            }
            func value(_ needs: String) throws -> String {
                if let inline { return inline }
                guard let next = rest.first, !next.hasPrefix("--") else {
                    throw GradeOptionsError("\(flag) needs \(needs)")
                }
                rest.removeFirst()
                return next
            }
            switch flag {
            case "-h", "--help":
                options.showHelp = true
            case "--verbose":
                options.verbose = true
            case "--day":
                let text = try value("a day number from 1 to 10")
                guard let day = Int(text), (1...10).contains(day) else {
                    throw GradeOptionsError("--day needs a day number from 1 to 10, got \"\(text)\"")
                }
                options.day = day
            case "--timeout":
                let text = try value("a whole number of seconds from 1 to 3600")
                guard let seconds = Int(text), (1...3600).contains(seconds) else {
                    throw GradeOptionsError("--timeout needs a whole number of seconds from 1 to 3600, got \"\(text)\"")
                }
                options.timeout = seconds
            case "--json":
                options.jsonPath = try value("a file path")
            case "--junit":
                options.junitPath = try value("a file path")
            case "--fail-under":
                let text = try value("a number of points")
                guard let points = Double(text), points >= 0, points.isFinite else {
                    throw GradeOptionsError("--fail-under needs a number of points, got \"\(text)\"")
                }
                options.failUnder = points
            default:
                throw GradeOptionsError(argument.hasPrefix("-") ? "unknown option \"\(argument)\""
                                                                : "unexpected argument \"\(argument)\"")
            }
        }
        return options
    }

    /// The options with the `--json` and `--junit` paths made absolute from
    /// `directory`, where grade was started (it then works in the package root).
    public func resolvingPaths(from directory: String) -> GradeOptions {
        func absolute(_ path: String?) -> String? {
            path.map { $0.hasPrefix("/") ? $0 : URL(fileURLWithPath: directory).appendingPathComponent($0).standardizedFileURL.path }
        }
        var resolved = self
        resolved.jsonPath = absolute(jsonPath)
        resolved.junitPath = absolute(junitPath)
        return resolved
    }

    /// A sentence for each results file whose folder does not exist, so that grade can stop before it builds.
    public var missingOutputFolders: [String] {
        [("--json", jsonPath), ("--junit", junitPath)].compactMap { flag, path in
            guard let path else { return nil }
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) && isDirectory.boolValue { return nil }
            return "grade: \(flag) \(path): no such folder \(folder)"
        }
    }

    /// The `swift test --filter` pattern that selects the graded tests of ``day`` (or of every day).
    public var testFilter: String {
        let suite = day.map { $0 < 10 ? "Day0\($0)" : "Day\($0)" } ?? "Day[0-9]+"
        return suite + #"Tests/exercise[0-9]+_[0-9]+\("#
    }
}

/// A mistake on `grade`'s command line.
public struct GradeOptionsError: Error, CustomStringConvertible, Equatable {
    /// What is wrong, naming the flag.
    public var message: String

    init(_ message: String) { self.message = "grade: " + message }

    public var description: String { message }
}
