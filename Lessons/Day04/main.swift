/*:
 # Day 4 — Packing: let the LSTM skip the padding

 Yesterday every batch was padded to its longest sentence and the loss
 learned to ignore the padding. Two costs remain. The LSTM still *computes*
 every padded step, and with a long tail of lengths that is most of the
 work. And the final hidden state `h_n` is the state after the last padded
 step, not after the sentence's last word.

 Packing fixes both. A `PackedSequence` keeps only the real steps, laid out
 so that at step `t` the LSTM runs over just the sequences that are still
 going. Today: what packing does to the data (drawn as text), the batch
 sizes, `enforceSorted` and the sorted and unsorted indices, unpacking with
 `totalLength`, why `h_n` goes wrong over padding, where dropout goes, and
 two measurements: the time per epoch padded vs. packed, and the error of
 `h_n` against running every sentence on its own.

 Run it with `swift run day4` (`--help` lists the options). Your exercises
 live in `Lessons/Day04/Exercises.swift`.
 */
import Course
import Foundation
import Solutions
import Torchlet

let lesson = Lesson.start(
    day: 4, about: "packing: packPaddedSequence, padPackedSequence, sorted indices, batch sizes, total length",
    seed: 4, epochs: 4)
let generator = Generator(seed: lesson.options.seed)

/*:
 ## What does packing do to three sequences?

 Take three sequences of lengths 3, 4 and 5 — the example every packing
 tutorial starts from. `packSequence` (PyTorch's `pack_sequence`) sorts
 them longest first, then reads the padded batch *column by column*: the
 first step of every sequence, then the second step of every sequence that
 has one, and so on. The padding is never stored:
 */
let classic: [[Int]] = [[1, 2, 3], [1, 2, 3, 4], [1, 2, 3, 4, 5]]
let packedClassic = packSequence(classic, enforceSorted: false)
print(describe(packedClassic))
drawPacking(classic.map { $0.map(String.init) }, sortedIndices: packedClassic.sortedIndices,
            batchSizes: packedClassic.batchSizes)
let classicLongest = packedClassic.batchSizes.count
print("data has \(packedClassic.data.count) rows, one per real step; the padded batch "
      + "[\(classic.count), \(classicLongest)] has \(classic.count * classicLongest) cells")
lesson.writeFigure(packingDiagramSVG(lengths: [2, 6, 1, 6, 3]), name: "packing")

/*:
 These are the numbers PyTorch gives for the same call: data `[1, 1, 1,
 2, 2, 2, 3, 3, 3, 4, 4, 5]`, batch sizes `[3, 3, 3, 2, 1]`, sorted
 indices `[2, 1, 0]`.
 `data` has 12 rows — one per real step, none for padding — against 15
 cells in the padded `[3, 5]` batch. The same picture for five sequences
 of lengths `[2, 6, 1, 6, 3]`, drawn by the program:

 ![Padded to 5 × 6, 12 of 30 cells are padding; packed, the 18 real steps go step by step, longest sequence first with ties in their original order, and batchSizes is how many sequences the LSTM runs at each step](figures/packing.svg)

 ## Where do the batch sizes come from?

 `batchSizes[t]` is the number of sequences still running at step `t`,
 that is, the number of lengths greater than `t`. It is all an LSTM needs
 to walk packed data: at step `t` it takes the next `batchSizes[t]` rows,
 runs the cell on them together with the first `batchSizes[t]` rows of its
 state, and moves on. Because the batch is sorted longest first, the
 sequences that have ended are always the last rows, and they simply drop
 out. Exercise 4.1 computes the batch sizes from the lengths:
 */
func checkedBatchSizes(_ lengths: [Int]) -> [Int] {
    exercise("4.1", "batch sizes from lengths", student: { try batchSizes(lengths: lengths) },
             reference: { Solutions.Day4.batchSizes(lengths: lengths) })
}
for lengths in [[3, 4, 5], [7, 2, 2], [2, 6, 1, 6, 3]] {
    let mine = checkedBatchSizes(lengths)
    let library = packSequence(lengths.map { [Int](repeating: 0, count: $0) }, enforceSorted: false).batchSizes
    print("lengths \(lengths): batch sizes \(mine)  (packSequence: \(library))")
    noteDifference("4.1", mine == library ? 0 : 1, what: "for lengths \(lengths): \(mine) instead of \(library)")
}

