import Torchlet

/// A minibatch of tagged sentences as padded index arrays, ready for a
/// batched tagger and a loss that ignores padding.
///
/// ```
/// words   [B, T]  word ids, padded with the vocabulary's pad index
/// tags    [B, T]  tag ids, padded with `ignoreIndex` (never a real tag)
/// lengths [B]     the real length of each sentence
/// ```
/// Both arrays are row-major with batch first, the layout
/// `SequenceTagger(words:batchSize:)` and `crossEntropy(…, ignoreIndex:)`
/// after flattening expect.
public struct TaggingBatch: Sendable {
    public let words: [Int]
    public let tags: [Int]
    public let lengths: [Int]
    /// The padded length `T` (the longest sentence in the batch).
    public let maxLength: Int
    /// The tag id that marks padding positions in `tags`.
    public let ignoreIndex: Int

    /// Pads `sentences` to the longest one.
    ///
    /// - Precondition: `words` has a pad token and `sentences` is not empty.
    public init(_ sentences: [TaggedSentence], words: Vocabulary, tags: Vocabulary, ignoreIndex: Int = -100) {
        precondition(!sentences.isEmpty, "TaggingBatch: no sentences")
        guard let pad = words.padIndex else {
            preconditionFailure("TaggingBatch: the word vocabulary has no \(Vocabulary.padToken) token")
        }
        let padded = padSequence(sentences.map { words.indices(of: $0.words) }, batchFirst: true, paddingValue: pad)
        let paddedTags = padSequence(sentences.map { tags.indices(of: $0.tags) }, batchFirst: true, paddingValue: ignoreIndex)
        self.words = padded.padded
        self.tags = paddedTags.padded
        self.maxLength = padded.shape[1]
        self.lengths = sentences.map(\.count)
        self.ignoreIndex = ignoreIndex
    }

    /// The number of sentences, `B`.
    public var batchSize: Int { lengths.count }

    /// The number of real (not padding) tokens.
    public var tokenCount: Int { lengths.reduce(0, +) }

    /// The share of the padded `[B, T]` positions that are padding.
    public var paddingShare: Double {
        1 - Double(tokenCount) / Double(batchSize * maxLength)
    }
}
