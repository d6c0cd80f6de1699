import Torchlet

/// A generator of part-of-speech-tagged sentences from a small English-like
/// grammar, reproducible from a seed.
///
/// The corpus is built to make three lessons measurable:
///
/// - **Context matters.** About a third of the tokens are ambiguous words
///   ("book", "watch", "saw", "can", "clean", "that", "to", "like", "so",
///   "after", …) whose tag depends on their neighbours: "the book" is NOUN,
///   "we book" is VERB. A most-frequent-tag-per-word baseline
///   (`MostFrequentTagBaseline`) scores about 86% on held-out sentences, while
///   `PreviousWordTagger`, which also looks at the previous word, scores about
///   97%. A few ambiguities ("after" as ADP or CONJ) are settled only by the
///   words that follow, which is where a bidirectional LSTM helps.
/// - **Lengths have a long tail.** Conjoined clauses, prepositional phrases and
///   relative clauses make most sentences 4–15 tokens long (median 8) and a
///   few up to `maxLength`, so padding a batch to its longest sentence wastes
///   real compute.
/// - **Some words are rare.** Words are drawn with Zipf weights, and about 2%
///   of noun, verb and adjective slots get an invented rare word with a telling
///   suffix ("dulation", "dulous", "dulize"), so about 1% of held-out tokens
///   are words the training split never saw.
///
/// Tags are a compact universal-style set, `SyntheticTaggingCorpus.tagSet`:
/// DET, ADJ, NOUN (proper nouns included), VERB (auxiliaries and modals
/// included), PRON (possessives and relative "that" included), ADP, ADV,
/// CONJ (coordinating and subordinating), PRT (infinitive "to"), NUM, PUNCT.
///
/// ```swift
/// let corpus = SyntheticTaggingCorpus()
/// let sentences = corpus.generate(count: 2_000, generator: Generator(seed: 0))
/// print(sentences[0])   // e.g. the/DET old/ADJ man/NOUN can/VERB fish/VERB ./PUNCT
/// ```
public struct SyntheticTaggingCorpus: Sendable {
    /// Every tag the corpus uses, in a fixed order.
    public static let tagSet = ["DET", "ADJ", "NOUN", "VERB", "PRON", "ADP", "ADV", "CONJ", "PRT", "NUM", "PUNCT"]

    /// The longest sentence generated, in tokens; longer draws are discarded and redrawn.
    public let maxLength: Int

    /// Creates a corpus generator.
    ///
    /// - Precondition: `maxLength >= 8`.
    public init(maxLength: Int = 60) {
        precondition(maxLength >= 8, "SyntheticTaggingCorpus: maxLength \(maxLength) must be at least 8")
        self.maxLength = maxLength
    }

    /// `count` sentences drawn from `generator`: the same seed gives the same corpus, bit for bit.
    public func generate(count: Int, generator: Generator) -> [TaggedSentence] {
        precondition(count >= 0, "SyntheticTaggingCorpus: count \(count) must not be negative")
        return (0..<count).map { _ in sentence(generator: generator) }
    }

    /// One sentence drawn from `generator`.
    public func sentence(generator: Generator) -> TaggedSentence {
        while true {
            var builder = SentenceBuilder(generator: generator)
            builder.sentence()
            if builder.words.count <= maxLength {
                return TaggedSentence(words: builder.words, tags: builder.tags)
            }
        }
    }
}

/// Writes one sentence of the grammar, word by word, with its tags.
///
/// Each method is one grammar rule. The probabilities were tuned by measuring
/// `MostFrequentTagBaseline` and `PreviousWordTagger` on held-out splits (see
/// DataTests): they set how often ambiguous words appear and in which role.
private struct SentenceBuilder {
    typealias Lexicon = SyntheticTaggingCorpus
    enum Number { case singular, plural, firstPerson }

    static let lemmas = WeightedChoice(zipf: Lexicon.ambiguousLemmas, exponent: 0.8)
    static let plainVerbs = WeightedChoice(zipf: Lexicon.plainVerbs, exponent: 1.0)
    static let adjectiveVerbs = WeightedChoice(zipf: Lexicon.adjectiveVerbs, exponent: 1.0)
    static let plainNouns = WeightedChoice(zipf: Lexicon.plainNouns, exponent: 1.0)
    static let places = WeightedChoice(zipf: Lexicon.places, exponent: 1.0)
    static let names = WeightedChoice(zipf: Lexicon.names, exponent: 1.0)
    static let adjectives = WeightedChoice(zipf: Lexicon.adjectives, exponent: 0.9)
    static let adverbs = WeightedChoice(zipf: Lexicon.adverbs, exponent: 0.8)
    static let subjects = WeightedChoice(
        zipf: [("i", Number.firstPerson), ("she", .singular), ("they", .plural), ("he", .singular),
               ("we", .plural), ("you", .plural), ("it", .singular)])
    static let objects = WeightedChoice(zipf: ["it", "them", "her", "him", "me", "us", "you"])

