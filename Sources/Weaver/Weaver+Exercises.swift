extension Weaver {
    /// The exercises of an `Exercises.swift` code block as the lesson text shows them: doc comment, signature and the stub body.
    ///
    /// A top-level function whose doc comment names an exercise
    /// ("Exercise 2.1: …") is shown with `throw TODO("2.1")` as its body,
    /// whatever the student wrote there; everything else (imports, helper
    /// functions) is left out. So the woven lesson never depends on, or
    /// shows, a student's solutions, and weaving a student's checkout
    /// changes nothing.
    ///
    /// ```swift
    /// /// Exercise 2.1: k-fold splits.
    /// func kFoldSplits(count: Int, k: Int) throws -> [[Int]] {
    ///     throw TODO("2.1")
    /// }
    /// ```
    public static func exerciseStubs(in code: String) -> String {
        let source = SwiftSource(code)
        let text = Array(code)
        var stubs: [String] = []
        for start in source.topLevelFunctions {
            guard let body = source.body(ofDeclarationAt: start) else { continue }
            let lineStart = text[..<start].lastIndex(of: "\n").map { $0 + 1 } ?? 0
            let signature = String(text[lineStart..<(body.lowerBound - 1)])
                .trimmingTrailingWhitespace()
            let above = String(text[..<lineStart]).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            // The doc comment and attributes directly above, bottom up.
            var header: [String] = []
            for line in above.reversed() {
                let trimmed = line.drop { $0 == " " || $0 == "\t" }
                guard trimmed.hasPrefix("///") || trimmed.hasPrefix("@") else { break }
                header.insert(String(line), at: 0)
            }
            guard let number = exerciseNumber(in: header) else { continue }
            stubs.append((header + [signature + " {", "    throw TODO(\"\(number)\")", "}"]).joined(separator: "\n"))
        }
        return stubs.joined(separator: "\n\n")
    }

    /// The `N.M` of the first "Exercise N.M" in doc comment lines.
    static func exerciseNumber(in lines: [String]) -> String? {
        for line in lines {
            guard let range = line.range(of: "Exercise ") else { continue }
            let number = line[range.upperBound...].prefix { $0.isNumber || $0 == "." }
            let trimmed = number.hasSuffix(".") ? number.dropLast() : number
            if trimmed.contains("."), trimmed.first?.isNumber == true { return String(trimmed) }
        }
        return nil
    }
}

extension String {
    fileprivate func trimmingTrailingWhitespace() -> String {
        var text = Substring(self)
        while let last = text.last, last == " " || last == "\t" || last == "\n" { text = text.dropLast() }
        return String(text)
    }
}
