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
    /// Throws when `text` is empty or only whitespace.
    public static func parse(text: String, fileName: String = "<text>", endOfLine: String? = "<eos>") throws -> [String] {
        try requireContent(text, fileName: fileName, expected: "plain text")
        var tokens: [String] = []
        for (_, line) in numberedLines(text) {
            let count = tokens.count
            appendTokens(of: line, to: &tokens)
            if let endOfLine, tokens.count > count { tokens.append(endOfLine) }
        }
        return tokens
    }

    /// The tokens of one piece of text: lowercased words, with each
    /// punctuation mark or symbol as its own token.
    public static func tokenize(_ text: some StringProtocol) -> [String] {
        var tokens: [String] = []
        appendTokens(of: text, to: &tokens)
        return tokens
    }

    /// Appends the tokens of `text` to `tokens`, in one pass over its
    /// characters: no array of `Character`s (16 bytes each: a 50 MB line
    /// would need 800 MB) and no lowercased copy of the whole text; each
    /// token is lowercased on its own.
    static func appendTokens(of text: some StringProtocol, to tokens: inout [String]) {
        var word = ""
        // An apostrophe or hyphen right after a word: it joins the word
        // ("don't", "well-known") if a letter or digit comes next.
        var joiner: Character?
        for c in text {
            if c.isLetter || c.isNumber {
                if let j = joiner { word.append(j); joiner = nil }
                word.append(c)
                continue
            }
            if let j = joiner {
                tokens.append(word.lowercased())
                tokens.append(String(j))
                word = ""
                joiner = nil
            }
            if (c == "'" || c == "’" || c == "-") && !word.isEmpty {
                joiner = c
            } else {
                if !word.isEmpty { tokens.append(word.lowercased()); word = "" }
                if !c.isWhitespace { tokens.append(String(c).lowercased()) }
            }
        }
        if let j = joiner { tokens.append(word.lowercased()); tokens.append(String(j)); word = "" }
        if !word.isEmpty { tokens.append(word.lowercased()) }
    }
}
