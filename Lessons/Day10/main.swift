/*:
 # Day 10 — The capstone: a tagger worth keeping

 Nine days built the pieces: batches, masks, packing, a bidirectional
 LSTM, good initialization, clipping and schedules. Today they come
 together in one part-of-speech tagger, and four questions a practitioner
 asks before trusting it get measured answers:

 - **Why bucket?** Batches of sentences of similar length waste less
   work, if the batches stay random.
 - **How can a model read a word it never saw?** A word's characters,
   through a small convolution, say "-tion is a noun" even for a word
   that was not in training.
 - **Which settings are best?** A small random search, chosen on the
   validation set, with the test set used once at the very end.
 - **Which tags does it get wrong?** Accuracy is one number; per-tag
   precision, recall and F1 and a confusion heat map show where the
   errors are.
 - **Does reading plain text help?** Day 8's language model learned word
   vectors without a single tag; a tagger with few labels starts from
   them, fine-tuned or frozen.

 Then the chosen tagger is saved with its vocabularies, ready to tag new
 text.

 Run it with `swift run day10` (`--help` lists the options; `--data
 FILE.conllu` trains on your own CoNLL-U treebank, and `--test-data
 FILE.conllu` tests once on a separate file, such as a treebank's own
 test split). It saves the tagger it chose to `output/day10/tagger/`,
 and `swift run day10 --tag` then tags the sentences you type or pipe
 in, one per line. Your exercises live in
 `Lessons/Day10/Exercises.swift`.
 */
import Course
import Foundation
import Solutions
import Torchlet

let lesson = Lesson.start(
    day: 10, about: "capstone: bucketing, character features, random search, per-tag F1",
    seed: 10, epochs: 4, data: "a CoNLL-U file (word forms and UPOS tags)", takesTestData: true, dataEpochs: 8,
    flags: [
        LessonFlag("--tag", help: "tag standard input with a saved tagger (one sentence per line), print word/TAG"),
        LessonFlag("--model", valueName: "DIR", help: "the saved tagger's folder (default output/day10/tagger)"),
        LessonFlag("--embeddings", valueName: "PATH", help: "word vectors in the GloVe text format (default: Day 8's)"),
    ])
let modelFolder = lesson.options.value(of: "--model") ?? lesson.outputFolder.path(of: "tagger")

/// Tags standard input with the tagger saved in `folder` and exits: each
/// line is one sentence, split into words by `tokenize`, and printed back
/// as `word/TAG word/TAG …` (an empty line stays empty).
func tagStandardInput(with folder: String) -> Never {
    let tagger: SavedTagger
    do { tagger = try SavedTagger.load(from: folder) } catch {
        FileHandle.standardError.write(Data("day10: \(error)\n".utf8))
        exit(1)
    }
    while let line = readLine() {
        let words = tokenize(line)
        print(zip(words, tagger.tag([words])[0]).map { "\($0)/\($1)" }.joined(separator: " "))
    }
    exit(0)
}
if lesson.options.isSet("--tag") {
    if lesson.options.dataPath != nil || lesson.options.isSet("--embeddings") {
        lesson.refuse("--tag tags text with a saved tagger; --data and --embeddings are for training one")
    }
    tagStandardInput(with: modelFolder)
}
if let problem = SavedTagger.problemSaving(to: modelFolder) {
    lesson.refuse("--model \(modelFolder): \(problem)")  // before training, not after
}
let generator = Generator(seed: lesson.options.seed)

/*:
 ## What is the data?

 By default, the synthetic corpus of Days 1–5: sentences from a small
 English-like grammar with ambiguous words and, in about 2% of noun,
 verb and adjective slots, an invented rare word with a telling suffix
 ("dulation", "brimous", "quenize"). So about 1% of the tokens of new
 sentences are words training never saw: rare, but exactly where a
 tagger that only knows its vocabulary fails. The validation and test
 sets are large (1,000 and 1,500 sentences) to hold enough of them to
 measure.

 With `--data FILE.conllu` it is your treebank, shuffled with the seed
 and split 80/10/10; with `--test-data FILE.conllu` as well, the test
 sentences come from that file and `--data`'s are split 90/10 into
 training and validation. A real treebank is harder than the synthetic
 corpus, so with `--data` every model trains 8 epochs unless `--epochs`
 says otherwise. Either way the word vocabulary keeps only words
 seen at least twice in training: the once-seen words read as `<unk>`,
 so the `<unk>` embedding is trained on words the model barely knows,
 which is what every unseen word will look like.
 */
