import Course
import Foundation
import Grading
import Testing
import TestSupport

/// Checks that grading isolates each exercise: a trap, an endless loop and
/// an early `exit` end only their own child process, and come back as a
/// verdict with a reason (not as a crash of the test run).
@Suite struct IsolationTests {
    static let trapping = GradedExercise("0.1", "traps", function: "none")
    static let looping = GradedExercise("0.2", "loops", function: "none")
    static let throwing = GradedExercise("0.3", "not done", function: "none")
    static let wrong = GradedExercise("0.4", "wrong", function: "none", points: 2)

    /// An index past the end, behind a call so the optimizer cannot see it coming.
    static func outOfRange(_ values: [Int]) -> Int { values[values.count + 1] }

    @Test func aTrapIsThatExercisesCrash() async {
        let result = await gradedResult(Self.trapping) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("0.1") { _ = IsolationTests.outOfRange([1, 2]) }
            }
        }
        #expect(result.verdict == .crashed)
        #expect(result.message.contains("Fatal error: Index out of range"), "\(result.message)")
        #expect(result.points == 0)
    }

    @Test func anEndlessLoopTimesOut() async {
        let result = await gradedResult(Self.looping, timeout: 1) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("0.2", timeout: 1) {
                    var n = 0
                    while n >= 0 { n = (n &+ 1) & 0xffff }
                }
            }
        }
        #expect(result.verdict == .timedOut)
        #expect(result.message.hasPrefix("timed out after 1 s — an infinite loop?"))
        #expect(result.seconds == 1, "a timed-out check is reported at its time limit")
    }

    @Test func aTODOIsNotAttempted() async {
        let result = await gradedResult(Self.throwing) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("0.3") { throw TODO("0.3") }
            }
        }
        #expect(result.verdict == .notAttempted && result.points == 0)
    }

    @Test func aWrongAnswerFailsWithExpectedAndGot() async {
        let result = await gradedResult(Self.wrong) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("0.4") { try requireEqual(5, 4, "the sum", hint: "add, do not multiply") }
            }
        }
        #expect(result.verdict == .failed && result.maxPoints == 2 && result.points == 0)
        #expect(result.message.contains("expected: 4") && result.message.contains("got:      5")
                && result.message.contains("add, do not multiply"))
    }
}
