import Foundation

/// Describes a lesson program for its command line: its day, one line about it, and its defaults.
public struct LessonInfo: Equatable, Sendable {
    /// The lesson's day, 1 through 10; the program is called `day<day>`.
    public var day: Int
    /// One line saying what the lesson teaches.
    public var about: String
    /// The seed used when `--seed` is not given.
    public var defaultSeed: UInt64
    /// The epochs used when `--epochs` is not given.
    public var defaultEpochs: Int
    /// What `--data PATH` may name (such as `"a CoNLL-U file"`), or `nil` if the lesson does not take `--data`.
    public var data: String?
    /// Whether the lesson also takes `--test-data PATH`: a separate test file, of the same kind as `--data`'s.
    public var takesTestData: Bool
    /// The epochs used with `--data` when `--epochs` is not given (a real file may need more than the synthetic default), or `nil` for ``defaultEpochs``.
    public var dataEpochs: Int?
    /// The lesson's own flags, beyond the ones every lesson takes.
    public var flags: [LessonFlag]

    /// Creates the description of lesson `day`.
    ///
    /// - Precondition: a lesson that takes `--test-data` or has `dataEpochs` takes `--data`, and its own flags
    ///   start with `--` and are not the common ones.
    public init(
        day: Int, about: String, seed: UInt64 = 42, epochs: Int = 10, data: String? = nil, takesTestData: Bool = false,
        dataEpochs: Int? = nil, flags: [LessonFlag] = []
    ) {
        precondition(!takesTestData || data != nil, "LessonInfo: day \(day) takes --test-data but not --data")
        precondition(dataEpochs == nil || data != nil, "LessonInfo: day \(day) has dataEpochs but takes no --data")
        for flag in flags {
            precondition(flag.name.hasPrefix("--") && !LessonFlag.common.contains(flag.name),
                         "LessonInfo: day \(day)'s flag \(flag.name) must start with -- and not be a common one")
        }
        self.day = day
        self.about = about
        self.defaultSeed = seed
        self.defaultEpochs = epochs
        self.data = data
        self.takesTestData = takesTestData
        self.dataEpochs = dataEpochs
        self.flags = flags
    }

    /// The program's name, such as `day1`.
    public var program: String { "day\(day)" }

    /// The help text that `--help` prints.
    public var usage: String {
        var lines = [
            "\(program): \(about)",
            "",
            "usage: swift run \(program) [--solution] [--seed N] [--epochs N]" + (data == nil ? "" : " [--data PATH]")
                + (takesTestData ? " [--test-data PATH]" : "")
                + flags.map { " [\($0.name)" + ($0.valueName.map { " \($0)" } ?? "") + "]" }.joined(),
            "",
            "options:",
            "  --solution    use the reference solution for every exercise",
            "  --seed N      random seed, 0 to \(LessonOptions.maxSeed) (default \(defaultSeed))",
            "  --epochs N    training epochs, 1 to \(LessonOptions.maxEpochs) (default \(defaultEpochs)"
                + (dataEpochs.map { "; \($0) with --data" } ?? "") + ")",
        ]
        if let data {
            lines.append("  --data PATH   train on your own data: \(data)")
        }
        if takesTestData {
            lines.append("  --test-data PATH  test once on this file (with --data) instead of a part of --data's")
        }
        for flag in flags {
            lines.append("  \(flag.name)" + (flag.valueName.map { " \($0)" } ?? "") + "  \(flag.help)")
        }
        lines.append("  -h, --help    show this help")
        return lines.joined(separator: "\n")
    }
}

/// A flag of one lesson's own, beyond the options every lesson takes: a switch such as `--tag`, or one with a value such as `--model DIR`.
public struct LessonFlag: Equatable, Sendable {
    /// The flag as typed, such as `"--model"`.
    public var name: String
    /// What the value is, such as `"DIR"`, or `nil` for a switch that takes none.
    public var valueName: String?
    /// One line for `--help`.
    public var help: String

    /// Creates a flag `name`; with `valueName` it takes a value.
    public init(_ name: String, valueName: String? = nil, help: String) {
        self.name = name
        self.valueName = valueName
        self.help = help
    }