/// The sentences of the CoNLL-U file at `path`; stops the lesson with the reader's message (file and line) on a bad file.
func readTreebank(_ path: String) -> [TaggedSentence] {
    do { return try CoNLLUReader.read(path: path) } catch {
        print("day10: \(error)")
        exit(1)
    }
}
let train: [TaggedSentence], validation: [TaggedSentence], test: [TaggedSentence]
if let path = lesson.options.dataPath {
    let all = readTreebank(path)
    let separateTest = lesson.options.testDataPath.map(readTreebank)
    guard all.count >= 30 else {
        print("day10: \(path) has \(all.count) sentences; at least 30 are needed (10% each for validation and test)")
        exit(1)
    }
    let shuffled = generator.permutation(all.count).map { all[$0] }
    if let separateTest {
        let trainEnd = all.count * 9 / 10
        (train, validation, test) = (Array(shuffled[..<trainEnd]), Array(shuffled[trainEnd...]), separateTest)
    } else {
        let (trainEnd, validationEnd) = (all.count * 8 / 10, all.count * 9 / 10)
        (train, validation, test) = (Array(shuffled[..<trainEnd]), Array(shuffled[trainEnd..<validationEnd]), Array(shuffled[validationEnd...]))
    }
} else {
    let corpus = SyntheticTaggingCorpus()
    train = corpus.generate(count: 2_000, generator: generator)
    validation = corpus.generate(count: 2_000, generator: generator)
    test = corpus.generate(count: 3_000, generator: Generator(seed: lesson.options.seed + 1_000))  // used once, at the end
}
let words = Vocabulary(corpus: train.map(\.words), minFrequency: 2)
let characters = Vocabulary(corpus: train.flatMap(\.words).map { $0.map { String($0) } })
let tags = Vocabulary(corpus: (train + validation + test).map(\.tags), specials: [])
let trainingWords = Set(train.flatMap(\.words))
func unseenShare(_ sentences: [TaggedSentence]) -> Double {
    let tokens = sentences.flatMap(\.words)
    return Double(tokens.filter { !trainingWords.contains($0) }.count) / Double(tokens.count)
}
print("\(train.count) training, \(validation.count) validation, \(test.count) test sentences; \(tags.count) tags")
print("vocabulary: \(words.count - 2) words seen twice or more (of \(trainingWords.count) in training) and \(characters.count - 2) characters, each plus <pad> and <unk>")
print("tokens never seen in training: validation \(percent(unseenShare(validation), 2)), test \(percent(unseenShare(test), 2))")

/*:
 ## Why bucket?

 Day 3 measured it: a batch is as long as its longest sentence, and with
 random batches a third or more of the padded rectangle is padding. Sorting
 the whole training set by length removes nearly all of it, but then
 every epoch sees the same batches, short sentences together and long
 ones together, in the same order — the gradient is no longer a random
 sample. *Bucketing* keeps both: shuffle, cut the shuffled list into
 buckets of (say) 50 batches, sort only within each bucket, cut it into
 batches, and shuffle the batches. Each batch holds neighbours in length,
 and which sentences meet changes every epoch. That is exercise 10.1
 (torchtext's `BucketIterator`, Torchlet's `BucketBatchSampler`).

 Packing (Day 4) already keeps padding out of the LSTM's arithmetic,
 but a packed batch still takes one step per position of its longest
 sentence, and a random batch nearly always holds one long sentence; the
 table counts those steps too.

 **Predict, then run.** Batches of 32, buckets of 50 batches. How much
 of a random batch is padding, and how much of a bucketed one?

 <details><summary>Answer</summary>

 Random: about two thirds (the lengths have a long tail, and a batch of
 32 nearly always holds a long sentence); bucketed: under 10%. A bucket
 of 1,600 sentences covers the length distribution so densely that a
 batch of 32 neighbours spans one or two lengths.
 </details>
 */
let batchSize = 32, bucketSize = 50 * batchSize
let trainLengths = train.map(\.count)
/// One epoch of random batches of the first `count` training sentences (all of them by default).
func randomBatches(_ g: Generator, count: Int = train.count) -> [[Int]] {
    let order = g.permutation(count)
    return stride(from: 0, to: order.count, by: batchSize).map { Array(order[$0..<min($0 + batchSize, order.count)]) }
}
func bucketedEpoch(_ g: Generator) -> [[Int]] {
    exercise("10.1", "length-bucketed batches", student: {
        try bucketedBatches(lengths: trainLengths, batchSize: batchSize, bucketSize: bucketSize, generator: g)
    }, reference: {
        Solutions.Day10.bucketedBatches(lengths: trainLengths, batchSize: batchSize, bucketSize: bucketSize, generator: g)
    }, unusable: { Unusable.batches($0, count: trainLengths.count, batchSize: batchSize) })
}
let random = BucketBatchSampler.padding(of: randomBatches(Generator(seed: lesson.options.seed + 1)), lengths: trainLengths)
let bucketed = BucketBatchSampler.padding(of: bucketedEpoch(Generator(seed: lesson.options.seed + 1)), lengths: trainLengths)
print("one epoch of batches of \(batchSize):   padding   LSTM steps")
print("  random                      " + percent(random.share).leftPadded(7) + String(random.steps).leftPadded(13))
print("  bucketed (buckets of \(bucketSize))  " + percent(bucketed.share).leftPadded(7) + String(bucketed.steps).leftPadded(13))

