/// The simplest tagger worth beating: each word gets the tag it had most
/// often in training, and unknown words get the most frequent tag overall.
///
/// It ignores context, so its errors are exactly the ambiguous words used in
/// their rarer role ("we *book*" tagged NOUN) and unseen words that are not of
/// the most frequent tag. A sequence model that does not beat it has not
/// learned anything from context.
///
/// Ties are broken by the tag seen first in training, so the result is
/// deterministic.
///
/// ```swift
/// let baseline = MostFrequentTagBaseline(training: train)
/// baseline.predict(["the", "book"])   // ["DET", "NOUN"]
/// baseline.accuracy(on: heldOut)      // about 0.86 on the synthetic corpus
/// ```
public struct MostFrequentTagBaseline: Sendable {
    /// Each training word's most frequent tag.
    public let tagOfWord: [String: String]
    /// The most frequent tag in training, used for unknown words.
    public let defaultTag: String

    /// Counts tags per word in `training`.
    ///
    /// - Precondition: `training` has at least one word.
    public init(training: [TaggedSentence]) {
        var counts: [String: [String: Int]] = [:]
        var tagCounts: [String: Int] = [:]
        var firstSeen: [String: Int] = [:]
        for sentence in training {
            for (word, tag) in zip(sentence.words, sentence.tags) {
                counts[word, default: [:]][tag, default: 0] += 1
                tagCounts[tag, default: 0] += 1
                if firstSeen[tag] == nil { firstSeen[tag] = firstSeen.count }
            }
        }
        precondition(!tagCounts.isEmpty, "MostFrequentTagBaseline: the training set has no words")
        func best(_ c: [String: Int]) -> String {
            c.max { a, b in a.value != b.value ? a.value < b.value : firstSeen[a.key]! > firstSeen[b.key]! }!.key
        }
        tagOfWord = counts.mapValues(best)
        defaultTag = best(tagCounts)
    }

    /// One tag per word of `words`.
    public func predict(_ words: [String]) -> [String] {
        words.map { tagOfWord[$0] ?? defaultTag }
    }

    /// The share of tokens in `sentences` whose predicted tag is right, in [0, 1].
    ///
    /// Returns 0 when `sentences` has no tokens.
    public func accuracy(on sentences: [TaggedSentence]) -> Double {
        tokenAccuracy(sentences) { predict($0.words) }
    }
}

/// The share of tokens whose predicted tag equals the gold tag, over all
/// sentences, counting only the tokens whose word `counts` (every token by
/// default); 0 when no token counts.
///
/// - Precondition: `predict` returns one tag per word.
public func tokenAccuracy(
    _ sentences: [TaggedSentence], counting counts: (String) -> Bool = { _ in true },
    predict: (TaggedSentence) -> [String]
) -> Double {
    var correct = 0, total = 0
    for sentence in sentences {
        let predicted = predict(sentence)
        precondition(predicted.count == sentence.count,
                     "tokenAccuracy: \(predicted.count) predicted tags for \(sentence.count) words")
        for (word, (guess, gold)) in zip(sentence.words, zip(predicted, sentence.tags)) where counts(word) {
            total += 1
            if guess == gold { correct += 1 }
        }
    }
    return total == 0 ? 0 : Double(correct) / Double(total)
}

/// The words that had more than one tag in `training`: the ones whose tag only the context decides.
///
/// ```swift
/// ambiguousWords(in: train)   // ["book", "can", "that", "watch", …]
/// ```
public func ambiguousWords(in training: [TaggedSentence]) -> Set<String> {
    var tagsOfWord: [String: Set<String>] = [:]
    for sentence in training {
        for (word, tag) in zip(sentence.words, sentence.tags) { tagsOfWord[word, default: []].insert(tag) }
    }
    return Set(tagsOfWord.filter { $0.value.count > 1 }.keys)
}
