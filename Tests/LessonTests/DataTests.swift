import Foundation
import Testing
import Torchlet
@testable import Course

// Tests of the course's data sets (Sources/Course/Data): the toy set, the
// synthetic tagging corpus and its baselines, synthetic reviews, the adding
// problem and the readers for user files.

@Suite("Data") struct DataTests {

    // MARK: Toy set and vocabulary

    @Test func toySetMatchesTheTamingLSTMsPost() {
        let s = ToyTaggingData.sentences
        #expect(s.map(\.words) == [["is", "it", "too", "late", "now", "say", "sorry"], ["ooh", "ooh"], ["sorry", "yeah"]])
        #expect(s.map(\.tags) == [["VB", "PRP", "RB", "JJ", "RB", "VB", "JJ"], ["NNP", "NNP"], ["JJ", "NNP"]])
        // The post's index tables: <PAD> = 0, then words in order of appearance.
        let words = ToyTaggingData.wordVocabulary
        #expect(words.count == 10)
        #expect(s.map { words.indices(of: $0.words) } == [[1, 2, 3, 4, 5, 6, 7], [8, 8], [7, 9]])
        #expect(ToyTaggingData.tagVocabulary.words == ["<pad>", "VB", "PRP", "RB", "JJ", "NNP"])
    }

    @Test func vocabularyMapsBothWaysAndFallsBackToUnknown() {
        let vocab = Vocabulary(corpus: [["the", "dog"], ["the", "cat"]])
        #expect(vocab.words == ["<pad>", "<unk>", "the", "dog", "cat"])
        #expect(vocab.padIndex == 0 && vocab.unknownIndex == 1)
        #expect(vocab.index(of: "dog") == 3)
        #expect(vocab.index(of: "zebra") == 1)
        #expect(vocab.word(at: 4) == "cat")
        #expect(vocab.words(at: vocab.indices(of: ["the", "cat"])) == ["the", "cat"])
        let frequent = Vocabulary(corpus: [["the", "dog"], ["the", "cat"]], minFrequency: 2)
        #expect(frequent.words == ["<pad>", "<unk>", "the"])
        let tags = Vocabulary(corpus: [["DET", "NOUN"]], specials: [])
        #expect(tags.count == 2 && tags.padIndex == nil && tags.index(of: "NOUN") == 1)
    }

    // MARK: Synthetic tagging corpus

    @Test func sameSeedGivesTheSameCorpusAndAnotherSeedDoesNot() {
        let corpus = SyntheticTaggingCorpus()
        let a = corpus.generate(count: 300, generator: Generator(seed: 42))
        let b = corpus.generate(count: 300, generator: Generator(seed: 42))
        let c = corpus.generate(count: 300, generator: Generator(seed: 43))
        #expect(a == b)
        #expect(a != c)
    }

    @Test func corpusIsWellFormed() {
        let corpus = SyntheticTaggingCorpus()
        let sentences = corpus.generate(count: 2_000, generator: Generator(seed: 0))
        let tagSet = Set(SyntheticTaggingCorpus.tagSet)
        for s in sentences {
            #expect(s.count >= 2 && s.count <= corpus.maxLength)
            #expect(s.tags.allSatisfy(tagSet.contains))
            #expect(s.tags.last == "PUNCT")
        }
        let used = Set(sentences.flatMap(\.tags))
        #expect(used == tagSet, "every tag is used")
        let vocabulary = Set(sentences.flatMap(\.words))
        #expect(vocabulary.count >= 200 && vocabulary.count <= 700, "vocabulary size \(vocabulary.count)")
    }

    /// Splits a seed's corpus into 2,000 training and 500 held-out sentences.
    func split(seed: UInt64) -> (train: [TaggedSentence], heldOut: [TaggedSentence]) {
        let all = SyntheticTaggingCorpus().generate(count: 2_500, generator: Generator(seed: seed))
        return (Array(all[..<2_000]), Array(all[2_000...]))
    }

    @Test(arguments: [UInt64(0), 1, 2])
    func contextBeatsTheMostFrequentTagBaseline(seed: UInt64) {
        let (train, heldOut) = split(seed: seed)
        let baseline = MostFrequentTagBaseline(training: train).accuracy(on: heldOut)
        let previousWord = PreviousWordTagger(training: train).accuracy(on: heldOut)
        #expect(baseline >= 0.75 && baseline <= 0.90, "baseline held-out accuracy \(baseline)")
        #expect(previousWord >= 0.95, "previous-word tagger held-out accuracy \(previousWord)")
    }

    @Test func heldOutSplitHasUnseenWords() {
        let (train, heldOut) = split(seed: 0)
        let seen = Set(train.flatMap(\.words))
        let tokens = heldOut.flatMap(\.words)
        let unseen = tokens.filter { !seen.contains($0) }.count
        #expect(unseen >= 10, "\(unseen) unseen tokens out of \(tokens.count)")
        #expect(Double(unseen) / Double(tokens.count) < 0.03)
    }

