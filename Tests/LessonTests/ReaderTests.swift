import Course
import Foundation
import Testing
import Torchlet

/// The three data readers alike: every line ending parses (LF, CRLF, a lone
/// CR from old Mac files, and a mix), and an empty or whitespace-only file
/// is an error that says so.
@Suite struct ReaderTests {
    static let conllu = [
        "# text = The dog barked.", "1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_", "2\tdog\tdog\tNOUN\tNN\t_\t3\tnsubj\t_\t_",
        "3\tbarked\tbark\tVERB\tVBD\t_\t0\troot\t_\t_", "", "1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_", "",
    ]
    static let tsv = ["pos\tA wonderful film, really!", "", "neg\tNot good.", "pos\tDon't miss it"]
    static let plain = ["Hello world.", "", "Bye now", "  "]

    /// `lines` joined with line endings chosen by `ending(i)` for the i-th break.
    static func join(_ lines: [String], ending: (Int) -> String) -> String {
        lines.enumerated().map { $0.offset < lines.count - 1 ? $0.element + ending($0.offset) : $0.element }.joined()
    }

    static let endings: [(String, (Int) -> String)] = [
        ("LF", { _ in "\n" }), ("CRLF", { _ in "\r\n" }), ("CR", { _ in "\r" }),
        ("mixed", { ["\n", "\r\n", "\r"][$0 % 3] }),
    ]

    /// The parts of a Universal Dependencies file a treebank really has: document and
    /// sentence comments, a multiword token (its range line is skipped, its words are
    /// kept), an empty node (skipped), and a sentence of over a hundred words.
    @Test func readsWhatUniversalDependenciesTreebanksHold() throws {
        let long = (1...120).map { "\($0)\tword\($0)\tword\tNOUN\tNN\t_\t0\tdep\t_\t_" }
        let text = ([
            "# newdoc id = weblog-1", "# sent_id = weblog-1-0001", "# text = I don't know.",
            "1\tI\tI\tPRON\tPRP\t_\t4\tnsubj\t_\t_",
            "2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_",
            "2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_",
            "3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_",
            "4\tknow\tknow\tVERB\tVB\t_\t0\troot\t_\t_",
            "4.1\tknow\tknow\tVERB\tVB\t_\t_\t_\t4:conj\tCopyOf=4",
            "5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\tSpaceAfter=No", "",
            "# sent_id = weblog-1-0002",
        ] + long + [""]).joined(separator: "\n")
        let sentences = try CoNLLUReader.parse(text: text, fileName: "ud.conllu")
        #expect(sentences.count == 2)
        #expect(sentences[0].words == ["I", "do", "n't", "know", "."])
        #expect(sentences[0].tags == ["PRON", "AUX", "PART", "VERB", "PUNCT"])
        #expect(sentences[1].count == 120 && sentences[1].words.last == "word120")
    }

    @Test func everyLineEndingParses() throws {
        let sentences = try CoNLLUReader.parse(text: Self.join(Self.conllu) { _ in "\n" })
        let examples = try LabeledTextReader.parse(text: Self.join(Self.tsv) { _ in "\n" })
        let tokens = try PlainTextReader.parse(text: Self.join(Self.plain) { _ in "\n" })
        #expect(sentences.map(\.words) == [["The", "dog", "barked"], ["Hi"]])
        #expect(examples.map(\.label) == ["pos", "neg", "pos"] && examples[2].text == ["don't", "miss", "it"])
        #expect(tokens == ["hello", "world", ".", "<eos>", "bye", "now", "<eos>"])
        for (name, ending) in Self.endings {
            #expect(try CoNLLUReader.parse(text: Self.join(Self.conllu, ending: ending)) == sentences, "\(name)")
            #expect(try LabeledTextReader.parse(text: Self.join(Self.tsv, ending: ending)) == examples, "\(name)")
            #expect(try PlainTextReader.parse(text: Self.join(Self.plain, ending: ending)) == tokens, "\(name)")
        }
    }