    /// How often a noun slot, a verb slot or an adjective slot picks an
    /// ambiguous word, and how often any slot picks a rare word.
    static let ambiguousNounRate = 0.95
    static let ambiguousVerbRate = 0.9
    static let adjectiveVerbRate = 0.15
    static let rareRate = 0.025

    let generator: Generator
    var words: [String] = []
    var tags: [String] = []

    init(generator: Generator) { self.generator = generator }

    private func chance(_ p: Double) -> Bool { Course.chance(p, generator) }
    private mutating func emit(_ word: String, _ tag: String) {
        words.append(word)
        tags.append(tag)
    }

    // MARK: Word choice

    /// An invented rare word: a random stem and a suffix of its class.
    func rareWord(_ suffixes: [String]) -> String {
        let stems = Lexicon.rareStems
        return stems[generator.nextInt(below: stems.count)] + suffixes[generator.nextInt(below: suffixes.count)]
    }

    func noun() -> Lexicon.Noun {
        if chance(Self.rareRate) {
            let word = rareWord(Lexicon.rareNounSuffixes)
            return Lexicon.Noun(singular: word, plural: word.hasSuffix("ss") ? word + "es" : word + "s")
        }
        return chance(Self.ambiguousNounRate) ? Self.lemmas.draw(generator).noun : Self.plainNouns.draw(generator)
    }

    func verb() -> Lexicon.Verb {
        if chance(Self.rareRate) {
            let stem = rareWord(["iz"])
            return Lexicon.Verb(base: stem + "e", third: stem + "es", past: stem + "ed", kind: .transitive)
        }
        if chance(Self.adjectiveVerbRate) { return Self.adjectiveVerbs.draw(generator) }
        return chance(Self.ambiguousVerbRate) ? Self.lemmas.draw(generator).verb : Self.plainVerbs.draw(generator)
    }

    /// A verb that can follow "to" in "want to …": not another wanting or saying verb.
    func actionVerb() -> Lexicon.Verb {
        while true {
            let v = verb()
            if v.kind != .wanting && v.kind != .saying { return v }
        }
    }

    func adjective() -> String {
        chance(Self.rareRate) ? rareWord(Lexicon.rareAdjectiveSuffixes) : Self.adjectives.draw(generator)
    }

    func name() -> String {
        Self.names.draw(generator)
    }

    func be(_ number: Number) -> String {
        switch (number, chance(0.5)) {
        case (.firstPerson, true): return "am"
        case (.singular, true): return "is"
        case (.plural, true): return "are"
        case (.plural, false): return "were"
        default: return "was"
        }
    }

    // MARK: Rules

    mutating func sentence() {
        let r = unitDouble(generator)
        if r < 0.1 {
            // Imperative: "book a table for two ."
            var verb = verb()
            while verb.kind != .transitive { verb = self.verb() }
            emit(verb.base, "VERB")
            complement(of: verb, depth: 1)
            emit(chance(0.8) ? "." : "!", "PUNCT")
        } else if r < 0.2 {
            question()
        } else {
            if chance(0.1) {
                if chance(0.5) { emit(Self.adverbs.draw(generator), "ADV") } else { prepositionalPhrase(depth: 2) }
                emit(",", "PUNCT")
            }
            clause(depth: 0)
            var clauses = 1
            while clauses < 6 && chance(0.33) {
                if chance(0.3) { emit(",", "PUNCT") }
                emit(Lexicon.conjunctions.draw(generator), "CONJ")
                clause(depth: 0)
                clauses += 1
            }
            emit(".", "PUNCT")
        }
    }

    /// "can you fish ?", "did they book the table ?"
    mutating func question() {
        let (subject, number) = Self.subjects.draw(generator)
        if chance(0.5) {
            emit(Lexicon.modals.draw(generator), "VERB")
        } else {
            emit(chance(0.5) ? "did" : (number == .singular ? "does" : "do"), "VERB")
        }
        emit(subject, "PRON")
        let verb = actionVerb()
        emit(verb.base, "VERB")
        complement(of: verb, depth: 1)
        emit("?", "PUNCT")
    }

    /// A subject and its predicate: "the old man can fish".
    mutating func clause(depth: Int) {
        if chance(0.05) {
            // Existential: "there was a duck in the park".
            emit("there", "PRON")
            let number: Number = chance(0.6) ? .singular : .plural
            emit(be(number), "VERB")
            nounPhrase(number: number, depth: depth + 1)
            prepositionalPhrase(depth: depth + 1)
            return
        }
        let number = subject(depth: depth)
        if chance(0.08) {
            // Copula: "the train was very fast".
            emit(be(number), "VERB")
            if chance(0.25) { emit(Lexicon.intensifiers.draw(generator), "ADV") }
            emit(adjective(), "ADJ")
            if chance(0.2) { prepositionalPhrase(depth: depth + 1) }
        } else {
            verbPhrase(number: number, depth: depth)
        }
    }

    /// A pronoun, a name or a noun phrase; returns its grammatical number.
    mutating func subject(depth: Int) -> Number {
        let r = unitDouble(generator)
        if r < 0.32 {
            let (pronoun, number) = Self.subjects.draw(generator)
            emit(pronoun, "PRON")
            return number
        } else if r < 0.42 {
            emit(name(), "NOUN")
            return .singular
        } else {
            let number: Number = chance(0.5) ? .singular : .plural
            nounPhrase(number: number, depth: depth)
            return number
        }
    }

