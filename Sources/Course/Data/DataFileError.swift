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

/// The lines of `text` with their 1-based numbers; "\n" and "\r\n" both end a line.
func numberedLines(_ text: String) -> [(number: Int, text: Substring)] {
    // "\r\n" is a single Character in Swift, so it is matched as a whole.
    text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        .enumerated().map { ($0.offset + 1, $0.element) }
}
