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
        if appendASCIITokens(of: text, to: &tokens) { return }
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

    /// The same tokens as `appendTokens(of:to:)` for ASCII text, read as
    /// bytes: ASCII has one character per byte, so there is no grapheme
    /// breaking to do, which makes this path several times faster. Returns
    /// `false`, having appended nothing, at the first non-ASCII byte.
    static func appendASCIITokens(of text: some StringProtocol, to tokens: inout [String]) -> Bool {
        let start = tokens.count
        let done = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            func isWordByte(_ b: UInt8) -> Bool {
                (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A)
            }
            let n = bytes.count
            var i = 0
            while i < n {
                let b = bytes[i]
                guard b < 0x80 else { return false }
                if isWordByte(b) {
                    let wordStart = i
                    var hasUppercase = false
                    while i < n {
                        let c = bytes[i]
                        if isWordByte(c) {
                            hasUppercase = hasUppercase || (c >= 0x41 && c <= 0x5A)
                            i += 1
                        } else if (c == 0x27 || c == 0x2D) && i + 1 < n && isWordByte(bytes[i + 1]) {
                            i += 2  // "don't", "well-known"
                            hasUppercase = hasUppercase || (bytes[i - 1] >= 0x41 && bytes[i - 1] <= 0x5A)
                        } else {
                            break
                        }
                    }
                    let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[wordStart..<i]), as: UTF8.self)
                    tokens.append(hasUppercase ? word.lowercased() : word)
                } else {
                    if !(b == 0x20 || (b >= 0x09 && b <= 0x0D)) { tokens.append(String(UnicodeScalar(b))) }
                    i += 1
                }
            }
            return true
        }
        guard done == true else {
            tokens.removeSubrange(start...)
            return false
        }
        return true
    }
}
