import Torchlet

/// A generator of short film reviews labelled "pos" or "neg", reproducible from a seed.
///
/// A review is a few opinion clauses ("the plot was not good") mixed with
/// neutral sentences ("i watched it with my brother ."). The rule that sets
/// the label is simple, but no bag of words can follow it:
///
/// - **The last opinion decides.** With a contrast ("the acting was great ,
///   but the plot was terrible"), the clause after "but" wins.
/// - **Negation flips.** "not good" is negative, "not bad" is positive.
/// - **Cues can be far from the end.** Neutral sentences often follow the
///   deciding opinion, so a model must carry it across many steps, and reading
///   the output at a padded position instead of the last valid one loses it.
///
/// Earlier opinions are random, so word counts alone are a weak guide: a
/// bag-of-words classifier scores well below an order-aware model, which can
/// reach 100%.
///
/// ```swift
/// let reviews = SyntheticReviews().generate(count: 1_000, generator: Generator(seed: 0))
/// print(reviews[0])   // e.g. neg	the music was great , but the ending was not good .
/// ```
public struct SyntheticReviews: Sendable {
    /// The two labels, negative first (index 0) like most sentiment data sets.
    public static let labels = ["neg", "pos"]

    public init() {}

    /// `count` reviews drawn from `generator`, about half of each label.
    public func generate(count: Int, generator: Generator) -> [LabeledText] {
        precondition(count >= 0, "SyntheticReviews: count \(count) must not be negative")
        return (0..<count).map { _ in review(generator: generator) }
    }

    /// One review drawn from `generator`.
    public func review(generator: Generator) -> LabeledText {
        let positive = chance(0.5, generator)
        var words: [String] = []
        func neutral() {
            words += Self.neutralSentences[generator.nextInt(below: Self.neutralSentences.count)]
        }
        if chance(0.4, generator) { neutral() }
        // Earlier opinions have random polarity; the last one carries the label.
        let opinions = chance(0.35, generator) ? 1 : (chance(0.7, generator) ? 2 : 3)
        var previous: Bool? = nil
        for k in 0..<opinions {
            let polarity = k == opinions - 1 ? positive : chance(0.5, generator)
            if let previous {
                if previous != polarity {
                    words += chance(0.6, generator) ? [",", "but"] : [".", "however", ","]
                } else {
                    words += chance(0.5, generator) ? ["and"] : [".", "also", ","]
                }
            }
            words += opinion(positive: polarity, generator: generator)
            previous = polarity
        }
        words.append(".")
        // Neutral sentences after the deciding opinion: the long-range part.
        let trailing = chance(0.5, generator) ? 0 : 1 + generator.nextInt(below: 4)
        for _ in 0..<trailing { neutral() }
        return LabeledText(label: positive ? "pos" : "neg", text: words)
    }

    /// One opinion clause whose meaning is `positive`, with or without negation.
    private func opinion(positive: Bool, generator: Generator) -> [String] {
        let negated = chance(0.35, generator)
        // "not" + a word of the opposite polarity keeps the meaning.
        let wordIsPositive = negated ? !positive : positive
        func pick(_ list: [String]) -> String { list[generator.nextInt(below: list.count)] }
        if chance(0.7, generator) {
            let subject = Self.aspects[generator.nextInt(below: Self.aspects.count)]
            var clause = subject + [pick(["was", "is"])]
            if negated { clause.append("not") }
            if chance(0.3, generator) { clause.append(pick(["really", "very", "truly"])) }
            clause.append(pick(wordIsPositive ? Self.positiveAdjectives : Self.negativeAdjectives))
            return clause
        } else {
            var clause = ["i"]
            if negated { clause += ["did", "not"] }
            let verbs = wordIsPositive ? Self.positiveVerbs : Self.negativeVerbs
            let verb = verbs[generator.nextInt(below: verbs.count)]
            clause.append(negated ? verb.base : verb.past)
            clause += pick(["it", "the film", "every minute"]).split(separator: " ").map(String.init)
            return clause
        }
    }

    static let aspects: [[String]] = [
        ["the", "acting"], ["the", "plot"], ["the", "music"], ["the", "ending"], ["the", "story"],
        ["the", "dialogue"], ["the", "cast"], ["the", "pacing"], ["the", "camera", "work"], ["the", "film"],
    ]
    static let positiveAdjectives = ["good", "great", "wonderful", "brilliant", "moving", "fun", "superb", "charming"]
    static let negativeAdjectives = ["bad", "terrible", "boring", "awful", "dull", "weak", "silly", "painful"]
    static let positiveVerbs: [(base: String, past: String)] = [("love", "loved"), ("enjoy", "enjoyed"), ("like", "liked")]
    static let negativeVerbs: [(base: String, past: String)] = [("hate", "hated"), ("regret", "regretted"), ("dislike", "disliked")]
    static let neutralSentences: [[String]] = [
        "i watched it on a sunday with my brother .",
        "we went to the cinema after dinner .",
        "the film is about a family in a small town .",
        "it runs for about two hours .",
        "the director made another film last year .",
        "i saw it in the afternoon .",
        "my friend had read the book first .",
        "it is set in a city by the sea .",
        "there were not many people in the room .",
        "the tickets were cheap on tuesday .",
        "it was my second time seeing it .",
        "the story follows two sisters and their father .",
    ].map { $0.split(separator: " ").map(String.init) }
}