/*:
 ## What are `enforceSorted`, `sortedIndices` and `unsortedIndices`?

 The packed layout needs the batch sorted longest first. Early PyTorch
 made *you* sort it (cuDNN wanted that), and `enforceSorted: true`, still
 the default, keeps that contract: the lengths must already be
 non-increasing, or packing stops with a precondition failure, and no
 indices are stored. With `enforceSorted: false` the function sorts for
 you and remembers how:

 - `sortedIndices[k]` is the original index of the `k`-th longest
   sequence — `[2, 1, 0]` above: the longest is sequence 2;
 - `unsortedIndices` is its inverse: original sequence `b` sits at sorted
   position `unsortedIndices[b]`. The LSTM uses it to hand back `h_n` and
   `c_n` in *your* batch order, and `padPackedSequence` to return the rows
   in your order.

 Sequences of equal length keep their original order: Torchlet's choice,
 so the layout is reproducible. PyTorch sorts the lengths with
 `torch.sort(descending=True)`, whose order of ties is unspecified (with
 17 or more sequences it differs from the original order), and
 `unsortedIndices` is what makes that order irrelevant: every result comes
 back in your batch order either way. Exercise 4.2 packs by hand;
 packing the same three sequences already sorted, with `enforceSorted:
 true`, gives the same data and no indices:
 */
let mine = exercise("4.2", "pack scalar sequences", student: { try pack(classic.map { $0.map(Float.init) }) },
                    reference: { Solutions.Day4.pack(classic.map { $0.map(Float.init) }) })
print("pack (exercise 4.2):  data \(listed(mine.data)), batchSizes \(mine.batchSizes), sortedIndices \(mine.sortedIndices)")
let libraryPack = packSequence(classic.map { Tensor($0.map(Float.init), shape: [$0.count]) }, enforceSorted: false)
noteDifference("4.2", mine.data == libraryPack.data.scalars && mine.batchSizes == libraryPack.batchSizes
               && mine.sortedIndices == libraryPack.sortedIndices! ? 0 : 1, what: "on the three classic sequences")
let presorted = packSequence([classic[2], classic[1], classic[0]], enforceSorted: true)
print("enforceSorted: true:  \(describe(presorted))")
let ties = packSequence([[1], [2, 2], [3], [4, 4]], enforceSorted: false)
print("ties keep their order: lengths [1, 2, 1, 2] → sortedIndices \(ties.sortedIndices!), unsortedIndices \(ties.unsortedIndices!)")

/*:
 ## What does `packPaddedSequence` do to a padded batch?

 Usually the batch is already padded — a `[B, T]` matrix of word ids and
 the lengths — and `packPaddedSequence` (PyTorch's `pack_padded_sequence`)
 packs it, dropping the padding. Here is the three-sentence toy set of the
 "Taming LSTMs" post, lengths 7, 2 and 2, padded with `<pad>` = 0 exactly
 as in the post. It is already sorted, so the default `enforceSorted:
 true` works and no indices are needed:
 */
let toyWords = ToyTaggingData.wordVocabulary
let toySentences = ToyTaggingData.sentences.map(\.words)
let toyLengths = toySentences.map(\.count)
let (toyPadded, toyShape) = padSequence(toySentences.map { toyWords.indices(of: $0) }, batchFirst: true)
print("padded ids \(toyShape), lengths \(toyLengths):")
for b in 0..<toyShape[0] {
    print("  " + toyPadded[(b * toyShape[1])..<((b + 1) * toyShape[1])].map { String($0) }.joined(separator: " "))
}
let toyPacked = packPaddedSequence(Tensor(toyPadded.map(Float.init), shape: toyShape), lengths: toyLengths, batchFirst: true)
print(describe(toyPacked))
drawPacking(toySentences, sortedIndices: toyPacked.sortedIndices, batchSizes: toyPacked.batchSizes)
let toyCells = toyPadded.count, toyReal = toyPacked.data.count
print("the padded batch has \(toyCells) cells, the packed one \(toyReal) rows: "
      + "packing skips \(toyCells - toyReal) padded steps (\(String(format: "%.0f%%", 100 * Double(toyCells - toyReal) / Double(toyCells))))")

