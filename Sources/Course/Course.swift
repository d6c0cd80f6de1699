import Foundation

/// The frame of a lesson program: parses its options, runs its exercises, and prints its verdict and summary.
///
/// A lesson's `main.swift` starts and ends with it:
///
/// ```swift
/// let lesson = Lesson.start(day: 1, about: "the LSTM cell; train a tagger one sentence at a time",
///                           seed: 1, epochs: 10)
/// let rng = Generator(seed: lesson.options.seed)
/// // ... exercise("1.1", "one LSTM cell step", student: { ... }, reference: { ... }) ...
/// lesson.finish(["accuracy": accuracy, "baseline": baseline])
/// // open exercises: 1.1 — fill them in Lessons/Day01/Exercises.swift, then run swift test --filter Day01
/// // summary: day=1 accuracy=0.9612 baseline=0.8123 seconds=12.3
/// ```
public final class Lesson {
    /// The lesson's day, description and defaults.
    public let info: LessonInfo
    /// The options the lesson runs with.
    public let options: LessonOptions
    /// The book that records the lesson's exercises (``ExerciseBook/shared``).
    public let exercises: ExerciseBook
    /// Started when the lesson started.
    public let stopwatch: Stopwatch

    /// Creates a lesson with parsed options, recording its exercises in `exercises`.
    public init(info: LessonInfo, options: LessonOptions, exercises: ExerciseBook = .shared) {
        self.info = info
        self.options = options
        self.exercises = exercises
        self.stopwatch = Stopwatch()
        exercises.day = info.day
        exercises.useReference = options.useReference
    }

    /// Starts lesson `day`: makes standard output line-buffered (so a pipe or a CI log shows each line as it is
    /// printed), parses the command line (printing help or a mistake and exiting), and configures ``ExerciseBook/shared``.
    ///
    /// - Parameters:
    ///   - about: one line saying what the lesson teaches, shown by `--help`.
    ///   - seed: the default `--seed`.
    ///   - epochs: the default `--epochs`.
    ///   - data: what `--data PATH` may name, or `nil` if the lesson takes no `--data`.
    ///   - takesTestData: whether the lesson also takes `--test-data PATH`.
    ///   - dataEpochs: the default `--epochs` with `--data`, if not `epochs`.
    ///   - flags: the lesson's own flags (read them with ``LessonOptions/isSet(_:)`` and ``LessonOptions/value(of:)``).
    public static func start(
        day: Int, about: String, seed: UInt64 = 42, epochs: Int = 10, data: String? = nil, takesTestData: Bool = false,
        dataEpochs: Int? = nil, flags: [LessonFlag] = [], arguments: [String] = CommandLine.arguments
    ) -> Lesson {
        lineBufferStandardOutput()
        let info = LessonInfo(day: day, about: about, seed: seed, epochs: epochs, data: data, takesTestData: takesTestData,
                              dataEpochs: dataEpochs, flags: flags)
        let lesson = Lesson(info: info, options: LessonOptions.parseOrExit(arguments, for: info))
        if lesson.options.useReference {
            print("--solution: using the reference solution for every exercise")
        }
        return lesson
    }

    /// Stops the program on a command-line mistake that only the lesson can see (flags that do not go together):
    /// prints `message` to standard error, naming the program, and exits 2, as a mistake in the common flags does.
    public func refuse(_ message: String) -> Never {
        LessonOptions.exitReporting(LessonOptionsError("\(info.program): \(message)"), for: info)
    }

    /// Ends the lesson: prints which exercises are open, then the `summary:` line with `metrics` and the seconds taken.
    public func finish(_ metrics: KeyValuePairs<String, any MetricValue>) {
        print("")
        exercises.printStatus()
        printSummary(day: info.day, metrics, seconds: stopwatch.seconds)
    }
}