/*:
 The model of the whole lesson is `CharacterTagger` (in `Course`): word
 embeddings, optionally joined by character features (next section), a
 bidirectional LSTM over *packed* sentences, and a linear layer. A
 `PackedTaggingBatch` packs each batch and lists, for every packed row,
 its word, characters and tag, so the loss needs no mask: there are no
 padding rows at all. Training is Adam with gradient clipping at norm 5.

 What does the padding cost in time? Below, one training epoch with each
 kind of batch, from the same starting weights (the faster of two runs
 each): the words-only packed tagger, and Day 3's one-directional tagger
 on *padded* batches, which computes every padding position.
 */
func batch(_ sentences: [TaggedSentence]) -> PackedTaggingBatch {
    PackedTaggingBatch(sentences, words: words, tags: tags, characters: characters)
}

/// Trains `model` for one epoch on `batches` of training positions; returns the mean loss per token.
@discardableResult
func trainEpoch(_ model: CharacterTagger, _ optimizer: Adam, batches: [[Int]]) -> Double {
    model.train()
    var total = 0.0, tokens = 0
    for positions in batches {
        let b = batch(positions.map { train[$0] })
        optimizer.zeroGrad()
        let loss = crossEntropy(model(b), targets: b.tags)
        loss.backward()
        clipGradNorm(model.parameters(), maxNorm: 5)
        optimizer.step()
        total += Double(loss.item) * Double(b.tokenCount)
        tokens += b.tokenCount
    }
    return total / Double(tokens)
}

/// One padded training epoch of Day 3's tagger (one direction, so trailing padding is safe to mask).
func trainPaddedEpoch(_ model: SequenceTagger, _ optimizer: Adam, batches: [[Int]]) {
    for positions in batches {
        let b = TaggingBatch(positions.map { train[$0] }, words: words, tags: tags)
        optimizer.zeroGrad()
        let loss = crossEntropy(model(words: b.words, batchSize: b.batchSize).reshaped(to: [-1, tags.count]),
                                targets: b.tags, ignoreIndex: b.ignoreIndex)
        loss.backward()
        optimizer.step()
    }
}

func wordsOnlyModel(embeddingDim: Int = 32, hiddenSize: Int = 64, dropout: Float = 0, seed: UInt64) -> CharacterTagger {
    CharacterTagger(vocabularySize: words.count, characterCount: characters.count, tagCount: tags.count,
                    embeddingDim: embeddingDim, characterFilters: 0, hiddenSize: hiddenSize, dropout: dropout, generator: Generator(seed: seed))
}
/// The faster of two timed epochs on the batches `batches` draws.
func epochSeconds(packed: Bool, _ batches: (Generator) -> [[Int]]) -> Double {
    (0..<2).map { _ in
        let epoch = batches(Generator(seed: lesson.options.seed + 2))
        if packed {
            let model = wordsOnlyModel(seed: lesson.options.seed)
            let optimizer = Adam(model.parameters(), learningRate: 0.01)
            return Stopwatch.time { trainEpoch(model, optimizer, batches: epoch) }.seconds
        }
        let model = SequenceTagger(vocabularySize: words.count, tagCount: tags.count, embeddingDim: 32, hiddenSize: 64,
                                   generator: Generator(seed: lesson.options.seed))
        let optimizer = Adam(model.parameters(), learningRate: 0.01)
        return Stopwatch.time { trainPaddedEpoch(model, optimizer, batches: epoch) }.seconds
    }.min()!
}
print("one training epoch          random   bucketed")
var epochTimes: [String: (random: Double, bucketed: Double)] = [:]
for (name, packed) in [("packed BiLSTM", true), ("padded LSTM (Day 3)", false)] {
    let times = (epochSeconds(packed: packed, { randomBatches($0) }), epochSeconds(packed: packed, bucketedEpoch))
    epochTimes[name] = times
    print("  " + name.padding(toLength: 22, withPad: " ", startingAt: 0) + "\(format(times.0, 2)) s".leftPadded(9)
          + "\(format(times.1, 2)) s".leftPadded(11) + "   (\(format(times.0 / times.1, 1))×)")
}

