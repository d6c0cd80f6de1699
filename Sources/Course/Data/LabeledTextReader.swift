/// Reads classification examples from a `label<TAB>text` file, one example per line.
///
/// The text is tokenized with `PlainTextReader.tokenize(_:)` (lowercased,
/// punctuation as separate tokens). Blank lines are skipped; lines may end
/// in "\n", "\r\n" or "\r".
///
/// ```
/// pos	A wonderful film, really.
/// neg	Not good at all.
/// ```
///
/// Errors name the file and line: `reviews.tsv:4: expected 'label<TAB>text', found no tab`.
public enum LabeledTextReader {
    /// The examples of the file at `path`.
    public static func read(path: String) throws -> [LabeledText] {
        try parse(text: readDataFile(path), fileName: path)
    }

    /// The examples of `text`; `fileName` is used in error messages.
    ///
    /// Throws when `text` is empty or only whitespace.
    public static func parse(text: String, fileName: String = "<text>") throws -> [LabeledText] {
        try requireContent(text, fileName: fileName, expected: "'label<TAB>text' lines")
        var examples: [LabeledText] = []
        for (number, line) in numberedLines(text) where !line.allSatisfy(\.isWhitespace) {
            func fail(_ message: String) -> DataFileError {
                DataFileError(fileName: fileName, line: number, message: message)
            }
            guard let tab = line.firstIndex(of: "\t") else {
                throw fail("expected 'label<TAB>text', found no tab")
            }
            let label = line[..<tab].trimmingWhitespace()
            guard !label.isEmpty else { throw fail("expected a label before the tab") }
            let tokens = PlainTextReader.tokenize(line[line.index(after: tab)...])
            guard !tokens.isEmpty else { throw fail("expected text after the tab") }
            examples.append(LabeledText(label: String(label), text: tokens))
        }
        return examples
    }
}

extension Substring {
    /// The substring without leading and trailing whitespace.
    func trimmingWhitespace() -> Substring {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return self[first...last]
    }
}