/*:
 In the tagger the ids go through an `Embedding` first; packing the
 `[B, T, E]` embedded batch works the same way, and so does embedding a
 packed batch of ids directly (`embedding(packedIds)`), which is what
 `SequenceTagger` does.

 ## Why is the final hidden state wrong when the LSTM runs over padding?

 **Predict, then run.** The toy batch goes through one LSTM three ways:
 "ooh ooh" (sequence 1) alone, in the padded batch, and in the packed
 batch. Which of the padded and packed `h_n` for "ooh ooh" equals the one
 from running it alone? And its outputs at its two real steps?

 <details><summary>Answer</summary>

 Only the packed `h_n`. Padded, "ooh ooh" is followed by five `<pad>`
 steps. The padding embeds as a zero vector, but a zero input is not "no
 step": the gates still see their biases and the previous `h` through
 `W_hh`, so the state keeps moving for five more steps, and `h_n` is the
 state after step 7, meaningless for this sentence. Packed, the LSTM stops
 each sequence after its own last step. The outputs at the two real steps
 agree all three ways: in a one-directional LSTM the padding comes after
 them and cannot reach back.
 </details>
 */
let toyEmbedding = Embedding(numEmbeddings: toyWords.count, embeddingDim: 4, paddingIndex: 0, generator: generator)
let toyLSTM = LSTM(inputSize: 4, hiddenSize: 3, batchFirst: true, generator: generator)
withNoGrad {
    let embedded = toyEmbedding(toyPadded, shape: toyShape)                              // [3, 7, 4]
    let (paddedOutput, (hPadded, _)) = toyLSTM(embedded)                                  // h_n [1, 3, 3]
    let packedInput = packPaddedSequence(embedded, lengths: toyLengths, batchFirst: true)
    let (_, (hPacked, _)) = toyLSTM(packedInput)
    let (aloneOutput, (hAlone, _)) = toyLSTM(toyEmbedding(toyWords.indices(of: toySentences[1])))  // [2, 3], h [1, 3]
    func row(_ t: Tensor) -> String { listed(t.scalars) }
    print("h_n of \"ooh ooh\"  run alone \(row(hAlone))")
    print("                  padded    \(row(hPadded.selected(dim: 1, index: 1)))  "
          + "← after \(toyShape[1] - toyLengths[1]) padded steps")
    print("                  packed    \(row(hPacked.selected(dim: 1, index: 1)))")
    let realSteps = paddedOutput.selected(dim: 0, index: 1).narrowed(dim: 0, start: 0, length: 2)
    let outputError = zip(realSteps.scalars, aloneOutput.scalars).map { abs($0 - $1) }.max()!
    print("the padded outputs at its 2 real steps differ from the run alone by at most \(outputError)")
}

/*:
 The last line is worth a second look: with padding at the *end*, the
 outputs at the real steps are right — padding comes after them and
 cannot reach back. A tagger that reads outputs and masks its loss is
 correct either way, and packing only saves time. What breaks is
 everything that reads past the end: `h_n` and `c_n`, and a backward
 direction (Day 5), which would *start* in the padding.

 ## How do I get a padded tensor back?

 The LSTM returns a packed output. `padPackedSequence` (PyTorch's
 `pad_packed_sequence`) lays it out again as `[B, T, H]` (with
 `batchFirst`), puts the rows back in the original order through
 `unsortedIndices`, fills the steps after each end with `paddingValue`,
 and returns the lengths. `T` is the longest length *in this batch*. If
 the batch was padded to some other `T` — a loader that pads every batch
 to a fixed length, or one slice of a larger batch — the labels still have
 that shape, and `totalLength` asks for it back:
 */
let fixedLength = 10
let fixedIds = toySentences.flatMap { toyWords.indices(of: $0) + [Int](repeating: 0, count: fixedLength - $0.count) }
withNoGrad {
    let embedded = toyEmbedding(fixedIds, shape: [3, fixedLength])                       // labels are [3, 10] too
    let (output, _) = toyLSTM(packPaddedSequence(embedded, lengths: toyLengths, batchFirst: true))
    let (longest, lengths) = padPackedSequence(output, batchFirst: true)
    let (full, _) = padPackedSequence(output, batchFirst: true, totalLength: fixedLength)
    print("input \(embedded.shape) → packed output \(output.data.shape) → padPackedSequence \(longest.shape), lengths \(lengths)")
    print("  with totalLength: \(fixedLength) → \(full.shape), which lines up with labels of shape [3, \(fixedLength)]")
}