/*:
 The padded model pays for every padding position, and bucketing cuts
 its epoch by about the share of padding it removes. The packed model
 never computed the padding, so there bucketing buys little time here:
 its saving is the extra steps (each one small matrix product per
 direction), and Torchlet's packed LSTM makes a step with few live rows
 cheap. Bucketing is still worth it for a packed model: it costs nothing,
 and every per-batch cost that grows with the longest sentence (a
 padded layer before or after the LSTM, an attention over positions, a
 GPU kernel launched per step) shrinks with it. From here on, every
 model trains on bucketed batches.

 ## How can a model read a word it never saw?

 A word the vocabulary lacks is `<unk>`: one vector for every unknown
 word, whatever it looks like. The context still helps ("the ___ ran"
 wants a noun), but the word itself says more: "-tion", "-ness" and
 "-ment" make nouns, "-ous" and "-ful" adjectives, "-ize" verbs. A
 *character CNN* (Ma & Hovy, 2016) reads it:

 ```
 chars of N words [N, W] ─ Embedding ─ [N, W, C] ─ transposed ─ [N, C, W]
     ─ Conv1d (k = 3, padding 1) ─ [N, F, W] ─ max over each word's real characters ─ [N, F]
 ```

 Each filter of the convolution is a detector of a 3-character pattern;
 the max over the word's positions says whether the pattern occurs
 anywhere in it. The `F` features join the word's embedding before the
 LSTM. The max must skip the padding positions: next to a short word's
 last character the convolution still sees real characters, so a padding
 position holds a real-looking value that can win. Exercise 10.2 writes
 the features with that mask (Torchlet's `maskedMax`, PyTorch's
 `masked_fill(mask == 0, -inf).max(dim)`).
 */
let demo = CharacterTagger(vocabularySize: words.count, characterCount: characters.count, tagCount: tags.count,
                           generator: Generator(seed: lesson.options.seed))
/// Three words to show: a short, a middle and a long one (from your data with `--data`).
let demoWords: [String] = {
    guard lesson.options.dataPath != nil else { return ["the", "book", "dulation"] }
    let byLength = trainingWords.sorted { ($0.count, $0) < ($1.count, $1) }
    return [byLength.first!, byLength[byLength.count / 2], byLength.last!]
}()
let demoChars = demoWords.map { characters.indices(of: $0.map { String($0) }) }
let studentFeatures = exercise("10.2", "character features with a masked max", student: {
    try characterFeatures(chars: demoChars, embedding: demo.characterEmbedding!, conv: demo.conv!)
}, reference: {
    Solutions.Day10.characterFeatures(chars: demoChars, embedding: demo.characterEmbedding!, conv: demo.conv!)
}, unusable: { Unusable.shape($0, [demoChars.count, demo.conv!.outChannels], "the features") })
let libraryFeatures = CharacterTagger.maskedMaxFeatures(chars: demoChars, embedding: demo.characterEmbedding!, conv: demo.conv!)
noteDifference("10.2", Double(zip(studentFeatures.scalars, libraryFeatures.scalars).map { abs($0 - $1) }.max()!),
               what: "the features of \(demoWords)")
let unmasked = withNoGrad {
    let (ids, shape) = padSequence(demoChars, batchFirst: true, paddingValue: 0)
    return demo.conv!(demo.characterEmbedding!(ids, shape: shape).transposed(1, 2)).max(dim: 2)
}
/// `word` cut to 8 characters (with "…" when cut) and padded to 9, for a column.
func column(_ word: String) -> String {
    (word.count > 8 ? word.prefix(7) + "…" : word).padding(toLength: 9, withPad: " ", startingAt: 0)
}
print("character features of \(demoWords.map(column).map { $0.trimmingCharacters(in: .whitespaces) }): shape \(studentFeatures.shape)")
for (i, word) in demoWords.enumerated() {
    let filters = studentFeatures.shape[1]
    let row = (0..<filters).map { studentFeatures.scalars[i * filters + $0] }
    let wrong = (0..<filters).filter { studentFeatures.scalars[i * filters + $0] != unmasked.scalars[i * filters + $0] }.count
    print("  " + column(word) + "first 4: \(row.prefix(4).map { format($0, 3) }.joined(separator: " "))   "
          + "a max over padding too changes \(wrong) of \(filters)")
}

/*:
 The longest word has no padding, so its features are the same either
 way; for the shorter ones, an unmasked max lets the padding win some
 of the filters.

 All the models below have these character features (they are the
 default of `CharacterTagger`); a words-only twin, trained after the
 search, shows what they buy.
 */
