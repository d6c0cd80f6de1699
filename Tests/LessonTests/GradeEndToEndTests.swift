import Foundation
import Testing
import TestSupport

/// `swift run grade` and the Gradescope script, end to end, on a copy of the
/// course where a student has written one right, one wrong, one trapping and
/// one looping exercise, broken two grading rules, and left the rest `TODO`;
/// and the Gradescope zip.
///
/// It builds that copy from scratch (a few minutes), so it runs only when
/// `LSTM_COURSE_E2E=1` (as `.ci/run` sets it): `LSTM_COURSE_E2E=1 swift test --filter GradeEndToEnd`.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["LSTM_COURSE_E2E"] == "1"))
struct GradeEndToEndTests {
    /// The student's bodies, by exercise: what replaces `throw TODO("N.M")`.
    static let bodies = [
        "1.1": "_ = input.matmul(weightIH)  // forgot .transposed(): traps\n    throw TODO(\"1.1\")",
        "1.2": "(logits.exp() / logits.exp().sum(dim: -1, keepDim: true)).log()  // overflows at ±1000",
        "1.4": "Double(zip(logits.argmax(dim: -1), targets).filter { $0 == $1 }.count) / Double(targets.count)",
        "2.2": "var start = 0\n    while start < count { if start % 2 == 5 { start += 1 } }  // never ends\n    return []",
        "3.1": "Solutions.Day3.padBatch(sequences, paddingValue: paddingValue)",
        "3.2": "lengthMask(lengths: lengths, maxLength: maxLength)",
    ]
    static let trainStep = "optimizer.zeroGrad()\n    let loss = computeLoss()\n    loss.backward()\n    optimizer.step()\n    return loss.item"

    /// Runs a command in `directory`; returns its exit status, its output and the seconds it took.
    @discardableResult
    static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws
        -> (status: Int32, output: String, seconds: Double) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let log = directory.appendingPathComponent(".e2e-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        let started = Date()
        try process.run()
        process.waitUntilExit()
        try handle.close()
        let output = try String(contentsOf: log, encoding: .utf8)
        try FileManager.default.removeItem(at: log)
        return (process.terminationStatus, output, Date().timeIntervalSince(started))
    }

    /// Replaces `throw TODO("id")` in `file` with `body`.
    static func write(_ body: String, for id: String, in file: URL, importing: String? = nil) throws {
        var text = try String(contentsOf: file, encoding: .utf8)
        let stub = "throw TODO(\"\(id)\")"
        try #require(text.contains(stub), "\(file.lastPathComponent) has no stub for \(id)")
        text = text.replacingOccurrences(of: stub, with: body)
        if let importing { text = text.replacingOccurrences(of: "import Course\n", with: "import Course\nimport \(importing)\n") }
        try text.write(to: file, atomically: true, encoding: .utf8)
    }

    static func exercises(_ tree: URL, day: Int) -> URL {
        tree.appendingPathComponent("Lessons/Day0\(day)/Exercises.swift")
    }

    /// The Gradescope tests of a results.json, by exercise number.
    static func gradescopeTests(_ file: URL) throws -> (score: Double, tests: [String: [String: Any]]) {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        let tests = try #require(object["tests"] as? [[String: Any]])
        return (object["score"] as? Double ?? -1,
                Dictionary(uniqueKeysWithValues: tests.map { ($0["number"] as? String ?? "", $0) }))
    }

