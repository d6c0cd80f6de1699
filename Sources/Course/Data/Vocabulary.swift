/// A two-way map between strings (words or tags) and integer indices.
///
/// Neural networks eat integers, so every word goes through a vocabulary
/// before it reaches an `Embedding`. Special tokens come first, in the order
/// given, so with the default `["<pad>", "<unk>"]` the padding token is index 0
/// (what `Embedding(paddingIndex: 0)` and the loss's ignore index expect) and
/// the unknown token is index 1. The other strings follow in order of first
/// appearance, like the `word_to_ix` dictionary of the PyTorch tutorials.
///
/// ```swift
/// let vocab = Vocabulary(corpus: [["the", "dog"], ["the", "cat"]])
/// vocab.count                  // 5: <pad>, <unk>, the, dog, cat
/// vocab.index(of: "dog")       // 3
/// vocab.index(of: "zebra")     // 1, the index of <unk>
/// vocab.word(at: 4)            // "cat"
/// ```
public struct Vocabulary: Hashable, Sendable {
    /// The conventional padding token.
    public static let padToken = "<pad>"
    /// The conventional token for out-of-vocabulary words.
    public static let unknownToken = "<unk>"

    /// Every entry, in index order.
    public private(set) var words: [String]
    private var indexOfWord: [String: Int]
    /// The index of `<pad>`, or `nil` if the vocabulary has no padding token.
    public let padIndex: Int?
    /// The index of `<unk>`, or `nil` if the vocabulary has no unknown token.
    public let unknownIndex: Int?

    /// Builds a vocabulary from a corpus of token sequences.
    ///
    /// - Parameters:
    ///   - corpus: the sentences (or any token sequences) to collect words from.
    ///   - specials: tokens placed first, in this order. Use `[]` for a tag
    ///     vocabulary, `["<pad>"]` when only padding is needed.
    ///   - minFrequency: words seen fewer times than this are left out (and so
    ///     map to `<unk>`), a common way to give the unknown token training data.
    /// - Precondition: `minFrequency >= 1`, and `specials` has no duplicates.
    public init<S: Sequence>(
        corpus: S, specials: [String] = [Vocabulary.padToken, Vocabulary.unknownToken],
        minFrequency: Int = 1
    ) where S.Element == [String] {
        precondition(minFrequency >= 1, "Vocabulary: minFrequency \(minFrequency) must be at least 1")
        var counts: [String: Int] = [:]
        var order: [String] = []
        for sentence in corpus {
            for word in sentence {
                if counts[word] == nil { order.append(word) }
                counts[word, default: 0] += 1
            }
        }
        var words = specials
        var indexOfWord: [String: Int] = [:]
        for (i, special) in specials.enumerated() {
            precondition(indexOfWord[special] == nil, "Vocabulary: special token \(special) is listed twice")
            indexOfWord[special] = i
        }
        for word in order where counts[word]! >= minFrequency && indexOfWord[word] == nil {
            indexOfWord[word] = words.count
            words.append(word)
        }
        self.words = words
        self.indexOfWord = indexOfWord
        self.padIndex = indexOfWord[Vocabulary.padToken]
        self.unknownIndex = indexOfWord[Vocabulary.unknownToken]
    }

    /// Builds a vocabulary from one stream of tokens (for example a language-model text).
    public init<S: Sequence>(
        tokens: S, specials: [String] = [Vocabulary.padToken, Vocabulary.unknownToken],
        minFrequency: Int = 1
    ) where S.Element == String {
        self.init(corpus: [Array(tokens)], specials: specials, minFrequency: minFrequency)
    }

    /// The number of entries, special tokens included.
    public var count: Int { words.count }

    /// Whether `word` has its own entry.
    public func contains(_ word: String) -> Bool { indexOfWord[word] != nil }

    /// The index of `word`, or the index of `<unk>` when the word is unknown.
    ///
    /// - Precondition: the word is in the vocabulary, or the vocabulary has `<unk>`.
    public func index(of word: String) -> Int {
        if let index = indexOfWord[word] { return index }
        guard let unknownIndex else {
            preconditionFailure("Vocabulary: '\(word)' is unknown and there is no \(Vocabulary.unknownToken) token")
        }
        return unknownIndex
    }

    /// The indices of `words`, each looked up with `index(of:)`.
    public func indices(of words: [String]) -> [Int] { words.map { index(of: $0) } }

    /// The string at `index`.
    ///
    /// - Precondition: `0 <= index < count`.
    public func word(at index: Int) -> String {
        precondition(words.indices.contains(index), "Vocabulary: index \(index) is out of range 0..<\(count)")
        return words[index]
    }

    /// The strings at `indices`.
    public func words(at indices: [Int]) -> [String] { indices.map { word(at: $0) } }
}
