/// Reads plain text as one stream of tokens, for language modelling.
///
/// Text is lowercased and split on whitespace; punctuation marks become tokens
/// of their own, while an apostrophe or hyphen between letters stays inside
/// the word. Each non-blank line ends with `endOfLine` (`<eos>` by default,
/// like PyTorch's word language model example), or with nothing if it is `nil`.
///
/// ```swift
/// PlainTextReader.tokenize("Don't stop, Anna!")   // ["don't", "stop", ",", "anna", "!"]
/// ```
public enum PlainTextReader {
    /// The tokens of the file at `path`.
    public static func read(path: String, endOfLine: String? = "<eos>") throws -> [String] {
        try parse(text: readDataFile(path), fileName: path, endOfLine: endOfLine)
    }

    /// The tokens of `text`; `fileName` is used in error messages.
    ///
    /// Throws when `text` has no tokens at all.
    public static func parse(text: String, fileName: String = "<text>", endOfLine: String? = "<eos>") throws -> [String] {
        var tokens: [String] = []
        for (_, line) in numberedLines(text) {
            let lineTokens = tokenize(String(line))
            guard !lineTokens.isEmpty else { continue }
            tokens += lineTokens
            if let endOfLine { tokens.append(endOfLine) }
        }
        guard !tokens.isEmpty else {
            throw DataFileError(fileName: fileName, line: nil, message: "expected some text, found none")
        }
        return tokens
    }

    /// The tokens of one piece of text: lowercased words, with each
    /// punctuation mark or symbol as its own token.
    public static func tokenize(_ text: String) -> [String] {
        let characters = Array(text.lowercased())
        var tokens: [String] = []
        var word = ""
        func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber }
        for (i, c) in characters.enumerated() {
            if isWordCharacter(c) {
                word.append(c)
            } else if (c == "'" || c == "’" || c == "-") && !word.isEmpty
                        && i + 1 < characters.count && isWordCharacter(characters[i + 1]) {
                word.append(c)  // "don't", "well-known"
            } else {
                if !word.isEmpty { tokens.append(word); word = "" }
                if !c.isWhitespace { tokens.append(String(c)) }
            }
        }
        if !word.isEmpty { tokens.append(word) }
        return tokens
    }
}