    @Test func lineNumbersCountEveryKindOfEnding() {
        let text = "1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_\r\n\r# c\n2\tbad"
        #expect(errorDescription { try CoNLLUReader.parse(text: text, fileName: "m.conllu") }
            == "m.conllu:4: expected 10 tab-separated columns, got 2")
        #expect(errorDescription { try LabeledTextReader.parse(text: "a\tb\rc\td\r\re", fileName: "m.tsv") }
            == "m.tsv:4: expected 'label<TAB>text', found no tab")
    }

    @Test(arguments: ["", " ", "\n\n", "\r", " \t\r\n \u{00A0}\n"])
    func emptyFileIsAnErrorForEveryReader(text: String) {
        let kind = text.isEmpty ? "the file is empty" : "the file has only whitespace"
        #expect(errorDescription { try CoNLLUReader.parse(text: text, fileName: "a.conllu") }
            == "a.conllu: \(kind); expected CoNLL-U sentences")
        #expect(errorDescription { try LabeledTextReader.parse(text: text, fileName: "a.tsv") }
            == "a.tsv: \(kind); expected 'label<TAB>text' lines")
        #expect(errorDescription { try PlainTextReader.parse(text: text, fileName: "a.txt") }
            == "a.txt: \(kind); expected plain text")
    }

    @Test func conlluWithoutSentencesIsAnError() {
        #expect(errorDescription { try CoNLLUReader.parse(text: "# only\n# comments\n", fileName: "c.conllu") }
            == "c.conllu: expected CoNLL-U sentences, found only comments and multiword or empty-node lines")
    }

    @Test func emptyFileOnDiskIsAnError() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("reader-\(UUID().uuidString).tsv")
        try Data().write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(errorDescription { try LabeledTextReader.read(path: url.path) } == "\(url.path): the file is empty; expected 'label<TAB>text' lines")
    }

    /// The single-pass tokenizer agrees with the straightforward one it
    /// replaced (lowercase everything, then look one character ahead) on
    /// random text made of the characters that matter.
    @Test func tokenizerMatchesTheStraightforwardOne() {
        func reference(_ text: String) -> [String] {
            let characters = Array(text.lowercased())
            var tokens: [String] = [], word = ""
            func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber }
            for (i, c) in characters.enumerated() {
                if isWordCharacter(c) {
                    word.append(c)
                } else if (c == "'" || c == "’" || c == "-") && !word.isEmpty
                            && i + 1 < characters.count && isWordCharacter(characters[i + 1]) {
                    word.append(c)
                } else {
                    if !word.isEmpty { tokens.append(word); word = "" }
                    if !c.isWhitespace { tokens.append(String(c)) }
                }
            }
            if !word.isEmpty { tokens.append(word) }
            return tokens
        }
        let unicode: [Character] = ["a", "B", "z", "7", "É", "ß", " ", "\t", "'", "’", "-", ".", ",", "!", "€", "\u{00A0}", "ü"]
        // ASCII only takes the byte path: every class of byte, and the letters at the edges.
        let ascii: [Character] = ["a", "z", "A", "Z", "0", "9", "@", "[", "`", "{", "/", ":", " ", "\t", "\u{0B}", "'", "-", ".", "\u{7F}", "\u{01}", "\u{1C}"]
        let g = Generator(seed: 8)
        for alphabet in [unicode, ascii] {
            for _ in 0..<2000 {
                let text = String((0..<g.nextInt(below: 12)).map { _ in alphabet[g.nextInt(below: alphabet.count)] })
                #expect(PlainTextReader.tokenize(text) == reference(text), "\(text.debugDescription)")
                #expect(PlainTextReader.tokenize(text.dropFirst()) == reference(String(text.dropFirst())), "\(text.debugDescription)")
            }
        }
    }

    /// A 4 MB single line costs memory in proportion to the file: the
    /// peak resident size grows by less than 8× the file (the old reader,
    /// with an array of `Character`s, took about 18×). Run in a fresh child
    /// process so the peak is this read's own.
    @Test func longLineCostsMemoryInProportionToTheFile() async {
        let result = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
            func peakKilobytes() -> Int {
                var usage = rusage()
                #if os(Linux)
                getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
                return usage.ru_maxrss
                #else
                getrusage(RUSAGE_SELF, &usage)
                return usage.ru_maxrss / 1024
                #endif
            }
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("long-line-\(UUID().uuidString).txt")
            let size = 4_000_000
            do {
                var bytes = [UInt8](repeating: UInt8(ascii: " "), count: size)
                for i in bytes.indices where i % 12 != 11 { bytes[i] = UInt8(ascii: "a") + UInt8(i % 12) }
                try Data(bytes).write(to: url)
            } catch {
                exit(2)
            }
            defer { try? FileManager.default.removeItem(at: url) }
            let before = peakKilobytes()
            let tokens = (try? PlainTextReader.read(path: url.path)) ?? []
            let grown = peakKilobytes() - before
            let verdict = tokens.count == (size + 11) / 12 + 1 && grown < 8 * size / 1000 ? "within bounds" : "TOO MUCH"
            FileHandle.standardError.write(Data("\(verdict): \(tokens.count) tokens, peak grew by \(grown) KB for a \(size / 1000) KB line\n".utf8))
            exit(0)
        }
        let stderr = result.map { String(decoding: $0.standardErrorContent, as: UTF8.self) } ?? ""
        #expect(stderr.hasPrefix("within bounds: 333335 tokens"), "\(stderr)")
    }

    /// The description of the `DataFileError` that `body` throws, or `nil`.
    func errorDescription(_ body: () throws -> Any) -> String? {
        do { _ = try body(); return nil } catch let error as DataFileError { return error.description } catch { return "\(error)" }
    }
}