struct Evaluation {
    var accuracy: Double
    var unseenAccuracy: Double
    var unseenCount: Int
    var confusion: ConfusionMatrix
}

/// Accuracy on all tokens and on tokens never seen in training, and the confusion matrix, of `model` on `sentences`.
func evaluate(_ model: CharacterTagger, on sentences: [TaggedSentence]) -> Evaluation {
    model.eval()
    defer { model.train() }
    var confusion = ConfusionMatrix(labels: tags.words)
    var unseen = 0, unseenRight = 0
    withNoGrad {
        for start in stride(from: 0, to: sentences.count, by: 128) {
            let b = batch(Array(sentences[start..<min(start + 128, sentences.count)]))
            for (row, predicted) in model(b).argmax(dim: 1).enumerated() {
                confusion.add(gold: b.tags[row], predicted: predicted)
                if !trainingWords.contains(b.tokens[row]) {
                    unseen += 1
                    if predicted == b.tags[row] { unseenRight += 1 }
                }
            }
        }
    }
    return Evaluation(accuracy: confusion.accuracy, unseenAccuracy: unseen == 0 ? .nan : Double(unseenRight) / Double(unseen),
                      unseenCount: unseen, confusion: confusion)
}

/// Trains `model` with Adam for the lesson's epochs on bucketed batches (the same batches for every model), showing progress.
func fit(_ model: CharacterTagger, learningRate: Float, label: String) {
    let optimizer = Adam(model.parameters(), learningRate: learningRate)
    let order = Generator(seed: lesson.options.seed + 3)
    let progress = ProgressLine("\(label): epoch", total: lesson.options.epochs)
    for epoch in 1...lesson.options.epochs {
        let loss = trainEpoch(model, optimizer, batches: bucketedEpoch(order))
        progress.update(Double(epoch), ["loss": loss])
    }
    progress.finish()
}

/*:
 ## Which settings are best?

 The hidden size, the dropout rate and the learning rate are guesses
 until measured. A *random search* (Bergstra & Bengio, 2012) draws each
 trial's settings at random — the learning rate log-uniformly, since
 0.001 vs. 0.002 matters as much as 0.01 vs. 0.02 — trains a model, and
 keeps the one with the best *validation* accuracy. Random beats a grid
 of the same size when only some settings matter: a grid tries few
 values of each, random trials try a new value of every setting every
 time. Three trials is a small search, to keep the lesson quick; raise
 it and the epochs for a real one.

 The test set plays no part in the choice. Choosing by test accuracy
 would make the test score the maximum of several noisy scores, an
 optimistic number for the model you keep; so the search picks on
 validation and then, once, measures the chosen model on test. That is
 exercise 10.4.
 */
let trials = 3
let searchGenerator = Generator(seed: lesson.options.seed + 4)
var trialModels: [CharacterTagger] = []
var chosenTest: Evaluation?, chosenModel: CharacterTagger?

/// One trial of the search: a character tagger trained with `point` (kept in `trialModels`); returns its validation accuracy.
func trainTrial(_ point: Hyperparameters) -> Double {
    let trialNumber = trialModels.count + 1
    let model = CharacterTagger(vocabularySize: words.count, characterCount: characters.count, tagCount: tags.count,
                                hiddenSize: point.hiddenSize, dropout: point.dropout,
                                generator: Generator(seed: lesson.options.seed + UInt64(trialNumber)),
                                characterFeatures: { chars, embedding, conv in
        exercise("10.2", "character features with a masked max", student: {
            try characterFeatures(chars: chars, embedding: embedding, conv: conv)
        }, reference: {
            Solutions.Day10.characterFeatures(chars: chars, embedding: embedding, conv: conv)
        }, unusable: { Unusable.shape($0, [chars.count, conv.outChannels], "the features") })
    })
    fit(model, learningRate: point.learningRate, label: "trial \(trialNumber)")
    let accuracy = evaluate(model, on: validation).accuracy
    print("  trial \(trialNumber): \(point)   validation \(percent(accuracy, 2))")
    trialModels.append(model)
    return accuracy
}

/// The use of the test set: the accuracy of the model of `trial` (from 0; its other scores are kept for the tables below).
func testOnce(_ trial: Int) -> Double {
    guard trialModels.indices.contains(trial) else {
        print("exercise 10.4 called test(\(trial)): there is no such trial (0..<\(trialModels.count))")
        return .nan
    }
    let model = trialModels[trial]
    chosenModel = model
    chosenTest = evaluate(model, on: test)
    return chosenTest!.accuracy
}
let search = exercise("10.4", "random search, selected on validation", student: {
    try randomSearch(trials: trials, sample: { Hyperparameters.sample(generator: searchGenerator) }, train: trainTrial, test: testOnce)
}, reference: {
    Solutions.Day10.randomSearch(trials: trials, sample: { Hyperparameters.sample(generator: searchGenerator) }, train: trainTrial, test: testOnce)
}, unusable: { _ in
    guard chosenTest == nil else { return nil }
    trialModels.removeAll()  // the reference numbers its own trials from 0
    return "no test(trial) of a trial that exists"
})
let chosen = chosenTest!
print("chosen on validation: \(search.best); test accuracy \(percent(chosen.accuracy, 2)) (the test set's one use for it)")

