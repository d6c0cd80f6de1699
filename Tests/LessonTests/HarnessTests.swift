import Course
import Testing
import TestSupport

/// Tests of the lesson harness: options, exercises, progress, plots, summary and grading.
@Suite struct HarnessTests {
    static let info = LessonInfo(day: 1, about: "a test lesson", seed: 7, epochs: 10, data: "a CoNLL-U file")

    func parse(_ arguments: String...) throws -> LessonOptions {
        try LessonOptions.parse(["day1"] + arguments, for: Self.info)
    }

    func parseError(_ arguments: String...) -> LessonOptionsError? {
        do {
            _ = try LessonOptions.parse(["day1"] + arguments, for: Self.info)
            return nil
        } catch {
            return error as? LessonOptionsError
        }
    }

    // MARK: options

    @Test func defaultsWhenNoFlags() throws {
        let options = try parse()
        #expect(options == LessonOptions(defaultsFor: Self.info))
        #expect(options.seed == 7 && options.epochs == 10 && options.dataPath == nil)
        #expect(!options.useReference && !options.showHelp)
    }

    @Test func parsesEveryFlag() throws {
        let options = try parse("--solution", "--seed", "3", "--epochs=5", "--data", "tags.conllu")
        #expect(options.useReference)
        #expect(options.seed == 3)
        #expect(options.epochs == 5)
        #expect(options.dataPath == "tags.conllu")
    }

    @Test func helpWinsOverMistakes() throws {
        #expect(try parse("--epochs", "x", "-h").showHelp)
        #expect(try parse("--help").showHelp)
        #expect(Self.info.usage.contains("--data PATH"))
        #expect(!LessonInfo(day: 2, about: "x").usage.contains("--data"))
    }

    @Test func mistakesNameTheFlag() {
        #expect(parseError("--epochs", "x")?.message == #"day1: --epochs needs a positive integer, got "x""#)
        #expect(parseError("--epochs", "0")?.message == #"day1: --epochs needs a positive integer, got "0""#)
        #expect(parseError("--seed", "-1")?.message == #"day1: --seed needs a non-negative integer, got "-1""#)
        #expect(parseError("--epochs")?.message == "day1: --epochs needs a positive integer")
        #expect(parseError("--seed", "--solution")?.message == "day1: --seed needs a non-negative integer")
        #expect(parseError("--solution=yes")?.message.contains("--solution takes no value") == true)
    }

    @Test func hugeEpochsAreRefusedWithTheMaximum() throws {
        #expect(parseError("--epochs", "9223372036854775807")?.message
                == #"day1: --epochs allows at most 10000 epochs, got "9223372036854775807""#)
        #expect(parseError("--epochs=99999999999999999999999")?.message.contains("--epochs allows at most 10000 epochs") == true)
        #expect(parseError("--epochs", "10001")?.message.contains("--epochs allows at most 10000 epochs") == true)
        #expect(try parse("--epochs", "10000").epochs == 10_000)
        #expect(Self.info.usage.contains("--epochs N    training epochs, 1 to 10000 (default 10)"))
    }

    @Test func hugeSeedsAreRefusedWithTheMaximum() throws {
        #expect(parseError("--seed", "18446744073709551615")?.message
                == #"day1: --seed allows at most 4294967295, got "18446744073709551615""#)
        #expect(parseError("--seed=99999999999999999999999")?.message.contains("--seed allows at most 4294967295") == true)
        #expect(parseError("--seed", "4294967296")?.message.contains("--seed allows at most 4294967295") == true)
        #expect(try parse("--seed", "4294967295").seed == 4_294_967_295)
        #expect(Self.info.usage.contains("--seed N      random seed, 0 to 4294967295 (default 7)"))
    }

    @Test func unknownFlagsShowUsage() {
        let unknown = parseError("--epoch", "3")
        #expect(unknown?.message == #"day1: unknown option "--epoch""#)
        #expect(unknown?.showUsage == true)
        #expect(parseError("extra")?.message == #"day1: unexpected argument "extra""#)
        let noData = try? LessonOptions.parse(["day2", "--data", "f"], for: LessonInfo(day: 2, about: "x"))
        #expect(noData == nil)
    }

