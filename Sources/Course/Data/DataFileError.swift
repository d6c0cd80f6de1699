import Foundation

/// An error in a data file the user named, reported as `file:line: what was expected`.
///
/// ```swift
/// print(error)   // data.conllu:17: expected 10 tab-separated columns, got 3
/// ```
public struct DataFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file's name or path, as the user gave it.
    public var fileName: String
    /// The 1-based line number, or `nil` when the error concerns the whole file.
    public var line: Int?
    /// What was expected, and what was found.
    public var message: String

    public init(fileName: String, line: Int?, message: String) {
        (self.fileName, self.line, self.message) = (fileName, line, message)
    }

    public var description: String {
        if let line { return "\(fileName):\(line): \(message)" }
        return "\(fileName): \(message)"
    }
}

/// The contents of the text file at `path`, or a `DataFileError` that says why it cannot be read.
func readDataFile(_ path: String) throws -> String {
    guard FileManager.default.fileExists(atPath: path) else {
        throw DataFileError(fileName: path, line: nil, message: "no such file")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw DataFileError(fileName: path, line: nil, message: "cannot read the file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
        throw DataFileError(fileName: path, line: nil, message: "expected UTF-8 text")
    }
    return text
}

/// Throws unless `text` has something besides whitespace: an empty or
/// whitespace-only file is an error that says so, the same for every reader.
///
/// `expected` names what the file should hold ("CoNLL-U sentences").
func requireContent(_ text: String, fileName: String, expected: String) throws {
    if text.isEmpty {
        throw DataFileError(fileName: fileName, line: nil, message: "the file is empty; expected \(expected)")
    }
    if text.allSatisfy(\.isWhitespace) {
        throw DataFileError(fileName: fileName, line: nil, message: "the file has only whitespace; expected \(expected)")
    }
}

/// The lines of `text` with their 1-based numbers, as substrings of `text`
/// (no copies); "\n", "\r\n" and a lone "\r" (old Mac files) each end a
/// line, and a file may mix them.
///
/// ```swift
/// Array(numberedLines("a\r\nb\rc\nd").map(\.text))   // ["a", "b", "c", "d"]
/// ```
///
/// The lines are found lazily by scanning UTF-8 bytes, so a 50 MB file
/// costs no memory beyond its own text, however its lines are laid out.
func numberedLines(_ text: String) -> NumberedLines {
    NumberedLines(text: text)
}

/// The lazy sequence of `numberedLines(_:)`.
struct NumberedLines: Sequence, IteratorProtocol {
    private let text: String
    private var start: String.Index
    private var number = 0
    private var isFinished = false

    init(text: String) {
        self.text = text
        self.start = text.startIndex
    }

    mutating func next() -> (number: Int, text: Substring)? {
        guard !isFinished else { return nil }
        let utf8 = text.utf8
        // CR and LF are ASCII and always grapheme boundaries (Unicode's GB4, GB5),
        // so slicing the String at these UTF-8 positions is safe.
        let end = utf8[start...].firstIndex { $0 == 0x0A || $0 == 0x0D } ?? utf8.endIndex
        number += 1
        let line = text[start..<end]
        if end == utf8.endIndex {
            isFinished = true
        } else {
            var after = utf8.index(after: end)
            if utf8[end] == 0x0D && after < utf8.endIndex && utf8[after] == 0x0A { after = utf8.index(after: after) }
            start = after
        }
        return (number, line)
    }
}