/*:
 ## What did the characters buy?

 The words-only twin of the chosen model: the same settings, the same
 batches, no character features. Both are compared on validation, and
 the twin is then measured on the test set once, as the chosen model
 was. Nothing is chosen from these numbers: they say what the characters
 contribute, next to the most-frequent-tag baseline of Day 1.

 **Predict, then run.** Where will the two differ: on all words, or on
 the words never seen in training?

 <details><summary>Answer</summary>

 Mostly on the unseen ones. On known words both models have a trained
 embedding and the context, and both are near the ceiling. On a word
 never seen in training the words-only model has `<unk>` and the
 context; the character model also reads the suffix. The unseen words
 are about 1% of the tokens, so the difference in overall accuracy is
 small; on the unseen words it is the whole point.
 </details>
 */
let twin = wordsOnlyModel(hiddenSize: search.best.hiddenSize, dropout: search.best.dropout, seed: lesson.options.seed + 99)
fit(twin, learningRate: search.best.learningRate, label: "words-only twin")
let chosenModelValidation = search.validationAccuracies.max()!
let twinValidation = evaluate(twin, on: validation)
let twinTest = evaluate(twin, on: test)
let baseline = MostFrequentTagBaseline(training: train).accuracy(on: test)
print("                                 validation        test         test, unseen words (\(chosen.unseenCount))")
print("  chosen model, words + chars     " + percent(chosenModelValidation, 2).leftPadded(7) + percent(chosen.accuracy, 2).leftPadded(13)
      + percent(chosen.unseenAccuracy).leftPadded(14))
print("  words-only twin                 " + percent(twinValidation.accuracy, 2).leftPadded(7) + percent(twinTest.accuracy, 2).leftPadded(13)
      + percent(twinTest.unseenAccuracy).leftPadded(14))
print("  most frequent tag per word      " + "".leftPadded(7) + percent(baseline, 2).leftPadded(13))

/*:
 In a sentence, a bidirectional LSTM sees both neighbours of an unseen
 word, and on this corpus they nearly always settle its tag ("the ___
 ran": a noun); the two models differ on a handful of the unseen tokens
 above, which is within the noise of one run. Take the context away and
 the difference is the whole story: each distinct unseen word of the
 test set, tagged *alone*, as a one-word sentence, against the tag it
 has most often in the test set. The words-only model sees `<unk>` and
 nothing else, so it must give every such word the same tag; the
 character model reads the word.
 */
var unseenTagCounts: [String: [String: Int]] = [:]
for sentence in test {
    for (word, tag) in zip(sentence.words, sentence.tags) where !trainingWords.contains(word) {
        unseenTagCounts[word, default: [:]][tag, default: 0] += 1
    }
}
let alone = unseenTagCounts.keys.sorted().map { word in
    TaggedSentence(words: [word], tags: [unseenTagCounts[word]!.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }!.key])
}
let chosenAlone = alone.isEmpty ? .nan : evaluate(chosenModel!, on: alone).accuracy
let twinAlone = alone.isEmpty ? .nan : evaluate(twin, on: alone).accuracy
if alone.isEmpty {
    print("every word of the test set was seen in training: there is nothing to tag alone")
} else {
    print("\(alone.count) distinct unseen test words, each tagged alone: chosen model \(percent(chosenAlone)), words-only twin \(percent(twinAlone))")
    print("  e.g. " + alone.prefix(6).map { "\($0.words[0])/\($0.tags[0])" }.joined(separator: " "))
}

/*:
 ## Which tags does it get wrong?

 Accuracy counts every token alike, so it is mostly the frequent tags'
 score. Per tag, two questions: of the tokens the model tagged NOUN,
 how many are nouns (*precision*), and of the nouns, how many did it tag
 NOUN (*recall*)? F1 is their harmonic mean, low when either is low. All
 three come from the *confusion matrix*: row = the gold tag, column =
 the predicted one. Precision reads a column, recall a row (exercise
 10.3). The *macro* average weighs every tag alike, so a rare tag done
 badly shows; the *micro* average pools all tokens, and for one tag per
 token it is exactly the accuracy: every error is one false positive
 (for the tag predicted) and one false negative (for the gold tag).
 */
