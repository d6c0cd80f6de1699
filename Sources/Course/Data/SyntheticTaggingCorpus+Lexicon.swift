/// The word lists of `SyntheticTaggingCorpus`: every word the grammar can say.
///
/// Lists are ordered from common to rare and drawn with Zipf weights. The
/// ambiguous lemmas are the point of the corpus: "book" is drawn both for noun
/// slots ("the book", NOUN) and verb slots ("we book", VERB) from the same
/// list, so each such word is used in both roles about equally often and only
/// context can tell them apart. A separate tier of rare words, built with
/// telling suffixes (-tion, -ous, -ize, …), gives held-out splits unseen words
/// that character features can still recognize.
extension SyntheticTaggingCorpus {
    /// What a verb takes after it.
    enum VerbKind: Sendable {
        /// An object: "she *paints* the fence".
        case transitive
        /// Nothing, or an adverb: "the baby *sleeps*".
        case intransitive
        /// A destination: "we *walk* to the park".
        case motion
        /// A clause: "he *said* that the train was late".
        case saying
        /// An infinitive: "they *want* to play".
        case wanting
    }

    /// A verb's base ("book"), third person singular ("books") and past ("booked") forms.
    struct Verb: Sendable {
        let base: String, third: String, past: String, kind: VerbKind
    }

    /// A noun's singular and plural forms.
    struct Noun: Sendable {
        let singular: String, plural: String
    }

    /// A word that is both a noun and a verb.
    struct Lemma: Sendable {
        let noun: Noun, verb: Verb
        init(_ singular: String, _ plural: String, _ base: String, _ third: String, _ past: String, _ kind: VerbKind) {
            noun = Noun(singular: singular, plural: plural)
            verb = Verb(base: base, third: third, past: past, kind: kind)
        }
    }

    /// Noun–verb lemmas, common first. "saw" is the noun and the past of "see".
    static let ambiguousLemmas: [Lemma] = [
        Lemma("book", "books", "book", "books", "booked", .transitive),
        Lemma("watch", "watches", "watch", "watches", "watched", .transitive),
        Lemma("play", "plays", "play", "plays", "played", .transitive),
        Lemma("fish", "fish", "fish", "fishes", "fished", .intransitive),
        Lemma("walk", "walks", "walk", "walks", "walked", .motion),
        Lemma("saw", "saws", "see", "sees", "saw", .transitive),
        Lemma("train", "trains", "train", "trains", "trained", .intransitive),
        Lemma("light", "lights", "light", "lights", "lit", .transitive),
        Lemma("run", "runs", "run", "runs", "ran", .motion),
        Lemma("park", "parks", "park", "parks", "parked", .transitive),
        Lemma("love", "loves", "love", "loves", "loved", .transitive),
        Lemma("fly", "flies", "fly", "flies", "flew", .motion),
        Lemma("drink", "drinks", "drink", "drinks", "drank", .transitive),
        Lemma("duck", "ducks", "duck", "ducks", "ducked", .intransitive),
        Lemma("call", "calls", "call", "calls", "called", .transitive),
        Lemma("plan", "plans", "plan", "plans", "planned", .wanting),
        Lemma("cook", "cooks", "cook", "cooks", "cooked", .transitive),
        Lemma("ride", "rides", "ride", "rides", "rode", .motion),
        Lemma("visit", "visits", "visit", "visits", "visited", .transitive),
        Lemma("dance", "dances", "dance", "dances", "danced", .intransitive),
        Lemma("paint", "paints", "paint", "paints", "painted", .transitive),
        Lemma("help", "helps", "help", "helps", "helped", .transitive),
        Lemma("plant", "plants", "plant", "plants", "planted", .transitive),
        Lemma("smile", "smiles", "smile", "smiles", "smiled", .intransitive),
        Lemma("hope", "hopes", "hope", "hopes", "hoped", .wanting),
        Lemma("answer", "answers", "answer", "answers", "answered", .transitive),
        Lemma("shop", "shops", "shop", "shops", "shopped", .intransitive),
        Lemma("drive", "drives", "drive", "drives", "drove", .motion),
        Lemma("dream", "dreams", "dream", "dreams", "dreamed", .intransitive),
        Lemma("need", "needs", "need", "needs", "needed", .wanting),
    ]