    @Test func testDataOnlyWhereTakenAndOnlyWithData() throws {
        let info = LessonInfo(day: 10, about: "x", data: "a CoNLL-U file", takesTestData: true)
        let options = try LessonOptions.parse(["day10", "--data", "train.conllu", "--test-data=test.conllu"], for: info)
        #expect(options.dataPath == "train.conllu" && options.testDataPath == "test.conllu")
        #expect(info.usage.contains("[--data PATH] [--test-data PATH]"))
        #expect(!Self.info.usage.contains("--test-data"))
        #expect(parseError("--data", "a.conllu", "--test-data", "b.conllu")?.message
                == "day1: --test-data is not supported by this lesson")
        do {
            _ = try LessonOptions.parse(["day10", "--test-data", "test.conllu"], for: info)
            Issue.record("--test-data without --data was accepted")
        } catch let error as LessonOptionsError {
            #expect(error.message == "day10: --test-data needs --data too: the file to train and validate on")
        }
    }

    @Test func aLessonsOwnFlagsParseAndShowInTheHelp() throws {
        let info = LessonInfo(day: 10, about: "x", epochs: 4, data: "a CoNLL-U file", dataEpochs: 8, flags: [
            LessonFlag("--tag", help: "tag standard input"),
            LessonFlag("--model", valueName: "DIR", help: "the model's folder"),
        ])
        let none = try LessonOptions.parse(["day10"], for: info)
        #expect(!none.isSet("--tag") && none.value(of: "--model") == nil && none.epochs == 4)
        let both = try LessonOptions.parse(["day10", "--tag", "--model=out/m"], for: info)
        #expect(both.isSet("--tag") && both.value(of: "--model") == "out/m")
        #expect(try LessonOptions.parse(["day10", "--model", "a", "--model", "b"], for: info).value(of: "--model") == "b")
        #expect(info.usage.contains("[--data PATH] [--tag] [--model DIR]"))
        #expect(info.usage.contains("  --model DIR  the model's folder"))
        #expect(info.usage.contains("(default 4; 8 with --data)"))
        func message(_ arguments: String...) -> String? {
            do { _ = try LessonOptions.parse(["day10"] + arguments, for: info); return nil } catch {
                return (error as? LessonOptionsError)?.message
            }
        }
        #expect(message("--tag=yes") == #"day10: --tag takes no value, got "--tag=yes""#)
        #expect(message("--model") == "day10: --model needs a value (DIR)")
        #expect(message("--model=") == #"day10: --model needs DIR, got """#)
        #expect(parseError("--tag")?.message == #"day1: unknown option "--tag""#, "another lesson's flag")
    }

    @Test func dataEpochsApplyOnlyWithDataAndWithoutEpochs() throws {
        let info = LessonInfo(day: 10, about: "x", epochs: 4, data: "a CoNLL-U file", dataEpochs: 8)
        #expect(try LessonOptions.parse(["day10"], for: info).epochs == 4)
        #expect(try LessonOptions.parse(["day10", "--data", "a.conllu"], for: info).epochs == 8)
        #expect(try LessonOptions.parse(["day10", "--epochs", "2", "--data", "a.conllu"], for: info).epochs == 2)
        #expect(try LessonOptions.parse(["day10", "--data", "a.conllu", "--epochs=4"], for: info).epochs == 4)
    }

    // MARK: exercises

    @Test func exerciseFallsBackOnceAndReportsOpen() {
        var lines: [String] = []
        let book = ExerciseBook(day: 1) { lines.append($0) }
        var studentCalls = 0
        for i in 0..<3 {
            let value = book.run("1.1", "one LSTM cell step", student: { () throws -> Int in
                studentCalls += 1
                throw TODO("1.1")
            }, reference: { i * 10 })
            #expect(value == i * 10)
            #expect(book.run("1.2", "a loss", student: { i }, reference: { -1 }) == i)
        }
        #expect(studentCalls == 1)
        #expect(lines == ["exercise 1.1 (one LSTM cell step) is not done yet: using the reference solution"])
        #expect(book.openExercises == ["1.1"])
        #expect(book.statusLine == "exercises: your code ran for 1.2; not done yet: 1.1 (Lessons/Day01/Exercises.swift). "
                + "Grade them: swift run grade --day 1")
    }

    @Test func exerciseReportsOtherErrorsAndFallsBack() {
        struct Broken: Error, CustomStringConvertible { var description: String { "shapes [2] and [3] differ" } }
        var lines: [String] = []
        let book = ExerciseBook(day: 10) { lines.append($0) }
        let value = book.run("10.2", "bucketing", student: { () throws -> Int in throw Broken() }, reference: { 5 })
        #expect(value == 5)
        #expect(lines.count == 1 && lines[0].contains("threw an error: shapes [2] and [3] differ"))
        #expect(lines[0].contains("using the reference solution"))
        #expect(book.statusLine.contains("Lessons/Day10/Exercises.swift") && book.statusLine.contains("swift run grade --day 10"))
    }

    @Test func exerciseSaysWhichTODOBlocksIt() {
        var lines: [String] = []
        let book = ExerciseBook(day: 1) { lines.append($0) }
        _ = book.run("1.3", "train", student: { () throws -> Int in throw TODO("1.1") }, reference: { 0 })
        #expect(lines == ["exercise 1.3 (train) uses exercise 1.1, which is not done yet: using the reference solution"])
    }

    @Test func solutionFlagNeverCallsTheStudent() {
        let book = ExerciseBook(day: 1, useReference: true) { _ in Issue.record("nothing should be printed") }
        let value = book.run("1.1", "step", student: { () -> Int in
            Issue.record("the student's code was called")
            return 0
        }, reference: { 1 })
        #expect(value == 1)
        #expect(book.statusLine == "exercises: --solution used the reference solution for 1.1")
    }

    @Test func codeThatRanIsNotPraised() {
        let book = ExerciseBook(day: 3) { _ in }
        _ = book.run("3.1", "mask", student: { 1 }, reference: { 2 })
        #expect(book.openExercises.isEmpty)
        #expect(book.statusLine == "exercises: your code ran for 3.1. Grade them: swift run grade --day 3")
        #expect(!book.statusLine.contains("well done") && !book.statusLine.contains("all done"))
    }

    @Test func earlierDaysExercisesAreListedWithTheirOwnFile() {
        let book = ExerciseBook(day: 3) { _ in }
        _ = book.run("3.1", "pad", student: { () throws -> Int in throw TODO("3.1") }, reference: { 0 })
        _ = book.run("1.3", "step", student: { () throws -> Int in throw TODO("1.3") }, reference: { 0 })
        _ = book.run("2.2", "batches", student: { 1 }, reference: { 0 })
        #expect(book.statusLine == "exercises: your code ran for 2.2; not done yet: 3.1 (Lessons/Day03/Exercises.swift); "
                + "1.3 (Lessons/Day01/Exercises.swift). Grade them: swift run grade")
    }

    @Test func anUnusableResultFallsBackAndIsSaidOnce() {
        var lines: [String] = []
        let book = ExerciseBook(day: 2) { lines.append($0) }
        let unusable: ([Int]) -> String? = { $0.count == 5 ? nil : "\($0.count) splits, not 5" }
        #expect(book.run("2.1", "k-fold", student: { [] }, reference: { [1, 2, 3, 4, 5] }, unusable: unusable) == [1, 2, 3, 4, 5])
        #expect(book.run("2.1", "k-fold", student: { [] }, reference: { [1, 2, 3, 4, 5] }, unusable: unusable) == [1, 2, 3, 4, 5])
        #expect(lines == ["exercise 2.1 (k-fold) gave 0 splits, not 5 — not right yet: using the reference solution; "
                          + "swift run grade --day 2 shows why"])
        #expect(book.differingExercises == ["2.1"])
        #expect(book.statusLine == "exercises: not right yet: 2.1. Grade them: swift run grade --day 2")
        // A usable result is the student's own.
        #expect(book.run("2.2", "batches", student: { [9, 9, 9, 9, 9] }, reference: { [] }, unusable: unusable) == [9, 9, 9, 9, 9])
        // An earlier day's exercise, run by this lesson, points at its own day's grading.
        _ = book.run("1.4", "accuracy", student: { [] }, reference: { [1, 2, 3, 4, 5] }, unusable: unusable)
        #expect(lines.last?.hasSuffix("swift run grade --day 1 shows why") == true, "\(lines)")
    }

    @Test func aDifferenceFromTheReferenceIsSaidOnce() {
        var lines: [String] = []
        let book = ExerciseBook(day: 1) { lines.append($0) }
        _ = book.run("1.1", "step", student: { 1 }, reference: { 1 })
        _ = book.run("1.2", "softmax", student: { 1 }, reference: { 1 })
        book.noteDifference("1.1", 0.37)
        book.noteDifference("1.1", 0.5)
        book.noteDifference("1.2", 1e-6)
        book.noteDifference("1.3", 9)  // never run: nothing to say
        #expect(lines == ["exercise 1.1 differs from the reference by 0.37 — not right yet; swift run grade --day 1 shows why"])
        #expect(book.differingExercises == ["1.1"])
        #expect(book.statusLine == "exercises: your code ran for 1.2; not right yet: 1.1. Grade them: swift run grade --day 1")
        let nan = ExerciseBook(day: 1) { _ in }
        _ = nan.run("1.1", "step", student: { 1 }, reference: { 1 })
        nan.noteDifference("1.1", .nan)
        #expect(nan.differingExercises == ["1.1"])
    }

    // MARK: progress, plots, summary

    @Test func progressInALogPrintsOneLinePerStep() {
        var text = ""
        let progress = ProgressLine("epoch", total: 3, isTerminal: false) { text += $0 }
        for epoch in 0..<3 {
            for batch in 1...4 {
                progress.update(Double(epoch) + Double(batch) / 4, ["loss": Float(0.5)])
            }
        }
        progress.finish()
        let lines = text.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("epoch 1/3  loss 0.5000  ETA "))
        #expect(lines[2].hasPrefix("epoch 3/3  loss 0.5000  "))
        #expect(!text.contains("\r"))
    }

    @Test func progressInALogThinsManySteps() {
        var count = 0
        let progress = ProgressLine("step", total: 1000, isTerminal: false) { _ in count += 1 }
        for step in 1...1000 { progress.update(Double(step)) }
        progress.finish()
        #expect(count == 10)
    }

    @Test func progressOnATerminalRedrawsInPlace() {
        var text = ""
        let progress = ProgressLine("epoch", total: 2, isTerminal: true) { text += $0 }
        progress.update(1, ["loss": 1.25])
        progress.update(2, ["loss": 0.5])
        progress.finish()
        #expect(text.hasPrefix("\repoch 1/2  loss 1.2500"))
        #expect(text.contains("\repoch 2/2  loss 0.5000"))
        #expect(text.hasSuffix("\n") && text.filter { $0 == "\n" }.count == 1)
    }

    @Test func durations() {
        #expect(ProgressLine.duration(4.26) == "4.3s")
        #expect(ProgressLine.duration(42) == "42s")
        #expect(ProgressLine.duration(125) == "2m05s")
        #expect(ProgressLine.duration(3720) == "1h02m")
    }

    @Test func sparklines() {
        #expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8] as [Float]) == "▁▂▃▄▅▆▇█")
        #expect(sparkline([3, 2, 1.5, 1.2, 1.1] as [Double]) == "█▄▂▁▁")
        #expect(sparkline([2, 2] as [Float]) == "▄▄")
        #expect(sparkline([] as [Float]) == "")
        #expect(sparkline([1, .nan, 2] as [Float]) == "▁ █")
        #expect(sparkline((0..<100).map { Float($0) }, width: 10).count == 10)
    }

    @Test func bars() {
        #expect(bar(0.5, max: 1.0, width: 10) == "█████     ")
        #expect(bar(0.5, max: 1.0, width: 1) == "▌")
        #expect(bar(2 as Float, max: 1, width: 4) == "████")
        #expect(bar(-1.0, max: 1.0, width: 3) == "   ")
        #expect(bar(0.0, max: 0.0, width: 3) == "   " && bar(Double.nan, max: .nan, width: 2) == "  ")
    }

    @Test func summaryLineKeepsOrder() {
        let line = summaryLine(day: 1, ["accuracy": 0.96123, "baseline": Float(0.8123), "epochs": 3, "model": "bi lstm"],
                               seconds: 12.34)
        #expect(line == "summary: day=1 accuracy=0.9612 baseline=0.8123 epochs=3 model=bi_lstm seconds=12.3")
    }

    @Test func stopwatchMeasuresForward() {
        let (value, seconds) = Stopwatch.time { (1...1000).reduce(0, +) }
        #expect(value == 500500)
        #expect(seconds >= 0 && seconds < 10)
    }

    // MARK: grading

    @Test func outcomesAreClassified() {
        #expect(CheckOutcome(running: {}).description == "passed")
        #expect(CheckOutcome(running: { throw TODO("2.1") }).description.hasPrefix("not attempted"))
        if case .failed(let failure) = CheckOutcome(running: { throw CheckFailure("x", expected: "1", got: "2", hint: "h") }) {
            #expect(failure.description == "x\n  expected: 1\n  got:      2\n  hint: h")
        } else {
            Issue.record("a CheckFailure should classify as failed")
        }
        struct Other: Error {}
        if case .threw = CheckOutcome(running: { throw Other() }) {} else { Issue.record("should classify as threw") }
    }

    @Test func referencePassesAPassingCheck() {
        reference("0.1") { try requireEqual(2 + 2, 4, "the sum") }
        reference("0.1") { try requireClose([1, 2], [1, 2.00001], "the vector") }
    }

    @Test func expectRejectsBites() {
        expectRejects("0.3", "a sum off by a tiny amount") {
            try requireClose([1, 2, 3], [1, 2.5, 3.5], "the vector")
        }
    }

    @Test func requireCloseNamesTheElement() {
        guard case .failed(let failure) = CheckOutcome(running: {
            try requireClose([1, 2, .nan], [1, 2.5, 3], "h")
        }) else {
            Issue.record("should fail")
            return
        }
        #expect(failure.message == "h differs at element 1 (and 1 more of 3 elements)")
        #expect(failure.expected == "2.5" && failure.got == "2.0")
    }
}