/*:
 Exercise 4.3 unpacks by hand: deal the packed values out to their
 sequences (step `t` has one value for each of the first `batchSizes[t]`
 sorted sequences), put the rows back in the original order, and pad.
 Here it unpacks the three sequences from the start to 6 steps:
 */
let unpacked = exercise("4.3", "unpack with totalLength", student: {
    try unpack(data: packedClassic.data.scalars, batchSizes: packedClassic.batchSizes,
               unsortedIndices: packedClassic.unsortedIndices!, totalLength: 6, paddingValue: 0)
}, reference: {
    Solutions.Day4.unpack(data: packedClassic.data.scalars, batchSizes: packedClassic.batchSizes,
                          unsortedIndices: packedClassic.unsortedIndices!, totalLength: 6, paddingValue: 0)
})
let (libraryPadded, libraryLengths) = padPackedSequence(packedClassic, batchFirst: true, totalLength: 6)
for (b, row) in unpacked.padded.enumerated() { print("  sequence \(b): \(listed(row))") }
let sameAsLibrary = unpacked.padded.flatMap { $0 } == libraryPadded.scalars && unpacked.lengths == libraryLengths
print("lengths \(unpacked.lengths); the same as padPackedSequence(totalLength: 6): \(sameAsLibrary ? "yes" : "no")")
noteDifference("4.3", sameAsLibrary ? 0 : 1, what: "on the three classic sequences")

/*:
 ## Where does dropout go?

 `Dropout` takes a tensor, and a `PackedSequence` is not one:
 `dropout(packed)` does not compile here, and in PyTorch `nn.Dropout`
 raises a `TypeError` on it. Apply it to the embeddings *before* packing —
 zeroing some padding too does no harm, packing drops it — or, when the
 ids were packed first, to the packed rows with `replacing(data:)`. The
 LSTM's own `dropout:` (between stacked layers) already works on the
 packed data inside.
 */
let dropoutLayer = Dropout(p: 0.5, generator: generator)
let embeddedToy = toyEmbedding(toyPadded, shape: toyShape)
let droppedThenPacked = packPaddedSequence(dropoutLayer(embeddedToy), lengths: toyLengths, batchFirst: true)
let packedIds = packSequence(toySentences.map { toyWords.indices(of: $0) })
let embeddedPacked = toyEmbedding(packedIds)
let packedThenDropped = embeddedPacked.replacing(data: dropoutLayer(embeddedPacked.data))
for (name, packed) in [("dropout, then pack", droppedThenPacked), ("pack, then dropout on .data", packedThenDropped)] {
    let zeros = packed.data.scalars.filter { $0 == 0 }.count
    print("  \(name.padding(toLength: 28, withPad: " ", startingAt: 0)) data \(packed.data.shape), "
          + "\(zeros) of \(packed.data.count) values zeroed, batchSizes \(packed.batchSizes)")
}

/*:
 ## How much faster is packing?

 Now the long-tailed corpus of Day 1. Two identical taggers (the same
 starting weights) train on the same batches of 32 sentences in the same
 order: one on padded batches with the loss ignoring padding, one on
 packed batches. Both compute the loss over exactly the same tokens, so
 they should follow the same path — packing changes the cost, not the
 result. The padded batches show how much of the padded work is padding.

 **Predict, then run.** Most sentences of this corpus are short, with a
 long tail of long ones (Day 1 printed the median and the longest). In
 shuffled batches of 32, what share of the padded cells is padding: about
 a tenth, a third, or more than half?

 <details><summary>Answer</summary>

 More than half: about 70% in this run (the line below). A batch is as
 long as its longest sentence, and with a long tail of lengths one long
 sentence in 32 is likely, so most rows are mostly padding. Packing skips
 all of it, which is where its speed-up comes from.
 </details>
 */