    @Test func gradeAStudentsCheckout() throws {
        let root = Repository.root()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("lstm-course-e2e-\(getpid())")
        let tree = scratch.appendingPathComponent("course")
        try? FileManager.default.removeItem(at: scratch)
        try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        for item in ["Package.swift", "Sources", "Lessons", "Solutions", "Tests", "docs"] {
            try FileManager.default.copyItem(at: root.appendingPathComponent(item), to: tree.appendingPathComponent(item))
        }
        for (id, body) in Self.bodies {
            let day = Int(id.prefix(1))!
            try Self.write(body, for: id, in: Self.exercises(tree, day: day), importing: id == "3.1" ? "Solutions" : nil)
        }

        let build = try Self.run(["swift", "build", "--build-tests"], in: tree)
        try #require(build.status == 0, "the student's copy does not build:\n\(build.output.suffix(3000))")

        // swift run grade: verdicts, score, the files, and its time.
        let json = scratch.appendingPathComponent("results.json"), junit = scratch.appendingPathComponent("junit.xml")
        let grade = try Self.run(["swift", "run", "grade", "--timeout", "5", "--json", json.path, "--junit", junit.path], in: tree)
        print("grade end to end: build \(Int(build.seconds)) s, then swift run grade \(String(format: "%.1f", grade.seconds)) s")
        #expect(grade.status == 0, "grade exits 0 whenever it could grade:\n\(grade.output)")
        #expect(grade.seconds < 65, "grading days 1-4 took \(grade.seconds) s after the build (limit 60 s + the 5-s timeout)")
        let (score, tests) = try Self.gradescopeTests(json)
        // Six exercises were written (one right, three wrong, one trapping, one looping); every other one is TODO.
        let total = tests.count, untouched = tests.count - 6
        #expect(total >= 15, "days 1-4 alone have 15 graded exercises; found \(total)")
        #expect(grade.output.contains("score: 1 of \(total) points (1 passed, 3 failed, \(untouched) not attempted, "
                                      + "1 crashed, 1 timed out)"), "\(grade.output)")
        #expect(score == 1)
        let expected = ["1.1": "crashed", "1.2": "failed", "1.3": "not attempted", "1.4": "passed",
                        "2.2": "timed out", "3.1": "failed", "3.2": "failed", "4.3": "not attempted"]
        func output(_ id: String) -> String { (tests[id]?["output"] as? String) ?? "(missing)" }
        for (id, verdict) in expected {
            #expect(output(id).hasPrefix(verdict), "\(id) should be \(verdict): \(output(id))")
            #expect(tests[id]?["status"] as? String == (verdict == "passed" ? "passed" : "failed"))
        }
        #expect(output("1.1").contains("called from Lessons/Day01/Exercises.swift:") && output("1.1").contains("matmul"))
        #expect(output("2.2").contains("timed out after 5 s — an infinite loop?"))
        #expect(output("3.1").contains("uses the reference solutions"))
        #expect(output("3.2").contains("must not call `lengthMask`"))
        let xml = try String(contentsOf: junit, encoding: .utf8)
        #expect(xml.contains(#"tests="\#(total)" failures="3" errors="2" skipped="\#(untouched)""#))
        #expect(xml.contains(#"name="1.3 one training step" time="#) && xml.contains("<skipped"))

        #if os(Linux)
        // Nothing is left running: no process still has the copy as its working directory.
        let leftover = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.filter { pid in
            Int(pid) != nil && (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd"))?
                .hasPrefix(tree.path) == true
        } ?? []
        #expect(leftover.isEmpty, "processes left running in the student's copy: \(leftover)")
        #endif

        // Gradescope: only the submission's exercise files are taken; results.json is written.
        let autograder = scratch.appendingPathComponent("autograder")
        let submitted = autograder.appendingPathComponent("submission/my-repo/Lessons/Day01")
        try FileManager.default.createDirectory(at: submitted, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.exercises(tree, day: 1), to: submitted.appendingPathComponent("Exercises.swift"))
        try Self.write(Self.trainStep, for: "1.3", in: submitted.appendingPathComponent("Exercises.swift"))
        try "// a test the student changed must not count\n".write(
            to: submitted.appendingPathComponent("Day01Tests.swift"), atomically: true, encoding: .utf8)
        // A zip tool that lost the lessons' links left copies of the stubs in their place: run_autograder links them again.
        let link = tree.appendingPathComponent("Lessons/Day04/Day01Exercises.swift")
        try FileManager.default.removeItem(at: link)
        try FileManager.default.copyItem(at: root.appendingPathComponent("Lessons/Day01/Exercises.swift"), to: link)
        let gradescope = try Self.run(["bash", tree.appendingPathComponent("docs/grading/gradescope/run_autograder").path],
                                      in: tree, environment: ["AUTOGRADER_ROOT": autograder.path, "COURSE_DIR": tree.path,
                                                              "GRADE_TIMEOUT": "5"])
        #expect(gradescope.status == 0, "\(gradescope.output)")
        let fromGradescope = try Self.gradescopeTests(autograder.appendingPathComponent("results/results.json"))
        #expect(fromGradescope.score == 2, "1.3 is now right as well:\n\(gradescope.output)")
        #expect(fromGradescope.tests["1.3"]?["status"] as? String == "passed")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link.path)) == "../Day01/Exercises.swift",
                "run_autograder should link Day04/Day01Exercises.swift to Day 1's exercises again:\n\(gradescope.output)")

        // A student whose code does not compile still gets a results file, naming the line.
        try "func broken( {\n".write(to: Self.exercises(tree, day: 4), atomically: true, encoding: .utf8)
        let failing = try Self.run(["swift", "run", "grade", "--json", json.path], in: tree)
        #expect(failing.status == 0, "\(failing.output)")
        #expect(failing.output.contains("The code does not compile"))
        #expect(failing.output.contains("Lessons/Day04/Exercises.swift:1: error:"), "\(failing.output)")
        let broken = try Self.gradescopeTests(json)
        #expect(broken.score == 0)
    }

    /// The autograder zip keeps the lessons' links to earlier days' exercises as links, so
    /// a later day compiles the student's answers, not the stubs.
    @Test func autograderZipKeepsTheLinksToEarlierExercises() throws {
        let root = Repository.root()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("lstm-course-zip-\(getpid())")
        try? FileManager.default.removeItem(at: scratch)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let zip = scratch.appendingPathComponent("autograder.zip"), unpacked = scratch.appendingPathComponent("unpacked")
        let made = try Self.run(["bash", root.appendingPathComponent("docs/grading/gradescope/make_autograder.sh").path, zip.path],
                                in: root)
        try #require(made.status == 0, "\(made.output)")
        let unzip = try Self.run(["unzip", "-q", zip.path, "-d", unpacked.path], in: scratch)
        try #require(unzip.status == 0, "\(unzip.output)")

        let lessons = root.appendingPathComponent("Lessons")
        var links = 0
        for day in try FileManager.default.contentsOfDirectory(atPath: lessons.path).sorted() {
            let directory = lessons.appendingPathComponent(day)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [] {
                guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: directory.appendingPathComponent(name).path)
                else { continue }
                links += 1
                let zipped = unpacked.appendingPathComponent("course/Lessons/\(day)/\(name)").path
                #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: zipped)) == target,
                        "Lessons/\(day)/\(name) should arrive as a link to \(target)")
            }
        }
        #expect(links >= 9, "the lessons link to earlier days' exercises in nine places; found \(links)")
        for script in ["setup.sh", "run_autograder"] {
            #expect(FileManager.default.isExecutableFile(atPath: unpacked.appendingPathComponent(script).path),
                    "\(script) should be at the zip's root, executable")
        }
    }
}