    @Test func sentenceLengthsHaveALongTail() {
        let lengths = SyntheticTaggingCorpus().generate(count: 2_000, generator: Generator(seed: 0)).map(\.count).sorted()
        let median = lengths[lengths.count / 2]
        let typical = lengths.filter { (4...15).contains($0) }.count
        #expect(median <= 12, "median \(median)")
        #expect(lengths.last! >= 30, "max \(lengths.last!)")
        #expect(Double(typical) / Double(lengths.count) >= 0.6, "\(typical) of \(lengths.count) sentences have 4-15 tokens")
    }

    /// The corpus is a function of its seed (a lesson's numbers depend on
    /// it); how long generating takes is the lessons' timing, not a test's.
    @Test func generatedSentencesDependOnlyOnTheSeed() {
        let corpus = SyntheticTaggingCorpus()
        let first = corpus.generate(count: 5_000, generator: Generator(seed: 3))
        #expect(first.count == 5_000)
        #expect(corpus.generate(count: 5_000, generator: Generator(seed: 3)) == first)
        #expect(corpus.generate(count: 5_000, generator: Generator(seed: 4)) != first)
    }

    @Test func baselinePredictsEachWordsMostFrequentTag() {
        let train = [
            TaggedSentence(words: ["the", "book"], tags: ["DET", "NOUN"]),
            TaggedSentence(words: ["we", "book", "it"], tags: ["PRON", "VERB", "PRON"]),
            TaggedSentence(words: ["a", "book"], tags: ["DET", "NOUN"]),
        ]
        let baseline = MostFrequentTagBaseline(training: train)
        #expect(baseline.defaultTag == "DET")  // DET, NOUN and PRON tie at 2; DET was seen first.
        #expect(baseline.predict(["we", "book", "zebra"]) == ["PRON", "NOUN", "DET"])
        #expect(baseline.accuracy(on: [train[1]]) == 2.0 / 3.0)
        #expect(PreviousWordTagger(training: train).predict(["we", "book", "it"]) == ["PRON", "VERB", "PRON"])
    }

    // MARK: Synthetic reviews

    /// Reads a review the way its generator means it: the last opinion word
    /// decides, flipped by a "not" earlier in the same clause.
    func ruleLabel(_ text: [String]) -> String? {
        let positive = Set(SyntheticReviews.positiveAdjectives + SyntheticReviews.positiveVerbs.flatMap { [$0.base, $0.past] })
        let negative = Set(SyntheticReviews.negativeAdjectives + SyntheticReviews.negativeVerbs.flatMap { [$0.base, $0.past] })
        var label: String? = nil
        var negated = false
        for word in text {
            if [",", ".", "but", "and"].contains(word) { negated = false }
            if word == "not" { negated = true }
            if positive.contains(word) { label = negated ? "neg" : "pos" }
            if negative.contains(word) { label = negated ? "pos" : "neg" }
        }
        return label
    }

    @Test func reviewsFollowTheirRuleAndBeatBagOfWords() {
        let reviews = SyntheticReviews()
        let train = reviews.generate(count: 2_000, generator: Generator(seed: 0))
        let heldOut = reviews.generate(count: 500, generator: Generator(seed: 1))
        #expect(train == reviews.generate(count: 2_000, generator: Generator(seed: 0)))
        #expect(train.allSatisfy { ruleLabel($0.text) == $0.label }, "the order-aware rule is always right")
        let positives = train.filter { $0.label == "pos" }.count
        #expect(positives > 900 && positives < 1_100)
        // Naive Bayes on word counts: the bag-of-words baseline.
        var counts: [String: [String: Double]] = ["pos": [:], "neg": [:]]
        var totals: [String: Double] = ["pos": 0, "neg": 0]
        for r in train { for w in r.text { counts[r.label]![w, default: 0] += 1; totals[r.label]! += 1 } }
        let vocabularySize = Double(Set(train.flatMap(\.text)).count)
        func score(_ text: [String], _ label: String) -> Double {
            text.reduce(0) { $0 + log((counts[label]![$1, default: 0] + 1) / (totals[label]! + vocabularySize)) }
        }
        let correct = heldOut.filter { (score($0.text, "pos") > score($0.text, "neg") ? "pos" : "neg") == $0.label }.count
        let accuracy = Double(correct) / Double(heldOut.count)
        #expect(accuracy > 0.55 && accuracy < 0.85, "bag-of-words accuracy \(accuracy)")
    }

    // MARK: Adding problem

    @Test func addingProblemTargetIsTheSumOfTheMarkedValues() {
        let g = Generator(seed: 0)
        for length in [2, 3, 10, 50] {
            for _ in 0..<50 {
                let s = AddingProblem.sample(length: length, generator: g)
                #expect(s.values.count == length && s.markers.count == length)
                #expect(s.values.allSatisfy { $0 >= 0 && $0 < 1 })
                let marked = s.markers.indices.filter { s.markers[$0] == 1 }
                #expect(marked.count == 2 && s.markers.filter { $0 == 0 }.count == length - 2)
                #expect(marked[0] < length / 2 && marked[1] >= length / 2)
                #expect(abs(s.target - (s.values[marked[0]] + s.values[marked[1]])) < 1e-6)
            }
        }
        let (inputs, targets) = AddingProblem.batch(size: 4, length: 7, generator: Generator(seed: 1))
        #expect(inputs.count == 4 * 7 * 2 && targets.count == 4)
        for b in 0..<4 {
            let sum = (0..<7).reduce(Float(0)) { $0 + inputs[(b * 7 + $1) * 2] * inputs[(b * 7 + $1) * 2 + 1] }
            #expect(abs(sum - targets[b]) < 1e-6)
        }
    }