let confusion = chosen.confusion
let studentScores = exercise("10.3", "per-tag precision, recall and F1", student: {
    try perTagScores(confusion: confusion.counts)
}, reference: {
    Solutions.Day10.perTagScores(confusion: confusion.counts)
}, unusable: { $0.count == confusion.scores.count ? nil : "scores for \($0.count) tags, not \(confusion.scores.count)" })
noteDifference("10.3", zip(studentScores, confusion.scores).map { max(abs($0.f1 - $1.f1), abs($0.precision - $1.precision), abs($0.recall - $1.recall)) }.max()!,
               what: "the per-tag scores of the test confusion matrix")
print(confusion.scoresTable())
print("micro F1 \(format(confusion.microAverage.f1, 4)) = accuracy \(format(confusion.accuracy, 4))")
lesson.writeFigure(confusionHeatMapSVG(confusion, title: "Day 10: test confusion matrix, the chosen tagger (share of each gold row)"),
                   name: "confusion")

/*:
 The heat map shades each cell by the share of its row, so the diagonal
 reads as recall and every confusion stands out even for a rare tag. On
 the synthetic corpus the weakest tags are ADP, CONJ and PRT: "after" is
 ADP or CONJ and "to" ADP or PRT depending on the words that follow, the
 corpus's deliberate ambiguities. On a real treebank (`--data`), look
 for NOUN vs. PROPN and ADJ, VERB vs. AUX, and ADP vs. SCONJ.

 ## Keeping the tagger

 A model's weights are useless without the vocabularies that turned its
 words into row numbers: row 17 of the embedding is "dog" only through
 the word list that made it 17. So the chosen tagger is saved as a
 folder, `SavedTagger`: the weights as safetensors (the format PyTorch's
 `state_dict()` saves to, with the same parameter names) with the layer
 sizes in its metadata, and the word, character and tag vocabularies as
 text files, one entry per line in index order. Loading builds the model
 from those sizes and refuses a folder whose files disagree, naming the
 file. `swift run day10 --tag` then reads sentences from standard input,
 one per line, splits punctuation off the words (`tokenize`), and prints
 `word/TAG`; `--model DIR` names another folder (for training too).
 */
let savedTagger = SavedTagger(model: chosenModel!, words: words, characters: characters, tags: tags)
do {
    try savedTagger.save(to: modelFolder)
    let reloaded = try SavedTagger.load(from: modelFolder)
    let sample = test.prefix(200).map(\.words)
    let (before, after) = (savedTagger.tag(sample).joined(), reloaded.tag(sample).joined())
    let agree = zip(before, after).filter { $0 == $1 }.count
    let shown = OutputFolder.displayPath(modelFolder)
    print("saved the chosen tagger to \(shown)/: tagger.safetensors, words.txt, characters.txt, tags.txt")
    print("loaded back, it tags the \(before.count) words of \(sample.count) test sentences: \(agree) tags the same as before saving")
    let line = validation[0].words.joined(separator: " ")
    let quoted = "'" + line.replacingOccurrences(of: "'", with: "'\\''") + "'"  // for the shell, quotes and all
    print("$ echo \(quoted) | swift run day10 --tag" + (lesson.options.value(of: "--model").map { " --model \($0)" } ?? ""))
    let words = tokenize(line)
    print(zip(words, reloaded.tag([words])[0]).map { "\($0)/\($1)" }.joined(separator: " "))
} catch {
    print("day10: could not save the tagger to \(modelFolder): \(error)")
    exit(1)
}

/*:
 ## Does the language model's reading help?

 Labels are expensive, plain text is not. Day 8's language model read
 its text without a single tag and wrote its embedding out as word
 vectors (`output/day8/embeddings.txt`, the GloVe text format). Can a
 tagger start from them? `PretrainedEmbeddings` reads the format (errors
 name the file and line), says how much of the vocabulary it covers, and
 copies the vectors it has into an `Embedding`, PyTorch's
 `nn.Embedding.from_pretrained`:

 ```swift
 let vectors = try PretrainedEmbeddings.read(path: "output/day8/embeddings.txt")
 print(vectors.coverage(of: words))                 // 313 of 350 words (89.4%)
 vectors.copy(into: model.embedding, vocabulary: words)
 model.embedding.weight.requiresGrad = false        // frozen; leave it true to fine-tune
 ```

 Pretraining matters most when labels are few, so the experiment gives a
 words-only tagger the tags of only the first 100 training sentences:
 its embedding starts random, or from the vectors and trained on (fine-
 tuned), or from the vectors and frozen. Words outside those 100
 sentences get no gradient at all, so their rows are whatever they
 started as: noise, or what the language model made of them. Three
 seeds each, 20 epochs, accuracy on validation. `--embeddings PATH`
 runs it with any GloVe-format file you have (the course downloads
 nothing).
 */
