/// What a reference run of a lesson printed, code block by code block: the output the lesson text shows under each block.
///
/// `swift run weave --run` records it by running the lesson with a marker
/// printed after each top-level code block of `main.swift`
/// (``instrumented(_:)``), then splitting the output at the markers
/// (``init(run:codeBlocks:)``). It is committed as `output.txt` beside the
/// lesson, so weaving stays deterministic: timings and other run-to-run
/// noise change the text only when someone records again.
///
/// The file keeps each block's first code line as a key; a block whose code
/// changed since the recording is reported as stale, not shown with the
/// wrong output.
///
/// ```
/// @@ block 2: let x = Tensor([2, 3], requiresGrad: true)
/// x = [2.0, 3.0]  y = 19.0  dy/dx = [7.0, 6.0]   (expected [7.0, 6.0])
/// ```
public struct LessonOutput: Equatable, Sendable {
    /// The output of one code block of `main.swift`.
    public struct Section: Equatable, Sendable {
        /// The code block's index among `main.swift`'s code blocks, from 0.
        public var block: Int
        /// The code block's first line, trimmed: what the recording belongs to.
        public var key: String
        /// The lines printed while the block ran.
        public var lines: [String]

        /// Creates a section.
        public init(block: Int, key: String, lines: [String]) {
            self.block = block
            self.key = key
            self.lines = lines
        }
    }

    /// The sections that printed something, in block order.
    public var sections: [Section]

    /// The recording's file name in a lesson directory.
    public static let fileName = "output.txt"
    /// What the instrumented lesson prints after each code block, before the block's index.
    public static let marker = "@@weave-block@@ "
    /// Output longer than this many lines per block is shortened in the lesson text.
    public static let maximumLines = 40

    /// Creates a recording from sections.
    public init(sections: [Section]) {
        self.sections = sections.filter { !$0.lines.isEmpty }
    }

    /// `main.swift`'s text with `print("@@weave-block@@ k")` after every code block that ends outside any brace or bracket.
    ///
    /// A block that ends inside a function or a loop gets no marker; its
    /// output is shown under the next block that has one.
    public static func instrumented(_ main: String) throws -> String {
        let located = try Weaver.located(main, file: "main.swift")
        var lines = Weaver.lines(of: main)
        let source = SwiftSource(main)
        // Nesting depth at the end of each line (braces, parentheses, brackets).
        var depthAfterLine: [Int] = []
        var depth = 0
        for character in source.code {
            switch character {
            case "{", "(", "[": depth += 1
            case "}", ")", "]": depth -= 1
            case "\n": depthAfterLine.append(depth)
            default: break
            }
        }
        depthAfterLine.append(depth)
        let ends = located.filter { if case .code = $0.block { return true } else { return false } }.map(\.lastLine)
        for (index, line) in ends.enumerated().reversed() where depthAfterLine[line - 1] == 0 {
            lines.insert("print(\"\(marker)\(index)\")", at: line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Splits the output of an instrumented run at its markers: what printed before marker `k` belongs to code block `k`.
    ///
    /// - Parameter codeBlocks: the text of each of `main.swift`'s code blocks, in order, for the keys.
    public init(run output: String, codeBlocks: [String]) {
        var sections: [Section] = []
        var pending: [String] = []
        for line in Weaver.lines(of: output) {
            if line.hasPrefix(Self.marker), let index = Int(line.dropFirst(Self.marker.count)), index < codeBlocks.count {
                sections.append(Section(block: index, key: Self.key(of: codeBlocks[index]), lines: pending))
                pending = []
            } else {
                pending.append(line)
            }
        }
        if !pending.isEmpty, let last = codeBlocks.indices.last {
            if let open = sections.last, open.block == last {
                sections[sections.count - 1].lines += pending
            } else {
                sections.append(Section(block: last, key: Self.key(of: codeBlocks[last]), lines: pending))
            }
        }
        self.init(sections: sections)
    }

    /// A code block's key: its first non-blank line, trimmed.
    public static func key(of code: String) -> String {
        let first = Weaver.lines(of: code).first { !Weaver.isBlank($0) } ?? ""
        return String(first.drop { $0 == " " || $0 == "\t" })
    }

    /// The recording as the text of `output.txt`.
    public var text: String {
        sections.map { section in
            (["@@ block \(section.block): \(section.key)"] + section.lines).joined(separator: "\n")
        }.joined(separator: "\n") + "\n"
    }

    /// Reads the text of `output.txt`.
    ///
    /// - Throws: ``WeaveError`` naming `file` and the line when a line before the first `@@ block` header.
    public init(text: String, file: String = LessonOutput.fileName) throws {
        var sections: [Section] = []
        for (number, line) in Weaver.lines(of: text).enumerated() {
            if line.hasPrefix("@@ block "), let colon = line.firstIndex(of: ":"),
               let index = Int(line[line.index(line.startIndex, offsetBy: 9)..<colon]) {
                let key = line[line.index(after: colon)...].drop { $0 == " " }
                sections.append(Section(block: index, key: String(key), lines: []))
            } else if sections.isEmpty {
                throw WeaveError(file: file, line: number + 1, problem: "expected a line \"@@ block N: …\" first")
            } else {
                sections[sections.count - 1].lines.append(line)
            }
        }
        self.init(sections: sections)
    }

    /// The Markdown shown under code block `index` (whose text is `code`): the recorded output in a `text` fence, or `nil`.
    ///
    /// - Throws: ``WeaveError`` when the recording belongs to other code (the block changed since).
    func markdown(forBlock index: Int, code: String, file: String) throws -> String? {
        guard let section = sections.first(where: { $0.block == index }) else { return nil }
        guard section.key == Self.key(of: code) else {
            throw WeaveError(file: file, line: 0, problem: "the recorded output of code block \(index) belongs to "
                             + "\"\(section.key)\", but that block now starts \"\(Self.key(of: code))\": "
                             + "record it again with swift run weave --run")
        }
        var lines = section.lines
        if lines.count > Self.maximumLines {
            let head = Self.maximumLines - 6
            lines = Array(lines.prefix(head)) + ["… (\(lines.count - head - 5) more lines)"] + Array(lines.suffix(5))
        }
        return "```text\n" + lines.joined(separator: "\n") + "\n```"
    }
}