    // MARK: Readers

    /// The description of the `DataFileError` that `body` throws, or `nil`.
    func errorDescription(_ body: () throws -> Any) -> String? {
        do { _ = try body(); return nil } catch let error as DataFileError { return error.description } catch { return "\(error)" }
    }

    @Test func conlluReaderKeepsFormAndUPOS() throws {
        let text = """
            # sent_id = 1
            # text = The dog can't swim.
            1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_
            2\tdog\tdog\tNOUN\tNN\t_\t4\tnsubj\t_\t_
            3-4\tcan't\t_\t_\t_\t_\t_\t_\t_\t_
            3\tca\tcan\tAUX\tMD\t_\t5\taux\t_\t_
            4\tn't\tnot\tPART\tRB\t_\t5\tadvmod\t_\t_
            4.1\tis\tbe\tAUX\t_\t_\t_\t_\t_\t_
            5\tswim\tswim\tVERB\tVB\t_\t0\troot\t_\t_
            6\t.\t.\tPUNCT\t.\t_\t5\tpunct\t_\t_


            1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_\r
            """
        let sentences = try CoNLLUReader.parse(text: text, fileName: "data.conllu")
        #expect(sentences.map(\.words) == [["The", "dog", "ca", "n't", "swim", "."], ["Hi"]])
        #expect(sentences[0].tags == ["DET", "NOUN", "AUX", "PART", "VERB", "PUNCT"])
        #expect(sentences[1].tags == ["INTJ"])
    }

    @Test func conlluErrorsNameFileLineAndExpectation() {
        let good = "1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_\n"
        #expect(errorDescription { try CoNLLUReader.parse(text: good + "2\tdog\tNOUN", fileName: "data.conllu") }
            == "data.conllu:2: expected 10 tab-separated columns, got 3")
        #expect(errorDescription { try CoNLLUReader.parse(text: "# c\n" + good.replacingOccurrences(of: "DET", with: "_"), fileName: "a.conllu") }
            == "a.conllu:2: expected a UPOS tag in column 4, got '_'")
        #expect(errorDescription { try CoNLLUReader.parse(text: good + good, fileName: "b.conllu") }?
            .hasPrefix("b.conllu:2: expected word ID 2, got 1") == true)
        #expect(errorDescription { try CoNLLUReader.parse(text: "x" + good, fileName: "c.conllu") }?
            .hasPrefix("c.conllu:1: expected a word ID in column 1") == true)
        #expect(errorDescription { try CoNLLUReader.read(path: "/nonexistent/train.conllu") }
            == "/nonexistent/train.conllu: no such file")
    }

    @Test func labeledTextReaderSplitsLabelAndTokens() throws {
        let examples = try LabeledTextReader.parse(text: "pos\tA wonderful film, really!\n\nneg\tNot good.\r\n")
        #expect(examples == [
            LabeledText(label: "pos", text: ["a", "wonderful", "film", ",", "really", "!"]),
            LabeledText(label: "neg", text: ["not", "good", "."]),
        ])
        #expect(errorDescription { try LabeledTextReader.parse(text: "pos\tgood\nneg bad\n", fileName: "reviews.tsv") }
            == "reviews.tsv:2: expected 'label<TAB>text', found no tab")
        #expect(errorDescription { try LabeledTextReader.parse(text: "\tgood", fileName: "r.tsv") }
            == "r.tsv:1: expected a label before the tab")
        #expect(errorDescription { try LabeledTextReader.parse(text: "pos\t  ", fileName: "r.tsv") }
            == "r.tsv:1: expected text after the tab")
    }

    @Test func plainTextReaderTokenizesAndReadsFiles() throws {
        #expect(PlainTextReader.tokenize("Don't stop, Anna! A well-known 3.5-star film.")
            == ["don't", "stop", ",", "anna", "!", "a", "well-known", "3", ".", "5-star", "film", "."])
        #expect(try PlainTextReader.parse(text: "Hello world.\n\nBye\n") == ["hello", "world", ".", "<eos>", "bye", "<eos>"])
        #expect(try PlainTextReader.parse(text: "a b", endOfLine: nil) == ["a", "b"])
        #expect(errorDescription { try PlainTextReader.parse(text: " \n", fileName: "empty.txt") }
            == "empty.txt: the file has only whitespace; expected plain text")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("data-tests-\(UUID().uuidString).txt")
        try "One line".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try PlainTextReader.read(path: url.path) == ["one", "line", "<eos>"])
    }
}