let labeledCount = min(100, train.count)
let vectorsPath = lesson.options.value(of: "--embeddings") ?? OutputFolder(day: 8).path(of: "embeddings.txt")
var transfer: [String: Double] = [:]  // mean validation accuracy, in %
if lesson.options.value(of: "--embeddings") == nil && !FileManager.default.fileExists(atPath: vectorsPath) {
    print("no word vectors: \(OutputFolder.displayPath(vectorsPath)) does not exist yet (swift run day8 writes it), "
          + "or give --embeddings PATH; skipping this experiment")
} else {
    let vectors: PretrainedEmbeddings
    do { vectors = try PretrainedEmbeddings.read(path: vectorsPath) } catch {
        print("day10: \(error)")
        exit(1)
    }
    let coverage = vectors.coverage(of: words, tokens: validation.flatMap(\.words))
    print("word vectors: \(OutputFolder.displayPath(vectorsPath)), \(vectors.words.count) words × \(vectors.dimension); "
          + "they cover \(coverage)")
    let labeled = Set(train.prefix(labeledCount).flatMap(\.words))
    print("the first \(labeledCount) training sentences hold \(labeled.count) distinct words; the vocabulary has \(words.count - 2)")
    print("tagger with \(labeledCount) labeled sentences    validation accuracy (3 seeds)")
    for (name, pretrained, frozen) in [("random embedding", false, false), ("vectors, fine-tuned", true, false),
                                       ("vectors, frozen", true, true)] {
        let accuracies = (0..<3).map { seed -> Double in
            let model = wordsOnlyModel(embeddingDim: vectors.dimension, seed: lesson.options.seed + 200 + UInt64(seed))
            if pretrained { vectors.copy(into: model.embedding, vocabulary: words) }
            model.embedding.weight.requiresGrad = !frozen
            let optimizer = Adam(model.parameters(), learningRate: 0.01)
            let order = Generator(seed: lesson.options.seed + 300 + UInt64(seed))
            for _ in 0..<20 { trainEpoch(model, optimizer, batches: randomBatches(order, count: labeledCount)) }
            return evaluate(model, on: validation).accuracy
        }
        let (mean, sd) = meanAndSpread(accuracies.map { 100 * $0 })
        transfer[name] = mean / 100
        let each = accuracies.map { percent($0) }.joined(separator: ", ")
        print("  " + name.padding(toLength: 27, withPad: " ", startingAt: 0) + "\(format(mean, 1)) ± \(format(sd, 1))%".leftPadded(14) + "   (\(each))")
    }
}

/*:
 With the tags of only 100 sentences, the language model's vectors,
 fine-tuned, beat a random start by about two and a half points, well
 outside the spread over seeds: what the model learned from untagged text
 carries over. Frozen, they do worse than a random start: vectors made
 to predict the next word are a starting point, and the tagger needs to
 adjust them. With all the labeled sentences (the taggers above) the
 difference would shrink, as every word then gets its own gradient; on a
 real treebank (`--data`), Day 8's synthetic vectors cover few words, and
 a file of your own (`--embeddings`) is the one to try.

 ## What is left?

 Today's measured answers: bucketing cut the padding of a random batch
 to a few percent and the padded model's epoch time with it (a packed
 model gains little time, having skipped the padding already); the
 character features changed little where the context settles the tag
 and a lot where it does not (the words alone); the search chose on
 validation and used the test set once; the per-tag table says where to
 look next; and the tagger is saved, ready for `swift run day10 --tag`.
 */
lesson.finish([
    "accuracy": chosen.accuracy,
    "baseline": baseline,
    "oov_accuracy": chosen.unseenAccuracy,
    "oov_accuracy_words_only": twinTest.unseenAccuracy,
    "oov_alone_accuracy": chosenAlone,
    "oov_alone_accuracy_words_only": twinAlone,
    "macro_f1": confusion.macroAverage.f1,
    "padding_random": random.share,
    "padding_bucketed": bucketed.share,
    "epoch_seconds_padded_random": epochTimes["padded LSTM (Day 3)"]!.random,
    "epoch_seconds_padded_bucketed": epochTimes["padded LSTM (Day 3)"]!.bucketed,
    "transfer_accuracy_random": transfer["random embedding"] ?? .nan,
    "transfer_accuracy_fine_tuned": transfer["vectors, fine-tuned"] ?? .nan,
    "transfer_accuracy_frozen": transfer["vectors, frozen"] ?? .nan,
])