let corpus = SyntheticTaggingCorpus()
let trainSentences = corpus.generate(count: 2_000, generator: generator)
let validationSentences = corpus.generate(count: 200, generator: generator)
let testSentences = corpus.generate(count: 200, generator: Generator(seed: lesson.options.seed + 1_000))  // used once, at the end
let words = Vocabulary(corpus: trainSentences.map(\.words))
let tags = Vocabulary(corpus: trainSentences.map(\.tags), specials: [])
let batchSize = 32
var order = Array(trainSentences.indices)
generator.shuffle(&order)
let chunks = stride(from: 0, to: order.count, by: batchSize).map { start in
    order[start..<min(start + batchSize, order.count)].map { trainSentences[$0] }
}
let paddedBatches = chunks.map { TaggingBatch($0, words: words, tags: tags) }
let packedBatches = chunks.map { chunk in
    (words: packSequence(chunk.map { words.indices(of: $0.words) }, enforceSorted: false),
     tags: packSequence(chunk.map { tags.indices(of: $0.tags) }, enforceSorted: false).data.scalars.map { Int($0) })
}
let paddedCells = paddedBatches.map { $0.batchSize * $0.maxLength }.reduce(0, +)
let realTokens = paddedBatches.map(\.tokenCount).reduce(0, +)
let paddingShare = 1 - Double(realTokens) / Double(paddedCells)
print("\(chunks.count) batches of \(batchSize): \(realTokens) real tokens in \(paddedCells) padded cells — "
      + "\(String(format: "%.0f%%", 100 * paddingShare)) of the padded work is padding")
let firstSizes = checkedBatchSizes(paddedBatches[0].lengths)
print("batch sizes of the first batch (longest \(paddedBatches[0].maxLength)): \(firstSizes)")
print("  \(sparkline(firstSizes.map(Double.init)))  — the long tail: a padded batch computes all \(batchSize) rows at every step")

let padTagger = SequenceTagger(vocabularySize: words.count, tagCount: tags.count, embeddingDim: 32, hiddenSize: 64,
                               generator: generator)
let packTagger = SequenceTagger(vocabularySize: words.count, tagCount: tags.count, embeddingDim: 32, hiddenSize: 64,
                                generator: generator)
try! packTagger.loadStateDict(padTagger.stateDict())   // the same starting weights

/// Trains `tagger` for the lesson's epochs over `batches` batches, the loss
/// of batch `b` given by `loss(b)`; returns the seconds per epoch and the
/// mean loss of each epoch.
func timedTraining(_ label: String, _ tagger: SequenceTagger, batches: Int,
                   loss: (Int) -> Tensor) -> (secondsPerEpoch: Double, losses: [Float]) {
    let epochs = lesson.options.epochs
    let optimizer = SGD(tagger.parameters(), learningRate: 0.5, momentum: 0.9)
    let progress = ProgressLine(label, total: epochs)
    var losses: [Float] = []
    let stopwatch = Stopwatch()
    tagger.train()
    for epoch in 0..<epochs {
        var total: Float = 0
        for b in 0..<batches {
            let batchLoss = exercise("1.3", "one training step", student: { try trainStep(optimizer: optimizer) { loss(b) } },
                                     reference: { Solutions.Day1.trainStep(optimizer: optimizer) { loss(b) } })
            lesson.checkLoss(batchLoss, epoch: epoch + 1, batch: b + 1, run: label)
            total += batchLoss
            progress.update(Double(epoch) + Double(b + 1) / Double(batches), ["loss": total / Float(b + 1)])
        }
        losses.append(total / Float(batches))
    }
    let seconds = stopwatch.seconds / Double(epochs)
    progress.finish()
    return (seconds, losses)
}

