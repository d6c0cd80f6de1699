import Course
import Foundation
import Testing
import Torchlet

/// Seeded fuzzing of the three data readers: 1,000 random mutations each of
/// a valid CoNLL-U, `label<TAB>text` and plain-text file. No input crashes
/// a reader; each gives a `DataFileError` naming the file (and a line that
/// exists), or a parse that is well formed, and for plain text, exactly the
/// tokens of each line.
@Suite struct ReaderFuzzTests {
    static let conllu = """
        # sent_id = 1
        # text = The dog can't swim.
        1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_
        2\tdog\tdog\tNOUN\tNN\t_\t4\tnsubj\t_\t_
        3-4\tcan't\t_\t_\t_\t_\t_\t_\t_\t_
        3\tca\tcan\tAUX\tMD\t_\t5\taux\t_\t_
        4\tn't\tnot\tPART\tRB\t_\t5\tadvmod\t_\t_
        4.1\tis\tbe\tAUX\t_\t_\t_\t_\t_\t_
        5\tswim\tswim\tVERB\tVB\t_\t0\troot\t_\t_

        1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_\r

        """
    static let tsv = "pos\tA wonderful film, really!\n\nneg\tNot good at all.\r\npos\tDon't miss it — 10/10\n"
    static let plain = "Hello world.\nDon't stop, Anna!\r\n\nA well-known 3.5-star film…\rÉtés ß 42\n"

    /// A random mutation of `bytes`: the line and column structure is what
    /// the readers care about, so the inserted bytes are mostly tabs, line
    /// endings, digits and the markers `#`, `-`, `.`, `_`.
    static func mutate(_ bytes: [UInt8], _ g: Generator) -> [UInt8] {
        var b = bytes
        let special = Array("\t\n\r\r\n#-._ 0123456789'".utf8) + [0xC3, 0xA9, 0xE2, 0x80, 0x99, 0xFF, 0x00]
        func randomByte() -> UInt8 { g.nextInt(below: 3) == 0 ? UInt8(g.nextInt(below: 256)) : special[g.nextInt(below: special.count)] }
        for _ in 0..<(1 + g.nextInt(below: 3)) {
            let i = g.nextInt(below: b.count + 1)
            switch g.nextInt(below: 6) {
            case 0: b = Array(b.prefix(i))
            case 1 where i < b.count: b[i] = randomByte()
            case 2: b.insert(contentsOf: (0..<(1 + g.nextInt(below: 4))).map { _ in randomByte() }, at: i)
            case 3 where i < b.count: b.removeSubrange(i..<min(b.count, i + 1 + g.nextInt(below: 12)))
            case 4 where i < b.count:
                let piece = b[i..<min(b.count, i + 1 + g.nextInt(below: 40))]
                b.insert(contentsOf: piece, at: g.nextInt(below: b.count + 1))
            default:
                // Swap line endings: LF → CR or CRLF, CRLF → CR.
                let ending: [UInt8] = [[0x0D], [0x0D, 0x0A], [0x0A]][g.nextInt(below: 3)]
                let newlines = b.indices.filter { b[$0] == 0x0A }
                if !newlines.isEmpty {
                    let lf = newlines[g.nextInt(below: newlines.count)]
                    b.replaceSubrange(lf...lf, with: ending)
                }
            }
        }
        return b
    }

    /// Parses `bytes` with `parse` (valid UTF-8) or `read` (from a file,
    /// for bytes that are not UTF-8), and checks the error if there is one.
    static func run<T>(_ bytes: [UInt8], name: String, trial: Int,
                       parse: (String, String) throws -> T, read: (String) throws -> T) -> (T, String)? {
        let fileName = "\(name)-\(trial)"
        do {
            if let text = String(validating: bytes, as: UTF8.self) {
                return (try parse(text, fileName), text)
            }
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-\(UUID().uuidString)-\(name)")
            try Data(bytes).write(to: url)
            defer { try? FileManager.default.removeItem(at: url) }
            let error = #expect(throws: DataFileError.self, "\(fileName): bytes that are not UTF-8") { _ = try read(url.path) }
            #expect(error?.message == "expected UTF-8 text")
            return nil
        } catch let error as DataFileError {
            let lineCount = String(decoding: bytes, as: UTF8.self).unicodeScalars.filter { $0 == "\n" || $0 == "\r" }.count + 1
            #expect(error.fileName == fileName && !error.message.isEmpty, "\(error)")
            #expect(error.line.map { (1...lineCount).contains($0) } ?? true, "\(error): the line exists")
            return nil
        } catch {
            Issue.record("\(fileName): not a DataFileError: \(error)")
            return nil
        }
    }

    static func isClean(_ s: String) -> Bool {
        !s.isEmpty && !s.unicodeScalars.contains { $0 == "\t" || $0 == "\n" || $0 == "\r" }
    }

    @Test func conlluMutations() {
        let g = Generator(seed: 11), original = Array(Self.conllu.utf8)
        for trial in 0..<1000 {
            guard let (sentences, _) = Self.run(Self.mutate(original, g), name: "conllu", trial: trial,
                                                parse: { try CoNLLUReader.parse(text: $0, fileName: $1) },
                                                read: { try CoNLLUReader.read(path: $0) }) else { continue }
            #expect(!sentences.isEmpty)
            for s in sentences {
                #expect(!s.words.isEmpty && s.words.count == s.tags.count, "trial \(trial)")
                #expect(s.words.allSatisfy(Self.isClean) && s.tags.allSatisfy { Self.isClean($0) && $0 != "_" }, "trial \(trial): \(s)")
            }
        }
    }

    @Test func labeledTextMutations() {
        let g = Generator(seed: 12), original = Array(Self.tsv.utf8)
        for trial in 0..<1000 {
            guard let (examples, _) = Self.run(Self.mutate(original, g), name: "tsv", trial: trial,
                                               parse: { try LabeledTextReader.parse(text: $0, fileName: $1) },
                                               read: { try LabeledTextReader.read(path: $0) }) else { continue }
            #expect(!examples.isEmpty)
            for e in examples {
                #expect(Self.isClean(e.label) && e.label.first?.isWhitespace == false && e.label.last?.isWhitespace == false,
                        "trial \(trial): label \(e.label.debugDescription)")
                #expect(!e.text.isEmpty && e.text.allSatisfy { !$0.isEmpty && !$0.contains(where: \.isWhitespace) }, "trial \(trial)")
            }
        }
    }

    @Test func plainTextMutations() {
        let g = Generator(seed: 13), original = Array(Self.plain.utf8)
        for trial in 0..<1000 {
            guard let (tokens, text) = Self.run(Self.mutate(original, g), name: "txt", trial: trial,
                                                parse: { try PlainTextReader.parse(text: $0, fileName: $1) },
                                                read: { try PlainTextReader.read(path: $0) }) else { continue }
            // The expected tokens, line by line, with lines split on Unicode scalars here.
            var expected: [String] = [], line = String.UnicodeScalarView()
            func endLine() {
                let lineTokens = PlainTextReader.tokenize(String(line))
                if !lineTokens.isEmpty { expected += lineTokens + ["<eos>"] }
                line = String.UnicodeScalarView()
            }
            var previousWasCR = false
            for scalar in text.unicodeScalars {
                if scalar == "\n" && previousWasCR { previousWasCR = false; continue }
                previousWasCR = scalar == "\r"
                if scalar == "\n" || scalar == "\r" { endLine() } else { line.append(scalar) }
            }
            endLine()
            #expect(tokens == expected, "trial \(trial): \(text.debugDescription)")
        }
    }
}
