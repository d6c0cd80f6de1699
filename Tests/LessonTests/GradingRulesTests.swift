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

    /// A local of the forbidden name, or an argument label, is not a use; a member access is, local or not.
    @Test func localsAndLabelsAreNotCalls() {
        func violations(_ body: String, forbidden: String) -> [String] {
            GradingRules.violations(in: "func f() throws -> Int {\n\(body)\n}", fileName: "E.swift", exercise: "5.1",
                                    function: "f", forbidden: [forbidden])
        }
        #expect(violations("let selected = output.gather(dim: 0, index: i)\nreturn selected.count", forbidden: "selected").isEmpty)
        #expect(violations("var parameters = 0\nfor p in ps { parameters += p }\nreturn parameters", forbidden: "parameters").isEmpty)
        #expect(violations("return ps.map { parameters in parameters.count }.count", forbidden: "parameters").isEmpty)
        #expect(violations("return count(parameters: ps)", forbidden: "parameters").isEmpty)
        #expect(violations("var parameters = 0\nfor p in model.parameters() { parameters += 1 }\nreturn parameters",
                           forbidden: "parameters") == ["exercise 5.1 must not call `parameters` (E.swift:3); "
                                                        + "build it from simpler operations, as the exercise asks"])
        #expect(violations("return output.selected(dim: 0, index: 1).count", forbidden: "selected").count == 1)
        #expect(violations("let t = Torchlet\n    .lengthMask(lengths: [1], maxLength: 1)", forbidden: "lengthMask").count == 1)
        #expect(violations("let lengthMask = 2\nreturn lengthMask", forbidden: "lengthMask").isEmpty)
        #expect(violations("let a = Adam(model.parameters())", forbidden: "Adam").count == 1)
    }

    /// Calling a function of the same file that uses a forbidden name breaks the rule too, however deep.
    @Test func aForbiddenCallThroughAHelperIsNamed() {
        let source = """
            func myMask(_ lengths: [Int], _ maxLength: Int) -> Tensor {
                deeper(lengths, maxLength)
            }

            func mask(lengths: [Int], maxLength: Int) throws -> Tensor {
                return myMask(lengths, maxLength)
            }

            func deeper(_ lengths: [Int], _ maxLength: Int) -> Tensor {
                lengthMask(lengths: lengths, maxLength: maxLength)
            }
            """
        #expect(GradingRules.violations(in: source, fileName: "E.swift", exercise: "3.2", function: "mask",
                                        forbidden: ["lengthMask"])
                == ["exercise 3.2 must not call `lengthMask`, also not through another function: it calls `myMask` (E.swift:6), "
                    + "which uses `lengthMask` (line 10); build it from simpler operations, as the exercise asks"])
        // A helper that only mentions the name in a comment, or that the exercise does not call, does not count.
        let clean = source.replacingOccurrences(of: "return myMask(lengths, maxLength)", with: "return Tensor.zeros([1])")
        #expect(GradingRules.violations(in: clean, fileName: "E.swift", exercise: "3.2", function: "mask",
                                        forbidden: ["lengthMask"]).isEmpty)
        // Functions that call each other do not loop the search.
        let loop = "func a() { b() }\nfunc b() { a() }\nfunc mask() { a() }"
        #expect(GradingRules.violations(in: loop, fileName: "E.swift", exercise: "3.2", function: "mask",
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

    /// Results paths are read from where grade was started, and a missing folder is named before any build.
    @Test func resultsPathsFromTheStartingFolder() throws {
        let folder = FileManager.default.temporaryDirectory.path
        let options = try GradeOptions.parse(["--json", "rel.json", "--junit", "/abs/j.xml"]).resolvingPaths(from: folder + "/x/..")
        #expect(options.jsonPath == URL(fileURLWithPath: folder).appendingPathComponent("rel.json").standardizedFileURL.path)
        #expect(options.junitPath == "/abs/j.xml")
        #expect(options.missingOutputFolders == ["grade: --junit /abs/j.xml: no such folder /abs"])
        #expect(try GradeOptions.parse(["--json", folder + "/r.json"]).missingOutputFolders.isEmpty)
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
        // The student's own fatalError (its file ID names the lesson module): one place, as the student's path.
        let own = ChildOutcome(exitCode: nil, signal: SIGILL, standardOutput: "", standardError: """
            day1/Exercises.swift:42: Fatal error: not yet
            3 [ra] 0x000055 static f() + 113 in LSTMCoursePackageTests.xctest at /root/c/Lessons/Day01/Exercises.swift:42:9
            """, timeout: 30, root: "/root/c")
        #expect(own.message == "Fatal error: not yet\n  called from Lessons/Day01/Exercises.swift:42")
        // A later lesson compiles Day 1's exercises through a link: the place is still Day 1's file.
        let linked = ChildOutcome(exitCode: nil, signal: SIGILL, standardOutput: "", standardError: """
            day4/Day01Exercises.swift:7: Fatal error: oops
            3 [ra] 0x000055 static g() + 10 in LSTMCoursePackageTests.xctest at /root/c/Lessons/Day04/Day01Exercises.swift:9:3
            """, timeout: 30, root: "/root/c")
        #expect(linked.message == "Fatal error: oops\n  raised at Lessons/Day01/Exercises.swift:7\n  called from Lessons/Day01/Exercises.swift:9")
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
