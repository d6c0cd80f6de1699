import Foundation
import Grading
import Testing

/// The report `swift run grade` prints and exports: table, score, Gradescope JSON and JUnit XML.
@Suite struct GradeReportTests {
    static let report = GradeReport(results: [
        ExerciseResult(id: "2.1", title: "k-fold", verdict: .timedOut, message: "timed out after 5 s — an infinite loop?", seconds: 5),
        ExerciseResult(id: "1.10", title: "tenth", verdict: .notAttempted, message: "it still throws TODO"),
        ExerciseResult(id: "1.2", title: "log-softmax", maxPoints: 2, verdict: .passed, seconds: 0.25),
        ExerciseResult(id: "1.3", title: "step <&>", verdict: .failed, message: "the weight is wrong\n  expected: 1\n  got:      2"),
        ExerciseResult(id: "2.2", title: "batches", verdict: .crashed, message: "Fatal error: Index out of range\n  called from Lessons/Day02/Exercises.swift:9"),
    ])

    @Test func ordersByNumberAndScores() {
        #expect(Self.report.results.map(\.id) == ["1.2", "1.3", "1.10", "2.1", "2.2"])
        #expect(Self.report.score == 2 && Self.report.maxScore == 6)
        #expect(Self.report.scoreLine == "score: 2 of 6 points (1 passed, 1 failed, 1 not attempted, 1 crashed, 1 timed out)")
    }

    @Test func tableHasADayPerBlockAndTheReasons() {
        let text = Self.report.text
        #expect(text.contains("Day 1: 2 of 4 points\n  1.2   log-softmax  passed"))
        #expect(text.contains("Day 2: 0 of 2 points"))
        #expect(text.contains("failed: the weight is wrong"))
        #expect(text.contains("timed out after 5 s — an infinite loop?"))
        #expect(text.contains("2.2 batches (crashed)\n  Fatal error: Index out of range\n    called from Lessons/Day02/Exercises.swift:9"))
        #expect(!text.contains("1.10 tenth (not attempted)"), "not attempted needs no details")
        #expect(text.hasSuffix(Self.report.scoreLine))
    }

    @Test func gradescopeJSON() throws {
        let object = try JSONSerialization.jsonObject(with: try Self.report.gradescopeJSON()) as! [String: Any]
        #expect(object["score"] as? Double == 2)
        let tests = object["tests"] as! [[String: Any]]
        #expect(tests.count == 5)
        #expect(tests.map { $0["name"] as! String }.first == "1.2 log-softmax")
        #expect(tests[0]["status"] as? String == "passed" && tests[0]["score"] as? Double == 2 && tests[0]["max_score"] as? Double == 2)
        let untouched = tests.first { ($0["name"] as! String).hasPrefix("1.10") }!
        #expect(untouched["status"] as? String == "failed" && untouched["score"] as? Double == 0)
        #expect((untouched["output"] as! String).hasPrefix("not attempted"))
    }

    @Test func junitSkipsUnattemptedAndErrorsOnCrashes() {
        let xml = Self.report.junitXML
        #expect(xml.contains(#"<testsuites name="LSTM Course" tests="5" failures="1" errors="2" skipped="1""#))
        #expect(xml.contains(#"<testcase classname="Day01" name="1.10 tenth" time="0.000">"# + "\n      <skipped message=\"it still throws TODO\"/>"))
        #expect(xml.contains(#"name="1.3 step &lt;&amp;&gt;""#))
        #expect(xml.contains(#"<failure message="the weight is wrong">"#))
        #expect(xml.contains(#"<error type="timed out""#) && xml.contains(#"<error type="crashed""#))
        #expect(xml.contains(#"<testcase classname="Day01" name="1.2 log-softmax" time="0.250"/>"#))
    }

    @Test func aBuildFailureScoresZeroEverywhere() throws {
        let log = """
            Building for debugging...
            /home/me/course/Lessons/Day01/Exercises.swift:22:9: error: cannot find 'x' in scope
            /home/me/course/Lessons/Day01/Exercises.swift:22:9: error: cannot find 'x' in scope
            /home/me/course/Lessons/Day03/Exercises.swift:5:1: warning: unused
            """
        #expect(CompilerDiagnostics.errors(in: log, root: "/home/me/course")
            == ["Lessons/Day01/Exercises.swift:22: error: cannot find 'x' in scope"])
        let report = GradeReport(results: [], problem: CompilerDiagnostics.buildFailure(log: log, root: "/home/me/course"))
        #expect(report.text.hasPrefix("The code does not compile"))
        #expect(report.text.contains("  Lessons/Day01/Exercises.swift:22: error: cannot find 'x' in scope"))
        let object = try JSONSerialization.jsonObject(with: try report.gradescopeJSON()) as! [String: Any]
        #expect(object["score"] as? Double == 0)
        #expect((object["output"] as! String).contains("Exercises.swift:22"))
        #expect(report.junitXML.contains(#"<error type="compile""#))
    }

    /// An error in an earlier day's exercises, compiled by later lessons through links, names the file the student edits, once.
    @Test func aBuildErrorThroughALinkNamesTheLinkedFile() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("grade-links-\(getpid())")
        defer { try? FileManager.default.removeItem(at: root) }
        for day in ["Day01", "Day06", "Day08"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent("Lessons/\(day)"), withIntermediateDirectories: true)
        }
        try "func f() {}\n".write(to: root.appendingPathComponent("Lessons/Day01/Exercises.swift"), atomically: true, encoding: .utf8)
        for day in ["Day06", "Day08"] {
            try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("Lessons/\(day)/Day01Exercises.swift").path,
                                                       withDestinationPath: "../Day01/Exercises.swift")
        }
        let log = """
            \(root.path)/Lessons/Day06/Day01Exercises.swift:69:5: error: cannot find 'x' in scope
            \(root.path)/Lessons/Day08/Day01Exercises.swift:69:5: error: cannot find 'x' in scope
            \(root.path)/Lessons/Day06/main.swift:3:1: error: extraneous '}'
            """
        #expect(CompilerDiagnostics.errors(in: log, root: root.path)
            == ["Lessons/Day01/Exercises.swift:69: error: cannot find 'x' in scope", "Lessons/Day06/main.swift:3: error: extraneous '}'"])
    }
}