let padded = timedTraining("padded epoch", padTagger, batches: paddedBatches.count) { b in
    let batch = paddedBatches[b]
    let logits = padTagger(words: batch.words, batchSize: batch.batchSize)            // [B, T, tags]
    return crossEntropy(logits.reshaped(to: [batch.words.count, tags.count]), targets: batch.tags,
                        ignoreIndex: batch.ignoreIndex)
}
let packed = timedTraining("packed epoch", packTagger, batches: packedBatches.count) { b in
    let batch = packedBatches[b]
    return crossEntropy(packTagger(batch.words).data, targets: batch.tags)           // [N, tags], real tokens only
}
let speedup = padded.secondsPerEpoch / packed.secondsPerEpoch
func seconds(_ s: Double) -> String { String(format: "%.2f s", s) }
print("seconds per epoch: padded \(seconds(padded.secondsPerEpoch))  \(bar(padded.secondsPerEpoch, max: padded.secondsPerEpoch, width: 30))")
print("                   packed \(seconds(packed.secondsPerEpoch))  \(bar(packed.secondsPerEpoch, max: padded.secondsPerEpoch, width: 30))")
print("speed-up \(String(format: "%.2f×", speedup)); if every cost scaled with the cells computed, skipping "
      + "\(String(format: "%.0f%%", 100 * paddingShare)) of them would give \(String(format: "%.2f×", 1 / (1 - paddingShare)))")
let lossGap = zip(padded.losses, packed.losses).map { abs($0 - $1) }.max()!
print("mean loss per epoch: padded \(padded.losses.map(\.metricText).joined(separator: " ")), "
      + "packed \(packed.losses.map(\.metricText).joined(separator: " ")) — largest gap \(String(format: "%.1e", lossGap))")
/// Token accuracy on `sentences` (the validation set unless told), padding excluded.
func accuracy(_ tagger: SequenceTagger, on sentences: [TaggedSentence] = validationSentences) -> Double {
    let batch = TaggingBatch(sentences, words: words, tags: tags)
    tagger.eval()
    return withNoGrad {
        let logits = tagger(words: batch.words, batchSize: batch.batchSize)     // [B, T, tags]
        return maskedAccuracy(logits: logits.reshaped(to: [batch.words.count, tags.count]),
                              targets: batch.tags, ignoreIndex: batch.ignoreIndex)
    }
}
let paddedAccuracy = accuracy(padTagger), packedAccuracy = accuracy(packTagger)
print("validation token accuracy after \(lesson.options.epochs) epochs: trained padded \(String(format: "%.2f%%", 100 * paddedAccuracy)), "
      + "trained packed \(String(format: "%.2f%%", 100 * packedAccuracy))")

/*:
 The speed-up lands near what the padding share predicts, because nearly
 all the work scales with the cells computed: the LSTM, and also the
 embedding, the classifier and the loss, which packed see real tokens
 only. Around that prediction, some costs do not shrink (the optimizer's
 update; each LSTM step's fixed cost, and the tail is many steps of very
 few rows), and the padded path pays some extras (copying the batch-first
 input to time-first and back). The longer the tail, the bigger the win;
 Day 10 shrinks the padding further by putting sentences of similar length
 in the same batch.

 ## And the final state on real sentences?

 Last, the trained tagger's LSTM on 16 validation sentences of different
 lengths, three ways: padded, packed, and each sentence alone, unbatched.
 The alone run is the truth; the table shows how far `h_n` of the other
 two is from it:
 */
let probe = Array(validationSentences.prefix(16))
let probeIds = probe.map { words.indices(of: $0.words) }
let (hnErrorPadded, hnErrorPacked) = withNoGrad { () -> (Float, Float) in
    packTagger.eval()
    let (ids, shape) = padSequence(probeIds, batchFirst: true)
    let (_, (hPadded, _)) = packTagger.lstm(packTagger.embedding(ids, shape: shape))
    let (_, (hPacked, _)) = packTagger.lstm(packTagger.embedding(packSequence(probeIds, enforceSorted: false)))
    var worstPadded: Float = 0, worstPacked: Float = 0, paddedRight = 0
    for (b, sentence) in probeIds.enumerated() {
        let (_, (hAlone, _)) = packTagger.lstm(packTagger.embedding(sentence))     // unbatched: [T, E] → h [1, H]
        let truth = hAlone.scalars
        let paddedError = zip(hPadded.selected(dim: 1, index: b).scalars, truth).map { abs($0 - $1) }.max()!
        let packedError = zip(hPacked.selected(dim: 1, index: b).scalars, truth).map { abs($0 - $1) }.max()!
        worstPadded = max(worstPadded, paddedError)
        worstPacked = max(worstPacked, packedError)
        if paddedError < 1e-5 { paddedRight += 1 }
        if b < 6 {
            print("  length \(String(sentence.count).padding(toLength: 3, withPad: " ", startingAt: 0)) "
                  + "(\(String(shape[1] - sentence.count).padding(toLength: 2, withPad: " ", startingAt: 0)) padded steps)  "
                  + "max |h_n − alone|: padded \(String(format: "%.2e", paddedError)), packed \(String(format: "%.2e", packedError))")
        }
    }
    let longest = probeIds.filter { $0.count == shape[1] }.count
    print("  padded h_n is right (error < 1e-5) for \(paddedRight) of \(probeIds.count) sentences; "
          + "\(longest) of them \(longest == 1 ? "has" : "have") the batch's longest length, \(shape[1])")
    return (worstPadded, worstPacked)
}
print("over all 16 sentences: max |h_n − alone| padded \(String(format: "%.2e", hnErrorPadded)), "
      + "packed \(String(format: "%.2e", hnErrorPacked))")