    /// Verbs that are only verbs.
    static let plainVerbs: [Verb] = [
        Verb(base: "like", third: "likes", past: "liked", kind: .transitive),
        Verb(base: "want", third: "wants", past: "wanted", kind: .wanting),
        Verb(base: "go", third: "goes", past: "went", kind: .motion),
        Verb(base: "say", third: "says", past: "said", kind: .saying),
        Verb(base: "find", third: "finds", past: "found", kind: .transitive),
        Verb(base: "eat", third: "eats", past: "ate", kind: .transitive),
        Verb(base: "think", third: "thinks", past: "thought", kind: .saying),
        Verb(base: "sleep", third: "sleeps", past: "slept", kind: .intransitive),
        Verb(base: "take", third: "takes", past: "took", kind: .transitive),
        Verb(base: "come", third: "comes", past: "came", kind: .motion),
        Verb(base: "know", third: "knows", past: "knew", kind: .saying),
        Verb(base: "buy", third: "buys", past: "bought", kind: .transitive),
        Verb(base: "try", third: "tries", past: "tried", kind: .wanting),
        Verb(base: "read", third: "reads", past: "read", kind: .transitive),
        Verb(base: "bring", third: "brings", past: "brought", kind: .transitive),
        Verb(base: "sit", third: "sits", past: "sat", kind: .intransitive),
        Verb(base: "believe", third: "believes", past: "believed", kind: .saying),
        Verb(base: "carry", third: "carries", past: "carried", kind: .transitive),
        Verb(base: "wait", third: "waits", past: "waited", kind: .intransitive),
        Verb(base: "decide", third: "decides", past: "decided", kind: .wanting),
        Verb(base: "swim", third: "swims", past: "swam", kind: .intransitive),
        Verb(base: "forget", third: "forgets", past: "forgot", kind: .saying),
        Verb(base: "laugh", third: "laughs", past: "laughed", kind: .intransitive),
        Verb(base: "wash", third: "washes", past: "washed", kind: .transitive),
    ]

    /// Adjective–verb words: "the clean cup" (ADJ) versus "we clean the cup" (VERB).
    static let adjectiveVerbs: [Verb] = [
        Verb(base: "clean", third: "cleans", past: "cleaned", kind: .transitive),
        Verb(base: "open", third: "opens", past: "opened", kind: .transitive),
        Verb(base: "empty", third: "empties", past: "emptied", kind: .transitive),
        Verb(base: "warm", third: "warms", past: "warmed", kind: .transitive),
        Verb(base: "dry", third: "dries", past: "dried", kind: .transitive),
        Verb(base: "calm", third: "calms", past: "calmed", kind: .transitive),
    ]

    /// Nouns that are only nouns.
    static let plainNouns: [Noun] = [
        ("dog", "dogs"), ("man", "men"), ("woman", "women"), ("child", "children"), ("cat", "cats"),
        ("teacher", "teachers"), ("car", "cars"), ("friend", "friends"), ("student", "students"),
        ("bird", "birds"), ("table", "tables"), ("letter", "letters"), ("girl", "girls"), ("boy", "boys"),
        ("song", "songs"), ("tree", "trees"), ("doctor", "doctors"), ("apple", "apples"), ("game", "games"),
        ("sister", "sisters"), ("bag", "bags"), ("ball", "balls"), ("movie", "movies"), ("horse", "horses"),
        ("story", "stories"), ("cake", "cakes"), ("ticket", "tickets"), ("key", "keys"),
    ].map { Noun(singular: $0.0, plural: $0.1) }

