import Foundation
import Testing
import Course
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A lesson's output reaches a pipe line by line, as it is printed, so that
/// `swift run day3 | tee log` and a CI log show progress as it happens.
///
/// The C library block-buffers standard output on a pipe; the test runner
/// line-buffers its own, so each exit test first puts standard output back
/// in the block buffering a lesson gets on a pipe, then reads the C
/// library's buffering flag.
@Suite struct LineBufferingTests {
    /// Gives standard output the 4 KB block buffer a program gets on a pipe.
    static func blockBufferStandardOutput() {
        setvbuf(stdout, UnsafeMutablePointer<CChar>.allocate(capacity: 4096), _IOFBF, 4096)
    }

    /// Whether the C library line-buffers standard output (its `FILE` flag).
    static var standardOutputIsLineBuffered: Bool {
        #if canImport(Glibc)
        return stdout.pointee._flags & 0x200 != 0  // _IO_LINE_BUF
        #elseif canImport(Darwin)
        return stdout.pointee._flags & 0x1 != 0  // __SLBF
        #else
        return true
        #endif
    }

    @Test func lessonStartLineBuffersStandardOutput() async {
        await #expect(processExitsWith: .exitCode(0)) {
            LineBufferingTests.blockBufferStandardOutput()
            guard !LineBufferingTests.standardOutputIsLineBuffered else { exit(2) }  // the flag is read right
            _ = Lesson.start(day: 5, about: "a test lesson", arguments: ["day5"])
            exit(LineBufferingTests.standardOutputIsLineBuffered ? 0 : 1)
        }
    }
}