/*:
 Only the sentences as long as the batch's longest get a correct `h_n`
 from the padded run; every other one is off by about as much as the
 values themselves.
 The packed run matches the one-by-one runs — to float rounding at
 worst, since it does the same arithmetic on fewer rows — while running
 all 16 together.

 ## Can your own cell run a packed batch?

 Exercise 4.4 puts Day 1 and today together: it runs *your* cell step
 (exercise 1.1) over a packed batch, one step at a time on the
 `batchSizes[t]` sequences still running, keeps each sequence's state
 once it ends, and hands the final states back in your batch order with
 `unsortedIndices` — what `LSTM` does with a `PackedSequence`. Here it
 runs with the trained tagger's LSTM weights over the same 16 sentences:
 */
let probePacked = withNoGrad { packTagger.embedding(packSequence(probeIds, enforceSorted: false)) }
let lstmWeights = Dictionary(uniqueKeysWithValues: packTagger.lstm.namedParameters())
let (weightIH, weightHH) = (lstmWeights["weight_ih_l0"]!, lstmWeights["weight_hh_l0"]!)
let (biasIH, biasHH) = (lstmWeights["bias_ih_l0"]!, lstmWeights["bias_hh_l0"]!)
let byHand = try withNoGrad {
    try exercise("4.4", "your cell over a packed batch", student: {
        try packedFinalState(probePacked, weightIH: weightIH, weightHH: weightHH, biasIH: biasIH, biasHH: biasHH)
    }, reference: {
        try Solutions.Day4.packedFinalState(probePacked, weightIH: weightIH, weightHH: weightHH, biasIH: biasIH, biasHH: biasHH)
    },
        unusable: { $0.h.count == probeIds.count * weightHH.shape[1] && $0.c.shape == $0.h.shape ? nil : "a state of shapes \($0.h.shape) and \($0.c.shape) for \(probeIds.count) sequences" })
}
let fromLSTM = withNoGrad { packTagger.lstm(probePacked).state }
let byHandError = zip(byHand.h.scalars + byHand.c.scalars, fromLSTM.h.scalars + fromLSTM.c.scalars)
    .map { abs($0 - $1) }.max()!
print("h_n and c_n of 16 sentences, cell by cell (exercise 4.4 on exercise 1.1) vs. LSTM on the packed batch: "
      + "shapes \(byHand.h.shape), largest difference \(String(format: "%.1e", byHandError))")
noteDifference("4.4", Double(byHandError))

/*:
 Every comparison used the validation set; the test set is used once, for
 the model we would keep, the packed one:
 */
let testAccuracy = accuracy(packTagger, on: testSentences)
print("packed tagger, test set (\(testSentences.count) sentences, used once): token accuracy \(String(format: "%.2f%%", 100 * testAccuracy))")

/*:
 Tomorrow we put `h_n` to work: one answer per sequence, from the last
 valid output.
 */
lesson.finish([
    "padded_seconds": padded.secondsPerEpoch, "packed_seconds": packed.secondsPerEpoch, "speedup": speedup,
    "hn_error_padded": hnErrorPadded, "hn_error_packed": String(format: "%.1e", hnErrorPacked),
    "test_accuracy": testAccuracy,
])