    /// Places, the objects of motion verbs ("went to the station").
    static let places: [Noun] = [
        ("park", "parks"), ("station", "stations"), ("school", "schools"), ("river", "rivers"),
        ("city", "cities"), ("shop", "shops"), ("garden", "gardens"), ("lake", "lakes"),
        ("market", "markets"), ("house", "houses"), ("village", "villages"), ("beach", "beaches"),
        ("forest", "forests"), ("museum", "museums"), ("bridge", "bridges"), ("island", "islands"),
    ].map { Noun(singular: $0.0, plural: $0.1) }

    /// People's names, tagged NOUN as in the universal tagset.
    static let names: [String] = [
        "anna", "tom", "maria", "sam", "lucy", "ben", "emma", "jack", "nina", "leo",
        "sofia", "omar", "grace", "david", "mia", "hugo", "ravi", "chloe",
    ]

    /// Adjectives; the adjective–verbs and "fast", "late", "early", "hard"
    /// (also ADV) and "light" (also NOUN, VERB) are ambiguous.
    static let adjectives: [String] = [
        "big", "old", "small", "new", "red", "happy", "clean", "good", "young", "long",
        "fast", "cold", "open", "late", "tall", "quiet", "warm", "empty", "dark", "hard",
        "early", "busy", "light", "dry", "tired", "calm", "heavy", "sad", "strange", "loud",
    ]

    /// Adverbs that can end a verb phrase; some are also adjectives.
    static let adverbs: [String] = [
        "again", "today", "fast", "quickly", "late", "slowly", "together", "early",
        "yesterday", "hard", "often", "well", "now", "carefully",
    ]

    /// Stems of invented rare words. An invented word is a stem plus a suffix
    /// that tells its class ("dulation" NOUN, "dulous" ADJ, "dulize" VERB), as
    /// open-class words do in real text. There are hundreds of them and each
    /// is drawn seldom, so a held-out split contains words the training split
    /// never saw, and character features can still tag them.
    static let rareStems: [String] = [
        "bram", "cor", "dul", "fen", "gar", "hol", "jas", "kel", "lum", "mor",
        "nad", "pel", "quor", "ras", "sil", "tov", "vend", "wex", "zar", "brin",
    ].flatMap { root in ["a", "e", "i", "o", "u"].map { root + $0 } }
    static let rareNounSuffixes = ["tion", "ness", "ment"]
    static let rareAdjectiveSuffixes = ["ous", "ful", "ish"]

    static let singularDeterminers = WeightedChoice(zipf: ["the", "a", "this", "that", "every", "no", "each"])
    static let pluralDeterminers = WeightedChoice(zipf: ["the", "some", "these", "those", "many", "all"])
    /// Possessive pronouns (PRON in the universal tagset).
    static let possessives = WeightedChoice(zipf: ["my", "his", "her", "their", "our", "your"])
    static let numbers = WeightedChoice(zipf: ["two", "three", "five", "ten", "four", "six", "twenty", "100", "12"])
    /// Prepositions of modifying phrases; "like" is also a VERB, "after",
    /// "before", "until" and "since" are also CONJ.
    static let prepositions = WeightedChoice(
        zipf: ["in", "with", "like", "after", "near", "on", "at", "before", "from", "behind", "for", "until", "under", "by", "since"])
    static let motionPrepositions = WeightedChoice(zipf: ["to", "into", "across", "toward", "past"])
    static let modals = WeightedChoice(zipf: ["can", "will", "should", "must", "could", "would", "might"])
    /// Degree adverbs before an adjective; "so" is also CONJ.
    static let intensifiers = WeightedChoice(zipf: ["very", "so", "really", "quite", "too"])
    /// Conjunctions between clauses; "so" is also ADV, and "after", "before",
    /// "until" and "since" are also ADP: only the words after them tell.
    static let conjunctions = WeightedChoice(
        zipf: ["and", "but", "so", "after", "because", "before", "when", "while", "until", "or", "since"])
}
