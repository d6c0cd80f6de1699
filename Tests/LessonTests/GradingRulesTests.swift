import Foundation
import Grading
import Testing
import Weaver

/// The integrity rules and how a child's ending is read.
@Suite struct GradingRulesTests {
    static let exercises = """
        import Course
        import Torchlet

        /// Exercise 3.2: do not call `lengthMask` (a comment may say lengthMask).
        func mask(lengths: [Int], maxLength: Int) throws -> Tensor {
            let note = "lengthMask(lengths:)"
            return lengthMask(lengths: lengths, maxLength: maxLength)
        }

        func maskedCrossEntropy() throws -> Tensor {
            lengthMask(lengths: [1], maxLength: 1)  // allowed here
        }
        """

    @Test func aForbiddenCallInTheBodyIsNamedWithItsLine() {
        let found = GradingRules.violations(in: Self.exercises, fileName: "Lessons/Day03/Exercises.swift", exercise: "3.2",
                                            function: "mask", forbidden: ["lengthMask", "maskedMean"])
        #expect(found == ["exercise 3.2 must not call `lengthMask` (Lessons/Day03/Exercises.swift:7); "
                          + "build it from simpler operations, as the exercise asks"])
    }

    @Test func commentsStringsAndOtherFunctionsDoNotCount() {
        let clean = Self.exercises.replacingOccurrences(of: "return lengthMask(lengths: lengths, maxLength: maxLength)",
                                                        with: "return Tensor.zeros([1])")
        #expect(GradingRules.violations(in: clean, fileName: "E.swift", exercise: "3.2", function: "mask",
                                        forbidden: ["lengthMask"]).isEmpty)
    }

    @Test func usingTheSolutionsBreaksTheRule() {
        for cheat in ["import Solutions", "let s = Solutions.Day3.mask"] {
            let found = GradingRules.violations(in: "import Course\n" + cheat + "\nfunc mask() {}", fileName: "E.swift",
                                                exercise: "3.2", function: "mask", forbidden: [])
            #expect(found.count == 1 && found[0].hasPrefix("E.swift:2 uses the reference solutions"))
        }
        #expect(GradingRules.violations(in: "// see Solutions/Day03.swift\nfunc mask() {}", fileName: "E.swift",
                                        exercise: "3.2", function: "mask", forbidden: []).isEmpty)
    }

    @Test func swiftSourceBlanksCommentsAndStrings() {
        let source = SwiftSource("let a = \"x // y\" /* z /* w */ v */ + 1 // q\nlet b = \"\"\"\n  lengthMask\n  \"\"\"")
        let code = String(source.code)
        #expect(!code.contains("x") && !code.contains("z") && !code.contains("v") && !code.contains("q"))
        #expect(!code.contains("lengthMask") && code.contains("+ 1") && code.contains("let b"))
        #expect(code.filter { $0 == "\n" }.count == 3)
    }

    @Test func childOutcomes() {
        let reported = ChildOutcome(.failed, "wrong", seconds: 0.5)
        #expect(ChildOutcome.parse(standardOutput: "student print\n" + reported.line) == reported)
        #expect(ChildOutcome(exitCode: ChildOutcome.reportedExitCode, signal: nil, standardOutput: reported.line,
                             standardError: "", timeout: 30) == reported)
        #expect(ChildOutcome(exitCode: nil, signal: SIGALRM, standardOutput: "", standardError: "", timeout: 7).verdict == .timedOut)
        let crash = ChildOutcome(exitCode: nil, signal: SIGILL, standardOutput: "", standardError: """
            /root/c/Sources/Torchlet/Tensor/Tensor+Matmul.swift:18: Fatal error: matmul: [3, 5] × [4, 5]
            3 [ra] 0x000055 static f() + 113 in LSTMCoursePackageTests.xctest at /root/c/Lessons/Day01/Exercises.swift:23:47
            """, timeout: 30, root: "/root/c")
        #expect(crash.verdict == .crashed)
        #expect(crash.message == "Fatal error: matmul: [3, 5] × [4, 5]\n  raised at Sources/Torchlet/Tensor/Tensor+Matmul.swift:18"
                + "\n  called from Lessons/Day01/Exercises.swift:23")
        #expect(ChildOutcome(exitCode: 3, signal: nil, standardOutput: "", standardError: "", timeout: 30).verdict == .crashed)
    }

    @Test func gradeOptions() throws {
        let options = try GradeOptions.parse(["--day", "3", "--timeout=5", "--json", "r.json", "--junit", "j.xml", "--fail-under", "7.5"])
        #expect(options.day == 3 && options.timeout == 5 && options.jsonPath == "r.json" && options.junitPath == "j.xml")
        #expect(options.failUnder == 7.5)
        #expect(options.testFilter == #"Day03Tests/exercise[0-9]+_[0-9]+\("#)
        #expect(GradeOptions().testFilter == #"Day[0-9]+Tests/exercise[0-9]+_[0-9]+\("#)
        #expect(throws: GradeOptionsError.self) { try GradeOptions.parse(["--day", "11"]) }
        #expect(throws: GradeOptionsError.self) { try GradeOptions.parse(["--timeout", "0"]) }
        #expect(throws: GradeOptionsError.self) { try GradeOptions.parse(["--json"]) }
        do {
            _ = try GradeOptions.parse(["--dya", "3"])
        } catch {
            #expect("\(error)" == #"grade: unknown option "--dya""#)
        }
        #expect(GradingEnvironment.timeout(in: [:]) == 30)
        #expect(GradingEnvironment.timeout(in: [GradingEnvironment.timeoutVariable: "4"]) == 4)
    }
}