    /// "the old book", "two ducks in the park that sleep".
    mutating func nounPhrase(number: Number, depth: Int, place: Bool = false) {
        let plural = number == .plural
        if plural {
            let r = unitDouble(generator)
            if r < 0.35 { emit(Lexicon.pluralDeterminers.draw(generator), "DET") }
            else if r < 0.48 { emit(Lexicon.possessives.draw(generator), "PRON") }
            else if r < 0.6 { emit(Lexicon.numbers.draw(generator), "NUM") }
            // else a bare plural: "dogs bark".
        } else if chance(0.8) {
            emit(Lexicon.singularDeterminers.draw(generator), "DET")
        } else {
            emit(Lexicon.possessives.draw(generator), "PRON")
        }
        if chance(0.22) {
            if chance(0.12) { emit(Lexicon.intensifiers.draw(generator), "ADV") }
            emit(adjective(), "ADJ")
            if chance(0.12) { emit(adjective(), "ADJ") }
        }
        let noun = place ? Self.places.draw(generator) : noun()
        emit(plural ? noun.plural : noun.singular, "NOUN")
        fixArticle()
        if depth < 2 && chance(0.08) { prepositionalPhrase(depth: depth + 1) }
        if depth < 2 && chance(0.12) {
            emit(chance(0.7) ? "that" : "which", "PRON")
            verbPhrase(number: number, depth: depth + 1)
        }
    }

    /// Turns "a" into "an" when the word after it starts with a vowel.
    mutating func fixArticle() {
        guard let i = tags.lastIndex(of: "DET"), words[i] == "a", i + 1 < words.count,
              let first = words[i + 1].first, "aeiou".contains(first) else { return }
        words[i] = "an"
    }

    /// "in the old park".
    mutating func prepositionalPhrase(depth: Int) {
        emit(Lexicon.prepositions.draw(generator), "ADP")
        objectPhrase(depth: depth)
    }

    /// The object of a verb or preposition: a pronoun, a name or a noun phrase.
    mutating func objectPhrase(depth: Int) {
        let r = unitDouble(generator)
        if r < 0.15 {
            emit(Self.objects.draw(generator), "PRON")
        } else if r < 0.25 {
            emit(name(), "NOUN")
        } else {
            nounPhrase(number: chance(0.65) ? .singular : .plural, depth: depth)
        }
    }

    /// A verb in some tense with its complement: "did not book a table",
    /// sometimes with a second verb in the same tense: "cooks and eats the fish".
    mutating func verbPhrase(number: Number, depth: Int) {
        let verb = verb()
        let r = unitDouble(generator)
        if r < 0.08 {
            emit(verb.past, "VERB")
            if depth < 2 && chance(0.2) {
                let second = actionVerb()
                complement(of: verb, depth: depth + 1)
                emit(chance(0.8) ? "and" : "or", "CONJ")
                emit(second.past, "VERB")
                complement(of: second, depth: depth + 1)
                return
            }
        } else if r < 0.62 {
            emit(number == .singular ? verb.third : verb.base, "VERB")
            if depth < 2 && chance(0.2) {
                let second = actionVerb()
                complement(of: verb, depth: depth + 1)
                emit(chance(0.8) ? "and" : "or", "CONJ")
                emit(number == .singular ? second.third : second.base, "VERB")
                complement(of: second, depth: depth + 1)
                return
            }
        } else if r < 0.88 {
            emit(Lexicon.modals.draw(generator), "VERB")
            emit(verb.base, "VERB")
        } else {
            emit(chance(0.5) ? "did" : (number == .singular ? "does" : "do"), "VERB")
            emit("not", "ADV")
            emit(verb.base, "VERB")
        }
        complement(of: verb, depth: depth)
    }

    /// What follows a verb, by the verb's kind.
    mutating func complement(of verb: Lexicon.Verb, depth: Int) {
        switch verb.kind {
        case .transitive:
            objectPhrase(depth: depth + 1)
        case .intransitive:
            break
        case .motion:
            if chance(0.7) {
                emit(Lexicon.motionPrepositions.draw(generator), "ADP")
                nounPhrase(number: chance(0.8) ? .singular : .plural, depth: depth + 1, place: true)
            } else if chance(0.5) {
                emit(chance(0.5) ? "home" : "there", "ADV")
            }
        case .saying:
            if depth < 2 {
                if chance(0.7) { emit("that", "CONJ") }
                clause(depth: depth + 1)
            } else {
                objectPhrase(depth: depth + 1)
            }
        case .wanting:
            emit("to", "PRT")
            let action = actionVerb()
            emit(action.base, "VERB")
            complement(of: action, depth: depth + 1)
        }
        if chance(0.2) { emit(Self.adverbs.draw(generator), "ADV") }
        if depth < 2 && chance(0.1) { prepositionalPhrase(depth: depth + 1) }
    }
}