    /// The flags every lesson takes, which a lesson's own flags may not reuse.
    public static let common: Set<String> = ["-h", "--help", "--solution", "--seed", "--epochs", "--data", "--test-data"]
}

/// A command-line mistake, described so that it names the program and the flag.
public struct LessonOptionsError: Error, CustomStringConvertible, Equatable {
    /// What is wrong, such as `day1: --epochs needs a positive integer, got "x"`.
    public var message: String
    /// Whether the usage text should follow the message (for unknown options).
    public var showUsage: Bool

    /// Creates an error with `message`.
    public init(_ message: String, showUsage: Bool = false) {
        self.message = message
        self.showUsage = showUsage
    }

    public var description: String { message }
}

/// The options every lesson program accepts: `--help`, `--solution`, `--seed N`, `--epochs N`, `--data PATH`.
///
/// ```swift
/// let info = LessonInfo(day: 1, about: "train a tagger", seed: 1, epochs: 10)
/// let options = try LessonOptions.parse(["day1", "--epochs", "3"], for: info)
/// options.epochs // 3
/// ```
///
/// Values may also be written `--epochs=3`. A later flag overrides an earlier one.
/// `--epochs` is at most ``maxEpochs``, `--seed` at most ``maxSeed``.
public struct LessonOptions: Equatable, Sendable {
    /// `--help` or `-h` was given: print ``LessonInfo/usage`` and stop.
    public var showHelp = false
    /// `--solution`: use every reference solution instead of the student's code.
    public var useReference = false
    /// `--seed N`, else the lesson's default.
    public var seed: UInt64
    /// `--epochs N`, else the lesson's default.
    public var epochs: Int

    /// The most epochs `--epochs` accepts: far more than any lesson needs,
    /// and small enough that no count derived from it (`4 × epochs` steps,
    /// a progress line's arithmetic) can overflow.
    public static let maxEpochs = 10_000
    /// The largest seed `--seed` accepts, 2³² − 1: lessons derive further
    /// seeds from it (`seed * 10 + run`, `seed + 1_000`), which must not
    /// overflow a `UInt64`.
    public static let maxSeed: UInt64 = 4_294_967_295
    /// `--data PATH`, else `nil`.
    public var dataPath: String?
    /// `--test-data PATH`, else `nil`; only together with `--data`.
    public var testDataPath: String?
    /// The lesson's own flags that were given (``LessonInfo/flags``), by name: the value, or `""` for a switch.
    public var flagValues: [String: String] = [:]

    /// Whether the lesson's own flag `name` (such as `"--tag"`) was given.
    public func isSet(_ name: String) -> Bool { flagValues[name] != nil }

    /// The value given to the lesson's own flag `name` (such as `"--model"`), or `nil` if it was not given.
    public func value(of name: String) -> String? { flagValues[name] }

    /// Creates the options a lesson runs with when no flags are given.
    public init(defaultsFor info: LessonInfo) {
        seed = info.defaultSeed
        epochs = info.defaultEpochs
    }

