/// Splits a line of plain text into words the way a treebank does, roughly:
/// at whitespace, with punctuation at the start or end of a word split off.
///
/// ```swift
/// tokenize("The dog barked, loudly.")   // ["The", "dog", "barked", ",", "loudly", "."]
/// tokenize("(see e-mail)")             // ["(", "see", "e-mail", ")"]
/// ```
/// Punctuation inside a word stays ("e-mail", "don't", "3.5"), and each
/// split-off mark is a word of its own ("no?!" gives "no", "?" and "!"),
/// while a piece that is all punctuation stays whole ("..."). Treebanks
/// split more ("don't" is "do" and "n't" in English UD); text already
/// tokenized with spaces passes through unchanged except for the marks at
/// word edges.
public func tokenize(_ line: String) -> [String] {
    var words: [String] = []
    for piece in line.split(whereSeparator: \.isWhitespace) {
        var word = Substring(piece)
        if word.allSatisfy({ $0.isPunctuation || $0.isSymbol }) {  // "...", "--", ":)" stay whole
            words.append(String(word))
            continue
        }
        var leading: [String] = [], trailing: [String] = []
        while let first = word.first, first.isPunctuation || first.isSymbol, word.count > 1 {
            leading.append(String(first))
            word = word.dropFirst()
        }
        while let last = word.last, last.isPunctuation || last.isSymbol, word.count > 1 {
            trailing.insert(String(last), at: 0)
            word = word.dropLast()
        }
        words += leading + [String(word)] + trailing
    }
    return words
}
