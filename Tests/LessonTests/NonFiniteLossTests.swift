import Foundation
import Testing
@testable import Course

/// The lessons' training loops stop at the first NaN or infinite loss, with
/// a message naming the epoch and the batch and saying what to try.
@Suite struct NonFiniteLossTests {
    @Test func finiteLossesPass() {
        #expect(nonFiniteLossMessage(0.25, program: "day2", epoch: 1, batch: 1) == nil)
        #expect(nonFiniteLossMessage(Float.greatestFiniteMagnitude, program: "day2", epoch: 1, batch: 1) == nil)
    }

    @Test func theMessageNamesWhereAndWhatToTry() throws {
        let message = try #require(nonFiniteLossMessage(.nan, program: "day2", epoch: 3, batch: 17, run: "batch size 32"))
        #expect(message.hasPrefix("day2: the training loss is nan at epoch 3, batch 17 (batch size 32); training stopped"))
        #expect(message.contains("a lower learning rate"))
        #expect(message.contains("gradient clipping"))
        #expect(message.contains("withAnomalyDetection { … }"))
        #expect(message.contains("to name the first operation that made a NaN or an infinity"))
        #expect(nonFiniteLossMessage(.infinity, program: "day1", epoch: 1, batch: 2)?
            .hasPrefix("day1: the training loss is inf at epoch 1, batch 2; training stopped") == true)
        #expect(nonFiniteLossMessage(-.infinity, program: "day1", epoch: 1, batch: 2)?.contains("loss is -inf") == true)
    }

    @Test func aLessonStopsAtANonFiniteLoss() async {
        let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
            let info = LessonInfo(day: 4, about: "a test lesson")
            let lesson = Lesson(info: info, options: LessonOptions(defaultsFor: info))
            lesson.checkLoss(0.5, epoch: 2, batch: 4)  // finite: goes on
            lesson.checkLoss(.nan, epoch: 2, batch: 5, run: "packed epoch")
            FileHandle.standardError.write(Data("not reached\n".utf8))
        }
        guard let result else { return }
        let stderr = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(stderr.contains("day4: the training loss is nan at epoch 2, batch 5 (packed epoch); training stopped"), "\(stderr)")
        #expect(!stderr.contains("not reached"))
    }
}
