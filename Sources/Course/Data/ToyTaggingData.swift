/// The three-sentence toy tagging set of William Falcon's "Taming LSTMs:
/// variable-sized mini-batches and why PyTorch is good for your health".
///
/// Three sentences of lengths 7, 2 and 2 are the smallest example that shows
/// why padding, masking and packing are needed. The tags are Penn Treebank tags.
///
/// ```swift
/// ToyTaggingData.sentences[1]        // ooh/NNP ooh/NNP
/// ToyTaggingData.wordVocabulary.index(of: "ooh")   // 8, as in the post
/// ```
public enum ToyTaggingData {
    /// The three sentences, in the order of the post.
    public static let sentences: [TaggedSentence] = [
        TaggedSentence(
            words: ["is", "it", "too", "late", "now", "say", "sorry"],
            tags: ["VB", "PRP", "RB", "JJ", "RB", "VB", "JJ"]),
        TaggedSentence(words: ["ooh", "ooh"], tags: ["NNP", "NNP"]),
        TaggedSentence(words: ["sorry", "yeah"], tags: ["JJ", "NNP"]),
    ]

    /// The post's word vocabulary: `<pad>` = 0, then `is` = 1 … `yeah` = 9.
    public static let wordVocabulary = Vocabulary(
        corpus: sentences.map(\.words), specials: [Vocabulary.padToken])

    /// The post's tag vocabulary: `<pad>` = 0, then `VB` = 1, `PRP` = 2,
    /// `RB` = 3, `JJ` = 4, `NNP` = 5.
    public static let tagVocabulary = Vocabulary(
        corpus: sentences.map(\.tags), specials: [Vocabulary.padToken])
}
