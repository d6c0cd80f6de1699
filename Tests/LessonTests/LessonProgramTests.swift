import Foundation
import Testing
import Torchlet
@testable import Course

/// Every lesson program takes the same options: `--help` prints the usage,
/// and a wrong flag or a bad value is refused with exit status 2 and a
/// message naming it, before any training starts.
///
/// The tests run the built programs, which `swift test` builds next to the
/// test bundle.
@Suite struct LessonProgramTests {
    /// Runs the built program `name` with `arguments`; returns its exit status, output and errors.
    static func run(_ name: String, _ arguments: [String], input: String = "") throws -> (status: Int32, stdout: String, stderr: String) {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [folder, Bundle.main.bundleURL.deletingLastPathComponent(), Bundle.main.bundleURL]
        let url = try #require(
            candidates.map { $0.appendingPathComponent(name) }.first { FileManager.default.isExecutableFile(atPath: $0.path) },
            "\(name) is not built next to the tests (looked in \(candidates.map(\.path)))")
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        let out = Pipe(), err = Pipe(), stdin = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    @Test(arguments: 1...10)
    func helpAndMistakes(day: Int) throws {
        let program = "day\(day)"
        let help = try Self.run(program, ["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("\(program): "), "\(help.stdout)")
        #expect(help.stdout.contains("usage: swift run \(program) [--solution] [--seed N] [--epochs N]"))

        let wrong = try Self.run(program, ["--bogus"])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("\(program): unknown option \"--bogus\""), "\(wrong.stderr)")

        let badEpochs = try Self.run(program, ["--epochs", "0"])
        #expect(badEpochs.status == 2)
        #expect(badEpochs.stderr.contains("--epochs"), "\(badEpochs.stderr)")
    }

    /// Day 8 refuses a text too short for its 30 chunks of 10 steps in 16 streams, saying how many tokens it needs.
    @Test func day8RefusesATextTooShortForItsChunks() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("day8-short-\(getpid()).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        // 547 lines of 10 words: 6,017 tokens with each line's <eos>, three short of 6,020.
        try String(repeating: "the cat sat on the mat and the dog ran\n", count: 547).write(toFile: path, atomically: true, encoding: .utf8)
        let short = try Self.run("day8", ["--data", path])
        #expect(short.status == 1)
        #expect(short.stdout.contains("day8: the text has 6017 tokens; at least 6,020 are needed"), "\(short.stdout)\(short.stderr)")
    }

    /// `day10 --tag` tags standard input with a saved tagger, line by line, as the tagger does in process.
    @Test func day10TagsStandardInputWithASavedTagger() throws {
        let folder = SavedTaggerTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let saved = SavedTaggerTests.tagger()
        try saved.save(to: folder)
        let tagged = try Self.run("day10", ["--tag", "--model", folder], input: "the dog ran.\n\nran home\n")
        #expect(tagged.status == 0, "\(tagged.stderr)")
        let expected = [["the", "dog", "ran", "."], [], ["ran", "home"]].map { words in
            zip(words, saved.tag([words])[0]).map { "\($0)/\($1)" }.joined(separator: " ")
        }
        #expect(tagged.stdout == expected.map { $0 + "\n" }.joined())

        let missing = try Self.run("day10", ["--tag", "--model", folder + "-missing"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("day10: \(folder)-missing: no such folder"), "\(missing.stderr)")
        // A --model path where a file is: refused before any training.
        let file = folder + "-file"
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let onAFile = try Self.run("day10", ["--model", file])
        #expect(onAFile.status == 2)
        #expect(onAFile.stderr.contains("day10: --model \(file): \(file) is a file, not a folder"), "\(onAFile.stderr)")
        let mixed = try Self.run("day10", ["--tag", "--data", "train.conllu"])
        #expect(mixed.status == 2)
        #expect(mixed.stderr.contains("--tag tags text with a saved tagger"), "\(mixed.stderr)")
    }
}