    /// Whether `text` is written in digits alone and names a number above
    /// `maximum` (one too large for any integer type counts), so that such a
    /// flag gets "at most" rather than "needs an integer".
    static func isWholeNumber(_ text: String, above maximum: UInt64) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber } && (UInt64(text) ?? .max) > maximum
    }

    /// Parses `arguments` (the program name first, as in `CommandLine.arguments`) for the lesson `info`.
    ///
    /// - Throws: ``LessonOptionsError`` naming the flag that is wrong.
    public static func parse(_ arguments: [String], for info: LessonInfo) throws -> LessonOptions {
        var options = LessonOptions(defaultsFor: info)
        if arguments.dropFirst().contains(where: { $0 == "-h" || $0 == "--help" }) {
            options.showHelp = true  // help wins over any mistake next to it
            return options
        }
        let program = info.program
        var rest = arguments.dropFirst()[...]
        var epochsGiven = false
        while let argument = rest.popFirst() {
            var flag = argument
            var inlineValue: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                flag = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            func value(_ what: String) throws -> String {
                if let inlineValue { return inlineValue }
                guard let next = rest.first, !next.hasPrefix("--") else {
                    throw LessonOptionsError("\(program): \(flag) needs \(what)")
                }
                rest.removeFirst()
                return next
            }
            func noValue() throws {
                if inlineValue != nil { throw LessonOptionsError("\(program): \(flag) takes no value, got \"\(argument)\"") }
            }
            switch flag {
            case "-h", "--help":
                try noValue()
                options.showHelp = true
            case "--solution":
                try noValue()
                options.useReference = true
            case "--seed":
                let text = try value("a non-negative integer")
                if isWholeNumber(text, above: maxSeed) {
                    throw LessonOptionsError("\(program): --seed allows at most \(maxSeed), got \"\(text)\"")
                }
                guard let seed = UInt64(text) else {
                    throw LessonOptionsError("\(program): --seed needs a non-negative integer, got \"\(text)\"")
                }
                options.seed = seed
            case "--epochs":
                let text = try value("a positive integer")
                if isWholeNumber(text, above: UInt64(maxEpochs)) {
                    throw LessonOptionsError(
                        "\(program): --epochs allows at most \(maxEpochs) epochs, got \"\(text)\"")
                }
                guard let epochs = Int(text), epochs > 0 else {
                    throw LessonOptionsError("\(program): --epochs needs a positive integer, got \"\(text)\"")
                }
                options.epochs = epochs
                epochsGiven = true
            case "--data":
                guard let data = info.data else {
                    throw LessonOptionsError("\(program): --data is not supported by this lesson", showUsage: true)
                }
                let path = try value("a path to \(data)")
                guard !path.isEmpty else { throw LessonOptionsError("\(program): --data needs a path, got \"\"") }
                options.dataPath = path
            case "--test-data":
                guard info.takesTestData, let data = info.data else {
                    throw LessonOptionsError("\(program): --test-data is not supported by this lesson", showUsage: true)
                }
                let path = try value("a path to \(data)")
                guard !path.isEmpty else { throw LessonOptionsError("\(program): --test-data needs a path, got \"\"") }
                options.testDataPath = path
            default:
                if let own = info.flags.first(where: { $0.name == flag }) {
                    if let valueName = own.valueName {
                        let text = try value("a value (\(valueName))")
                        guard !text.isEmpty else { throw LessonOptionsError("\(program): \(flag) needs \(valueName), got \"\"") }
                        options.flagValues[flag] = text
                    } else {
                        try noValue()
                        options.flagValues[flag] = ""
                    }
                    continue
                }
                if argument.hasPrefix("-") {
                    throw LessonOptionsError("\(program): unknown option \"\(argument)\"", showUsage: true)
                }
                throw LessonOptionsError("\(program): unexpected argument \"\(argument)\"", showUsage: true)
            }
        }
        if options.testDataPath != nil && options.dataPath == nil {
            throw LessonOptionsError("\(program): --test-data needs --data too: the file to train and validate on")
        }
        if options.dataPath != nil, !epochsGiven, let dataEpochs = info.dataEpochs {
            options.epochs = dataEpochs
        }
        return options
    }

    /// Parses the command line like ``parse(_:for:)``; on `--help` prints the usage and exits 0, on a mistake prints it to standard error and exits 2.
    public static func parseOrExit(_ arguments: [String] = CommandLine.arguments, for info: LessonInfo) -> LessonOptions {
        do {
            let options = try parse(arguments, for: info)
            if options.showHelp {
                print(info.usage)
                exit(0)
            }
            return options
        } catch let error as LessonOptionsError {
            exitReporting(error, for: info)
        } catch {
            FileHandle.standardError.write(Data("\(info.program): \(error)\n".utf8))
            exit(2)
        }
    }

    /// Prints the command-line mistake `error` to standard error (with the usage, or where to find it) and exits 2.
    public static func exitReporting(_ error: LessonOptionsError, for info: LessonInfo) -> Never {
        var text = error.message + "\n"
        text += error.showUsage ? "\n" + info.usage + "\n" : "run swift run \(info.program) --help for the options\n"
        FileHandle.standardError.write(Data(text.utf8))
        exit(2)
    }
}
