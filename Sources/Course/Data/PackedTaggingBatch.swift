import Torchlet

/// A minibatch of tagged sentences packed for a bidirectional LSTM, with
/// each token's word id, characters and tag in the packed order.
///
/// ```
/// positions     PackedSequence of token numbers (sentence-major 0..<Σ lengths), longest sentence first
/// words[r]      the word id of packed row r       tags[r]   its tag id      tokens[r] its word, as text
/// typeOfRow[r]  which distinct word it is         chars[k]  the character ids of distinct word k
/// ```
/// The packed order is read back from `packSequence`, the same trick as the
/// packing diagram: each token carries its own number through the packing,
/// so the word ids, characters and tags of every packed row are simply
/// looked up, and the loss needs no mask (there are no padding rows).
public struct PackedTaggingBatch {
    /// The packed layout; `positions.data` holds token numbers.
    public let positions: PackedSequence
    public let words: [Int]
    /// The character ids of each distinct word of the batch, in order of first appearance.
    public let chars: [[Int]]
    /// For each packed row, its word's position in `chars`: character
    /// features are computed once per distinct word (a batch of 300 tokens
    /// has about 120) and then copied to its rows.
    public let typeOfRow: [Int]
    public let tags: [Int]
    public let tokens: [String]
    /// The sentences' lengths, in batch order.
    public let lengths: [Int]

    /// Packs `sentences`; `characters` maps a word to its character ids.
    ///
    /// - Precondition: `sentences` is not empty and no sentence is empty.
    public init(_ sentences: [TaggedSentence], words: Vocabulary, tags: Vocabulary, characters: Vocabulary) {
        precondition(!sentences.isEmpty && sentences.allSatisfy { $0.count > 0 }, "PackedTaggingBatch: no sentences, or an empty one")
        var next = 0
        let numbers = sentences.map { sentence in (0..<sentence.count).map { _ in defer { next += 1 }; return next } }
        let allWords = sentences.flatMap(\.words), allTags = sentences.flatMap(\.tags)
        positions = packSequence(numbers, enforceSorted: false)
        let rows = positions.data.scalars.map { Int($0) }
        tokens = rows.map { allWords[$0] }
        self.words = tokens.map { words.index(of: $0) }
        self.tags = rows.map { tags.index(of: allTags[$0]) }
        var typeOfWord: [String: Int] = [:], chars: [[Int]] = []
        typeOfRow = tokens.map { token in
            if let k = typeOfWord[token] { return k }
            typeOfWord[token] = chars.count
            chars.append(characters.indices(of: token.map { String($0) }))
            return chars.count - 1
        }
        self.chars = chars
        lengths = sentences.map(\.count)
    }

    /// The number of real tokens (packed rows).
    public var tokenCount: Int { words.count }

    /// The share of a padded `[B, T]` batch of the same sentences that would be padding.
    public var paddingShare: Double {
        1 - Double(tokenCount) / Double(lengths.count * lengths.max()!)
    }
}
