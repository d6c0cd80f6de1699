/// A sentence whose every word carries a part-of-speech tag.
///
/// This is the unit of every tagging data set in the course: the toy set, the
/// synthetic corpus and CoNLL-U files all produce `[TaggedSentence]`.
///
/// ```swift
/// let s = TaggedSentence(words: ["the", "dog", "ate"], tags: ["DET", "NOUN", "VERB"])
/// s.count   // 3
/// ```
public struct TaggedSentence: Hashable, Sendable, CustomStringConvertible {
    /// The words (tokens), in order.
    public var words: [String]
    /// One tag per word, aligned with `words`.
    public var tags: [String]

    /// Creates a sentence from aligned words and tags.
    ///
    /// - Precondition: `words.count == tags.count`.
    public init(words: [String], tags: [String]) {
        precondition(
            words.count == tags.count,
            "TaggedSentence: \(words.count) words but \(tags.count) tags")
        self.words = words
        self.tags = tags
    }

    /// The number of words.
    public var count: Int { words.count }

    /// The sentence as `word/TAG word/TAG …`, the way tagged text is often printed.
    public var description: String {
        zip(words, tags).map { "\($0)/\($1)" }.joined(separator: " ")
    }
}
