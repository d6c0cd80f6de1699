/// Swift source text with comments and string literals blanked out, for finding code by name.
///
/// Every character inside a comment (`//`, `/* … */`, nested) or a string
/// literal (`"…"`, `"""…"""`, with escapes) becomes a space; newlines stay,
/// so line numbers still match the file. That is enough to find a call of
/// `lengthMask` in a body without being fooled by a comment that mentions it.
public struct SwiftSource: Sendable {
    /// The text with comments and string contents blanked.
    public let code: [Character]

    /// Blanks `text`'s comments and string literals.
    public init(_ text: String) {
        let characters = Array(text)
        var code = characters
        var i = 0
        func blank(_ range: Range<Int>) {
            for k in range where code[k] != "\n" { code[k] = " " }
        }
        func starts(_ s: String, at k: Int) -> Bool {
            let p = Array(s)
            return k + p.count <= characters.count && Array(characters[k..<(k + p.count)]) == p
        }
        while i < characters.count {
            if starts("//", at: i) {
                var end = i
                while end < characters.count && characters[end] != "\n" { end += 1 }
                blank(i..<end)
                i = end
            } else if starts("/*", at: i) {
                var depth = 0, end = i
                repeat {
                    if starts("/*", at: end) { depth += 1; end += 2 }
                    else if starts("*/", at: end) { depth -= 1; end += 2 }
                    else { end += 1 }
                } while depth > 0 && end < characters.count
                blank(i..<end)
                i = end
            } else if characters[i] == "\"" {
                let triple = starts("\"\"\"", at: i)
                let quote = triple ? 3 : 1
                var end = i + quote
                while end < characters.count {
                    if characters[end] == "\\" { end += 2; continue }
                    if triple ? starts("\"\"\"", at: end) : characters[end] == "\"" { end += quote; break }
                    if !triple && characters[end] == "\n" { break }
                    end += 1
                }
                end = min(end, characters.count)
                blank((i + quote)..<max(i + quote, end - quote))
                i = end
            } else {
                i += 1
            }
        }
        self.code = code
    }

    /// The 1-based line of the character at `offset`.
    public func line(at offset: Int) -> Int {
        code[..<offset].filter { $0 == "\n" }.count + 1
    }

    /// The character offsets of the body of the first `func name(` (inside its braces), if found.
    public func body(ofFunction name: String) -> Range<Int>? {
        guard let start = firstMatch(of: Array("func \(name)"), from: 0, wholeWord: true) else { return nil }
        return body(ofDeclarationAt: start)
    }

    /// The character offsets inside the braces of the declaration that starts at `start`, if it has a body.
    ///
    /// The body opens at the first `{` outside parentheses (so not in a
    /// parameter's default value) and closes at its matching `}`.
    public func body(ofDeclarationAt start: Int) -> Range<Int>? {
        var k = start, parentheses = 0
        while k < code.count {
            switch code[k] {
            case "(": parentheses += 1
            case ")": parentheses -= 1
            case "{" where parentheses == 0:
                var depth = 0, end = k
                while end < code.count {
                    if code[end] == "{" { depth += 1 }
                    if code[end] == "}" { depth -= 1; if depth == 0 { return (k + 1)..<end } }
                    end += 1
                }
                return (k + 1)..<code.count
            default: break
            }
            k += 1
        }
        return nil
    }

    /// The offsets of the `func` keywords of top-level functions (outside every brace).
    public var topLevelFunctions: [Int] {
        var depth = 0, found: [Int] = []
        let keyword = occurrences(of: "func")
        var next = 0
        for (k, c) in code.enumerated() {
            if next < keyword.count && keyword[next] == k {
                if depth == 0 { found.append(k) }
                next += 1
            }
            if c == "{" { depth += 1 }
            if c == "}" { depth = max(0, depth - 1) }
        }
        return found
    }

    /// The functions the code declares, at any depth: each `func`'s name and the range of its body.
    public var functions: [(name: String, body: Range<Int>)] {
        occurrences(of: "func").compactMap { start in
            let nameStart = skippingSpaces(from: start + 4, step: 1)
            var nameEnd = nameStart
            while nameEnd < code.count && Self.isWordCharacter(code[nameEnd]) { nameEnd += 1 }
            guard nameEnd > nameStart, let body = body(ofDeclarationAt: start) else { return nil }
            return (String(code[nameStart..<nameEnd]), body)
        }
    }

    /// The offsets in `range` where `identifier` refers to something declared
    /// outside it: a call, a type, or a member (`.name`, always); not where it
    /// is declared (`let`, `var`, `for`, `case`, `func`, a closure parameter
    /// before `in`) or written as a label (`name:`), nor, once `range`
    /// declares a local of that name, a plain use of that local.
    public func references(to identifier: String, in range: Range<Int>) -> [Int] {
        let all = occurrences(of: identifier, in: range)
        let length = identifier.count
        func declares(_ k: Int) -> Bool {
            let end = k + length
            if end < code.count && code[end] == ":" { return true }
            if ["let", "var", "for", "case", "func"].contains(word(endingBefore: k)) { return true }
            let next = skippingSpaces(from: end, step: 1)
            return next + 2 <= code.count && code[next] == "i" && code[next + 1] == "n"
                && (next + 2 == code.count || !Self.isWordCharacter(code[next + 2]))
        }
        let hasLocal = all.contains(where: declares)
        return all.filter { k in
            let before = skippingSpaces(from: k - 1, step: -1)
            if before >= 0 && code[before] == "." { return true }
            return !declares(k) && !hasLocal
        }
    }

    /// The first offset from `k` on, in direction `step`, that is not a space, tab or newline.
    private func skippingSpaces(from k: Int, step: Int) -> Int {
        var k = k
        while k >= 0 && k < code.count && (code[k] == " " || code[k] == "\t" || code[k] == "\n") { k += step }
        return k
    }

    /// The word just before offset `k` (spaces between skipped), or "" if a non-word character comes first.
    private func word(endingBefore k: Int) -> String {
        let end = skippingSpaces(from: k - 1, step: -1) + 1
        var start = end
        while start > 0 && Self.isWordCharacter(code[start - 1]) { start -= 1 }
        return String(code[start..<end])
    }

    /// The offsets where `identifier` occurs as a whole word within `range` (all of the code by default).
    public func occurrences(of identifier: String, in range: Range<Int>? = nil) -> [Int] {
        let range = range ?? 0..<code.count
        var found: [Int] = [], from = range.lowerBound
        while let k = firstMatch(of: Array(identifier), from: from, wholeWord: true), k < range.upperBound {
            found.append(k)
            from = k + 1
        }
        return found
    }

    private func firstMatch(of pattern: [Character], from: Int, wholeWord: Bool) -> Int? {
        guard !pattern.isEmpty, pattern.count <= code.count else { return nil }
        var k = from
        while k + pattern.count <= code.count {
            if Array(code[k..<(k + pattern.count)]) == pattern {
                let before = k == 0 ? " " : code[k - 1], after = k + pattern.count < code.count ? code[k + pattern.count] : " "
                if !wholeWord || (!Self.isWordCharacter(before) && !Self.isWordCharacter(after)) { return k }
            }
            k += 1
        }
        return nil
    }

    static func isWordCharacter(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "_"
    }
}
