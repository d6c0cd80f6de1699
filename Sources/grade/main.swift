// grade: builds the package, runs every exercise's graded check in isolation,
// and prints a table per day and the score; optionally writes Gradescope's
// results.json and JUnit XML. See `swift run grade --help`.
import Foundation
import Grading

setvbuf(stdout, nil, _IOLBF, 0)

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("\(message)\n".utf8))
    exit(2)
}

let options: GradeOptions
do {
    // Results paths are read from where grade was started; it then works in the package root.
    options = try GradeOptions.parse(Array(CommandLine.arguments.dropFirst()))
        .resolvingPaths(from: FileManager.default.currentDirectoryPath)
} catch {
    fail("\(error)\n\n\(GradeOptions.usage)")
}
if options.showHelp {
    print(GradeOptions.usage)
    exit(0)
}
if !options.missingOutputFolders.isEmpty {
    fail(options.missingOutputFolders.joined(separator: "\n"))
}

/// The package root: the nearest directory, here or above, with `Package.swift` and `Lessons`.
func packageRoot() -> URL? {
    var directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL
    while true {
        let manager = FileManager.default
        if manager.fileExists(atPath: directory.appendingPathComponent("Package.swift").path)
            && manager.fileExists(atPath: directory.appendingPathComponent("Lessons").path) {
            return directory
        }
        let parent = directory.deletingLastPathComponent()
        if parent.path == directory.path { return nil }
        directory = parent
    }
}

guard let root = packageRoot() else {
    fail("grade: no Package.swift with a Lessons folder here or above \(FileManager.default.currentDirectoryPath); "
         + "run grade inside the course's folder")
}
_ = FileManager.default.changeCurrentDirectoryPath(root.path)

let work = FileManager.default.temporaryDirectory.appendingPathComponent("lstm-course-grade-\(getpid())")
let resultsDirectory = work.appendingPathComponent("results")
do {
    try FileManager.default.createDirectory(at: resultsDirectory, withIntermediateDirectories: true)
} catch {
    fail("grade: cannot create \(resultsDirectory.path): \(error.localizedDescription)")
}
defer { try? FileManager.default.removeItem(at: work) }

/// Writes the report where the options ask, prints it, and exits.
func finish(_ report: GradeReport) -> Never {
    print("")
    print(report.text)
    // Each results file is tried, whatever became of the other.
    var unwritten: [String] = []
    if let path = options.jsonPath {
        do {
            try report.gradescopeJSON().write(to: URL(fileURLWithPath: path), options: .atomic)
            print("wrote \(path) (Gradescope results)")
        } catch {
            unwritten.append("grade: cannot write \(path): \(error.localizedDescription)")
        }
    }
    if let path = options.junitPath {
        do {
            try report.junitXML.write(toFile: path, atomically: true, encoding: .utf8)
            print("wrote \(path) (JUnit)")
        } catch {
            unwritten.append("grade: cannot write \(path): \(error.localizedDescription)")
        }
    }
    try? FileManager.default.removeItem(at: work)
    if !unwritten.isEmpty { fail(unwritten.joined(separator: "\n")) }
    if let minimum = options.failUnder, report.score < minimum {
        print("grade: the score \(GradeReport.number(report.score)) is below --fail-under \(GradeReport.number(minimum))")
        exit(1)
    }
    exit(0)
}

// 1. Build everything the graded tests need.
print("grade: building the course and its tests (swift build --build-tests) …")
let buildLog = work.appendingPathComponent("build.log")
let build: Subprocess.Ending
do {
    build = try Subprocess.run(["swift", "build", "--build-tests"], log: buildLog, echo: options.verbose,
                               timeLimit: 3600)
} catch {
    fail("grade: \(error) (is the Swift toolchain on PATH?)")
}
if build.status != 0 {
    let log = (try? String(contentsOf: buildLog, encoding: .utf8)) ?? ""
    finish(GradeReport(results: [], problem: CompilerDiagnostics.buildFailure(log: log, root: root.path)))
}

// 2. The graded tests there are, from the test list.
let listLog = work.appendingPathComponent("list.log")
_ = try? Subprocess.run(["swift", "test", "list", "--skip-build"], log: listLog, echo: false, timeLimit: 600)
let listed = ((try? String(contentsOf: listLog, encoding: .utf8)) ?? "")
    .split(separator: "\n")
    .compactMap { line -> String? in
        guard line.range(of: options.testFilter, options: .regularExpression) != nil,
              let range = line.range(of: #"exercise[0-9]+_[0-9]+"#, options: .regularExpression) else { return nil }
        return line[range].dropFirst("exercise".count).replacingOccurrences(of: "_", with: ".")
    }
if listed.isEmpty {
    fail("grade: no graded exercises found\(options.day.map { " for day \($0)" } ?? "") (swift test list shows none)")
}

// 3. Run them: each in its own child process, with the time limit.
print("grade: running \(listed.count) graded checks (time limit \(options.timeout) s each) …")
let testLog = work.appendingPathComponent("test.log")
var environment = [
    GradingEnvironment.resultsVariable: resultsDirectory.path,
    GradingEnvironment.timeoutVariable: String(options.timeout),
]
if ProcessInfo.processInfo.environment["SWIFT_BACKTRACE"] == nil {
    environment["SWIFT_BACKTRACE"] = "enable=yes,interactive=no,color=no,threads=crashed,registers=none,images=none"
}
let run: Subprocess.Ending
do {
    run = try Subprocess.run(["swift", "test", "--skip-build", "--filter", options.testFilter],
                             environment: environment, log: testLog, echo: options.verbose,
                             timeLimit: Double(options.timeout * (listed.count + 1) + 300))
} catch {
    fail("grade: \(error)")
}

// 4. Collect the results; an exercise without one was never graded.
var results = (try? ExerciseResult.readAll(from: resultsDirectory)) ?? []
let stopped = run.status == nil ? "the test run was stopped after \(Int(run.seconds)) s" : "the test run ended early"
for id in listed where !results.contains(where: { $0.id == id }) {
    results.append(ExerciseResult(id: id, title: "", verdict: .crashed,
                                  message: "no result: \(stopped) before this exercise was graded"))
}
if results.contains(where: { $0.message.hasPrefix("no result:") }) {
    let kept = root.appendingPathComponent(".build/grade-test.log")
    try? FileManager.default.removeItem(at: kept)
    try? FileManager.default.copyItem(at: testLog, to: kept)
    print("grade: some exercises have no result; the test output is in \(kept.path)")
}
finish(GradeReport(results: results))
