/*:
 # Day 5 — One answer per sequence

 A tagger (days 1–4) answers at every step. A sentiment classifier answers
 once per review: the LSTM reads the whole review, and one vector has to
 stand for all of it. Over a right-padded batch, *which* vector? Today:
 the classic bug of reading `output[:, -1]`, the two right ways of reading
 the last real step (indexing and `gather`), `h_n` of a packed run, the
 bidirectional case, pooling over time with a mask, attention pooling,
 where dropout goes, and the loss. Then one experiment: the same
 classifier with each way of reading the sequence, three seeds each.

 The data are `SyntheticReviews`: short film reviews where the last
 opinion decides ("the acting was great , but the plot was dull"),
 negation flips ("not bad"), and neutral sentences often follow the
 deciding opinion. `--data PATH` trains on your own `label<TAB>text` file
 with two labels instead.

 Run it with `swift run day5` (`--help` lists the options). Your exercises
 live in `Lessons/Day05/Exercises.swift`.
 */
import Course
import Foundation
import Solutions
import Torchlet

let lesson = Lesson.start(
    day: 5, about: "one answer per sequence: last valid output, gather, h_n, bidirectional, pooling, attention",
    seed: 5, epochs: 8, data: "a label<TAB>text file with two labels")
let generator = Generator(seed: lesson.options.seed)

let examples: [LabeledText]
if let path = lesson.options.dataPath {
    do { examples = try LabeledTextReader.read(path: path) } catch {
        print("day5: \(error)")
        exit(1)
    }
} else {
    examples = SyntheticReviews().generate(count: 1_200, generator: Generator(seed: lesson.options.seed + 100))
}
let labels = Array(Set(examples.map(\.label))).sorted()
guard labels.count == 2 else {
    print("day5: this lesson classifies two labels; the data have \(labels.count): \(labels.prefix(5))")
    exit(1)
}
let split = examples.count * 2 / 3
let (trainSet, validationSet) = (Array(examples[..<split]), Array(examples[split...]))
let words = Vocabulary(corpus: trainSet.map(\.text))
print("\(trainSet.count) training and \(validationSet.count) validation reviews, \(words.count) words; labels \(labels)")
print("e.g. \(trainSet[0])")

/*:
 ## Why is `output[:, -1]` wrong on a padded batch?

 In PyTorch the one-liner `output[:, -1]` (batch first) takes every
 sequence's output at the last *column*. For the longest sequence that is
 its last word. For every shorter one it is the output after some padding
 steps: the LSTM kept running on `<pad>`, and the state drifted away from
 what it was after the review's last word (Day 4 showed the same for
 `h_n`).

 **Predict, then run.** Three reviews of different lengths go through one
 untrained LSTM as a padded batch. For which of them does `output[:, -1]`
 equal the output after its own last word?

 <details><summary>Answer</summary>

 Only for the longest, the one with no padding. The other two differ by
 about as much as the values themselves (the lines below): their last
 column is a padding step.
 </details>
 */
let demo = Array(trainSet.prefix(3))
let demoIds = demo.map { words.indices(of: $0.text) }
let demoLengths = demoIds.map(\.count)
let (demoPadded, demoShape) = padSequence(demoIds, batchFirst: true)
let embedding = Embedding(numEmbeddings: words.count, embeddingDim: 8, paddingIndex: 0, generator: generator)
let lstm = LSTM(inputSize: 8, hiddenSize: 4, batchFirst: true, generator: generator)
let demoEmbedded = withNoGrad { embedding(demoPadded, shape: demoShape) }           // [3, T, 8]
let (demoOutput, _) = withNoGrad { lstm(demoEmbedded) }                              // [3, T, 4]
/// The largest absolute difference between two tensors' values.
func largestGap(_ a: Tensor, _ b: Tensor) -> Float { zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0 }
let naiveLast = demoOutput.selected(dim: 1, index: demoShape[1] - 1)                 // output[:, -1]
print("padded batch \(demoShape), lengths \(demoLengths)")
for b in 0..<demo.count {
    let truth = withNoGrad { lstm(embedding(demoIds[b])).output }.selected(dim: 0, index: demoLengths[b] - 1)  // alone
    print("  review \(b) (\(demoLengths[b]) words): |output[:, -1] − output after its last word| = "
          + format(largestGap(naiveLast.selected(dim: 0, index: b), truth), 3))
}

/*:
 ## How do I read the last real step?

 Two right ways. Index each row at its own last step, `output[b,
 lengths[b] − 1]` — a loop over the batch, fine for a handful. Or in one
 operation, `gather` along time, with an index tensor built from the
 lengths (PyTorch: `output.gather(1, (lengths − 1).view(B, 1,
 1).expand(B, 1, H)).squeeze(1)`). Exercise 5.1 writes the `gather`
 version for batch-first and time-first outputs. The loop gives the same
 numbers:
 */
func lastValid(_ output: Tensor, _ lengths: [Int], batchFirst: Bool = true) -> Tensor {
    exercise("5.1", "the last valid output by gather", student: {
        try lastValidOutput(output, lengths: lengths, batchFirst: batchFirst)
    }, reference: { Solutions.Day5.lastValidOutput(output, lengths: lengths, batchFirst: batchFirst) },
        unusable: { Unusable.shape($0, [lengths.count, output.shape[2]], "the last outputs") })
}
/// Why vectors pooled from a batch-first `output` (exercises 5.3, 5.4) cannot be used: each must be `[B, H]`.
func unusablePooled(_ vectors: Tensor..., of output: Tensor) -> String? {
    vectors.lazy.compactMap { Unusable.shape($0, [output.shape[0], output.shape[2]], "pooled vectors") }.first
}
let byIndexing = Tensor(stacking: demoLengths.enumerated().map { b, n in
    demoOutput.selected(dim: 0, index: b).selected(dim: 0, index: n - 1) }, dim: 0)
let byGather = lastValid(demoOutput, demoLengths)
let byGatherTimeFirst = lastValid(demoOutput.transposed(0, 1), demoLengths, batchFirst: false)
print("indexing vs gather (batch first): \(format(largestGap(byIndexing, byGather), 3)); "
      + "vs gather (time first): \(format(largestGap(byIndexing, byGatherTimeFirst), 3))")
noteDifference("5.1", Double(max(largestGap(byIndexing, byGather), largestGap(byIndexing, byGatherTimeFirst))))

/*:
 ## Is `h_n` of a packed run the same thing?

 Yes, for a one-directional LSTM: a packed run stops each sequence after
 its last real step (Day 4), so its `h_n` *is* the output at
 `lengths − 1`. No gather needed, and no padded steps computed.
 */
let demoPacked = packPaddedSequence(demoEmbedded, lengths: demoLengths, batchFirst: true, enforceSorted: false)
let packedH = withNoGrad { lstm(demoPacked).state.h }                               // h_n [1, 3, 4]
print("|h_n (packed) − last valid output| = \(format(largestGap(packedH.squeezed(dim: 0), byGather), 3))")

/*:
 ## What is the last step of a bidirectional LSTM?

 A bidirectional LSTM runs a second LSTM from the end of each sequence to
 its start, and its output at step `t` is `[forward_t, backward_t]`. The
 backward direction's *last* step is `t = 0`. So the sequence vector is
 `[forward at lengths − 1, backward at 0]`, and that is what `h_n` holds
 (`h_n[0]` forward, `h_n[1]` backward). The backward direction must start
 at each sequence's last *real* word: over a padded batch it would start
 in the padding, so pack.

 **Predict, then run.** Exercise 5.2 builds the vector from the unpacked
 output. If you take *both* halves at `lengths − 1` instead, how far from
 `h_n` is the result: zero, or about as large as the values?

 <details><summary>Answer</summary>

 As large as the values: the backward half at `lengths − 1` is the
 backward LSTM after reading one word, not the whole review. Taking it at
 `t = 0` matches `h_n` to float rounding (the lines below).
 </details>
 */
let biLSTM = LSTM(inputSize: 8, hiddenSize: 4, batchFirst: true, bidirectional: true, generator: generator)
let (biPackedOutput, biH) = withNoGrad { () -> (PackedSequence, Tensor) in let r = biLSTM(demoPacked); return (r.output, r.state.h) }                  // h_n [2, 3, 4]
let (biOutput, _) = padPackedSequence(biPackedOutput, batchFirst: true)              // [3, T, 8]
let hnBoth = Tensor(concatenating: [biH.selected(dim: 0, index: 0), biH.selected(dim: 0, index: 1)], dim: 1)
let sequenceVector = exercise("5.2", "the bidirectional sequence vector", student: {
    try bidirectionalSequenceVector(biOutput, lengths: demoLengths)
}, reference: { Solutions.Day5.bidirectionalSequenceVector(biOutput, lengths: demoLengths) })
let bothAtLast = lastValid(biOutput, demoLengths)
print("[forward at lengths−1, backward at 0] vs h_n: \(format(largestGap(sequenceVector, hnBoth), 3))")
print("both halves at lengths−1 vs h_n:              \(format(largestGap(bothAtLast, hnBoth), 3))")
noteDifference("5.2", Double(largestGap(sequenceVector, hnBoth)))

/*:
 ## Can pooling use every step?

 The last step is not the only summary. Mean pooling averages the outputs
 over the real steps; max pooling takes each feature's largest value over
 them. Both need the mask: the mean must divide by the length, not by
 `T`, and padding must never win the max. After `padPackedSequence` the
 padding is 0, and 0 beats every negative feature. Exercise 5.3 pools
 with the mask; here it is against `maskedMax` and a plain `max(dim:)`:
 */
let forwardOutput = padPackedSequence(withNoGrad { lstm(demoPacked).output }, batchFirst: true).0   // zeros at padding
let pooled = exercise("5.3", "masked mean and max pooling", student: {
    try maskedPooling(forwardOutput, lengths: demoLengths)
}, reference: { Solutions.Day5.maskedPooling(forwardOutput, lengths: demoLengths) },
    unusable: { unusablePooled($0.mean, $0.max, of: forwardOutput) })
let demoMask = lengthMask(lengths: demoLengths, maxLength: demoShape[1]).unsqueezed(dim: -1)
let libraryMax = maskedMax(forwardOutput, mask: demoMask, dim: 1)
print("masked max vs maskedMax: \(format(largestGap(pooled.max, libraryMax), 3))")
// Does padding win a plain max? On 32 reviews (4 features each) the same untrained LSTM:
let wideBatch = Array(trainSet.prefix(32)), wideIds = wideBatch.map { words.indices(of: $0.text) }
let widePacked = packSequence(wideIds, enforceSorted: false)
let (wideOutput, wideLengths) = withNoGrad { padPackedSequence(lstm(embedding(widePacked)).output, batchFirst: true) }
let wideMask = lengthMask(lengths: wideLengths, maxLength: wideOutput.shape[1]).unsqueezed(dim: -1)
let plainMax = wideOutput.max(dim: 1), wideMaskedMax = maskedMax(wideOutput, mask: wideMask, dim: 1)
let paddingWins = zip(plainMax.scalars, wideMaskedMax.scalars).filter { $0 != $1 }.count
print("on 32 reviews a plain max(dim: 1) lets the zero padding win \(paddingWins) of \(plainMax.count) features")
let plainMean = forwardOutput.mean(dim: 1)
print("masked mean vs a plain mean over T: \(format(largestGap(pooled.mean, plainMean), 3)) apart")
noteDifference("5.3", Double(largestGap(pooled.max, libraryMax)))

/*:
 ## Can the model choose which steps to read?

 Attention pooling learns *where* to look. A learned query vector `q`
 scores each step, `score_t = output_t · q`; a softmax over the real
 steps only (`maskedSoftmax`, padding gets weight 0) turns the scores
 into weights; the sequence vector is the weighted sum of the outputs.
 Exercise 5.4 writes it with its own masked softmax; here against
 `maskedSoftmax`:
 */
let demoQuery = Tensor.normal([4], std: 1, generator: generator)
let attended = exercise("5.4", "attention pooling", student: {
    try attentionPooling(forwardOutput, lengths: demoLengths, query: demoQuery)
}, reference: { Solutions.Day5.attentionPooling(forwardOutput, lengths: demoLengths, query: demoQuery) },
    unusable: { unusablePooled($0.pooled, of: forwardOutput) ?? Unusable.shape($0.weights, Array(forwardOutput.shape.prefix(2)), "the weights") })
let libraryWeights = maskedSoftmax(forwardOutput.matmul(demoQuery.reshaped(to: [4, 1])).squeezed(dim: -1),
                                   mask: lengthMask(lengths: demoLengths, maxLength: demoShape[1]), dim: 1)
print("weights vs maskedSoftmax: \(format(largestGap(attended.weights, libraryWeights), 3)); "
      + "each row sums to \(attended.weights.sum(dim: 1).scalars.map { format($0, 3) })")
noteDifference("5.4", Double(largestGap(attended.weights, libraryWeights)))

/*:
 ## Which loss, and why not sigmoid then log?

 Two classes can be two logits with `crossEntropy`, or one logit with
 `binaryCrossEntropyWithLogits` (PyTorch's `BCEWithLogitsLoss`): the
 probability of "pos" is `σ(x)`. Never compute `sigmoid` and then `log`:
 in float32 `σ(20)` is exactly 1, so a confident wrong answer costs
 `−log(1 − 1) = ∞`. The fused loss uses `max(x, 0) − x·y + log(1 +
 exp(−|x|))`, which is exact:
 */
let confident = Tensor([20, -3])
let naiveBCE = (1 - confident.sigmoid()).log() * -1                                   // both targets 0
let fusedBCE = binaryCrossEntropyWithLogits(confident, targets: Tensor([0, 0]), reduction: .none)
print("logits [20, −3], targets [0, 0]: sigmoid then log \(naiveBCE.scalars), with logits \(fusedBCE.scalars.map { format($0, 4) })")

/*:
 ## Where does dropout go?

 On the embeddings before the LSTM (the source article's advice; before
 packing, since `Dropout` takes a tensor), between stacked layers (the
 LSTM's `dropout:`), and on the pooled vector before the classifier. The
 model below drops 20% of the embedding values in training, and switches
 it off with `eval()` for every evaluation; forgetting `eval()` would
 score a noisy model.

 ## Which way of reading the review works best?

 The same classifier (embedding 16, LSTM 24, one output logit,
 `binaryCrossEntropyWithLogits`, Adam) with six ways of turning the
 outputs into one vector, trained on the same batches of 32, three seeds
 each, plus a bag-of-words baseline: logistic regression on word counts.
 Every training step is *your* `trainStep` from exercise 1.3. Validation
 accuracy, mean ± standard deviation over the seeds:
 */
enum Reader: String, CaseIterable {
    case naive = "naive output[:, -1]", last = "last valid (gather)", bidirectional = "bidirectional h_n"
    case mean = "masked mean", max = "masked max", attention = "attention"
}

/// A batch of reviews: padded ids `[B, T]`, lengths, 0/1 targets.
struct ReviewBatch {
    let ids: [Int], shape: [Int], lengths: [Int], targets: Tensor, reviews: [LabeledText]
    init(_ reviews: [LabeledText]) {
        let ids = reviews.map { words.indices(of: $0.text) }
        (self.ids, self.shape) = padSequence(ids, batchFirst: true)
        lengths = ids.map(\.count)
        targets = Tensor(reviews.map { $0.label == labels[1] ? 1 : 0 })
        self.reviews = reviews
    }
}
let batchSize = 32
func batches(_ set: [LabeledText], shuffledBy g: Generator?) -> [ReviewBatch] {
    var order = Array(set.indices)
    if let g { g.shuffle(&order) }
    return stride(from: 0, to: order.count, by: batchSize).map {
        ReviewBatch(order[$0..<min($0 + batchSize, order.count)].map { set[$0] })
    }
}
let validationBatches = batches(validationSet, shuffledBy: nil)

/// Embedding → dropout → LSTM → one vector per review (by `reader`) → one logit.
final class ReviewClassifier {
    let reader: Reader
    let embedding: Embedding, dropout: Dropout, lstm: LSTM, head: Linear, query: Tensor
    init(_ reader: Reader, generator g: Generator) {
        self.reader = reader
        embedding = Embedding(numEmbeddings: words.count, embeddingDim: 16, paddingIndex: 0, generator: g)
        dropout = Dropout(p: 0.2, generator: g)
        lstm = LSTM(inputSize: 16, hiddenSize: 24, batchFirst: true, bidirectional: reader == .bidirectional, generator: g)
        head = Linear(inFeatures: reader == .bidirectional ? 48 : 24, outFeatures: 1, generator: g)
        query = Tensor.normal([24], std: 0.1, generator: g, requiresGrad: true)
    }
    var parameters: [Tensor] {
        embedding.parameters() + lstm.parameters() + head.parameters() + (reader == .attention ? [query] : [])
    }
    func setTraining(_ on: Bool) { for m in [embedding, dropout, lstm, head] as [Module] { m.train(on) } }
    /// Logits `[B]`, and the attention weights `[B, T]` for the attention reader.
    func callAsFunction(_ batch: ReviewBatch) -> (logits: Tensor, weights: Tensor?) {
        let embedded = dropout(embedding(batch.ids, shape: batch.shape))                 // [B, T, 16]
        var weights: Tensor? = nil
        let vector: Tensor
        switch reader {
        case .bidirectional:
            let packed = packPaddedSequence(embedded, lengths: batch.lengths, batchFirst: true, enforceSorted: false)
            let h = lstm(packed).state.h                                                  // [2, B, 24]
            vector = Tensor(concatenating: [h.selected(dim: 0, index: 0), h.selected(dim: 0, index: 1)], dim: 1)
        default:
            let output = lstm(embedded).output                                            // [B, T, 24]
            switch reader {
            case .naive: vector = output.selected(dim: 1, index: batch.shape[1] - 1)   // the bug
            case .last: vector = lastValid(output, batch.lengths)
            case .mean, .max:
                let pooled = exercise("5.3", "masked mean and max pooling", student: {
                    try maskedPooling(output, lengths: batch.lengths)
                }, reference: { Solutions.Day5.maskedPooling(output, lengths: batch.lengths) },
                    unusable: { unusablePooled($0.mean, $0.max, of: output) })
                vector = reader == .mean ? pooled.mean : pooled.max
            default:
                let attended = exercise("5.4", "attention pooling", student: {
                    try attentionPooling(output, lengths: batch.lengths, query: query)
                }, reference: { Solutions.Day5.attentionPooling(output, lengths: batch.lengths, query: query) },
                    unusable: { unusablePooled($0.pooled, of: output) ?? Unusable.shape($0.weights, Array(output.shape.prefix(2)), "the weights") })
                (vector, weights) = (attended.pooled, attended.weights)
            }
        }
        return (head(vector).reshaped(to: [batch.shape[0]]), weights)
    }
}

/// Trains with Adam for the lesson's epochs on shuffled batches, one step at a time by exercise 1.3;
/// `loss` computes one batch's loss.
func train(_ parameters: [Tensor], seed: UInt64, label: String, loss: (ReviewBatch) -> Tensor) {
    let optimizer = Adam(parameters, learningRate: 0.01)
    let order = Generator(seed: seed)
    for epoch in 0..<lesson.options.epochs {
        for (b, batch) in batches(trainSet, shuffledBy: order).enumerated() {
            let value = exercise("1.3", "one training step", student: { try trainStep(optimizer: optimizer) { loss(batch) } },
                                 reference: { Solutions.Day1.trainStep(optimizer: optimizer) { loss(batch) } })
            lesson.checkLoss(value, epoch: epoch + 1, batch: b + 1, run: label)
        }
    }
}

/// Which validation reviews each model got right, in validation order.
func correctness(_ logits: (ReviewBatch) -> Tensor) -> [Bool] {
    withNoGrad { validationBatches.flatMap { batch in zip(logits(batch).scalars, batch.targets.scalars).map { ($0 > 0) == ($1 == 1) } } }
}

let seeds: [UInt64] = [0, 1, 2].map { lesson.options.seed * 10 + $0 }
var results: [(name: String, runs: [[Bool]])] = []
var lastAttentionModel: ReviewClassifier? = nil
let progress = ProgressLine("run", total: seeds.count * (Reader.allCases.count + 1))
var finished = 0.0

// The bag-of-words baseline: logistic regression on word counts.
func counts(_ batch: ReviewBatch) -> Tensor {
    var values = [Float](repeating: 0, count: batch.shape[0] * words.count)
    for (b, review) in batch.reviews.enumerated() { for w in words.indices(of: review.text) { values[b * words.count + w] += 1 } }
    return Tensor(values, shape: [batch.shape[0], words.count])
}
var bagRuns: [[Bool]] = []
for seed in seeds {
    let linear = Linear(inFeatures: words.count, outFeatures: 1, generator: Generator(seed: seed))
    train(linear.parameters(), seed: seed, label: "bag of words") { batch in
        binaryCrossEntropyWithLogits(linear(counts(batch)).reshaped(to: [batch.shape[0]]), targets: batch.targets)
    }
    bagRuns.append(correctness { linear(counts($0)).reshaped(to: [$0.shape[0]]) })
    finished += 1
    progress.update(finished)
}
results.append(("bag of words (baseline)", bagRuns))

for reader in Reader.allCases {
    var runs: [[Bool]] = []
    for seed in seeds {
        let model = ReviewClassifier(reader, generator: Generator(seed: seed))
        model.setTraining(true)
        train(model.parameters, seed: seed, label: reader.rawValue) { batch in
            binaryCrossEntropyWithLogits(model(batch).logits, targets: batch.targets)
        }
        model.setTraining(false)
        runs.append(correctness { model($0).logits })
        if reader == .attention && lastAttentionModel == nil { lastAttentionModel = model }
        finished += 1
        progress.update(finished)
    }
    results.append((reader.rawValue, runs))
}
progress.finish()

func accuracy(_ run: [Bool], where keep: (LabeledText) -> Bool = { _ in true }) -> Double {
    let picked = zip(run, validationSet).filter { keep($0.1) }
    return picked.isEmpty ? .nan : Double(picked.filter(\.0).count) / Double(picked.count)
}
func cell(_ runs: [[Bool]], where keep: @escaping (LabeledText) -> Bool = { _ in true }) -> String {
    let (mean, sd) = meanAndSpread(runs.map { accuracy($0, where: keep) })
    return "\(percent(mean)) ± \(format(100 * sd, 1))".leftPadded(14)
}
let negated: (LabeledText) -> Bool = { $0.text.contains("not") }
let contrast: (LabeledText) -> Bool = { $0.text.contains("but") || $0.text.contains("however") }
print("\("reader".padding(toLength: 24, withPad: " ", startingAt: 0))\("all".leftPadded(14))"
      + "\("with negation".leftPadded(16))\("with contrast".leftPadded(16))")
for (name, runs) in results {
    print(name.padding(toLength: 24, withPad: " ", startingAt: 0) + cell(runs) + "  " + cell(runs, where: negated)
          + "  " + cell(runs, where: contrast))
}
let accuracyOf = Dictionary(uniqueKeysWithValues: results.map { ($0.name, meanAndSpread($0.runs.map { accuracy($0) }).mean) })

/*:
 The naive reader learns nothing: about 50%, a coin toss, below even the
 bag of words. In a shuffled batch of 32 some review is long, so for
 nearly every review `output[:, -1]` is the state after a run of padding,
 and the LSTM's memory of the review has been washed out by then. Reading
 the real last step gives the best result here, 98%, with masked max and
 attention close behind; masked mean and bidirectional `h_n` trail and
 vary more between seeds within this short budget. The bag of words is
 far behind every correct reader, and near chance on the reviews with a
 contrast, where only word order says which opinion wins.

 ## Whom does the naive bug hurt?

 A review's padding is the batch's longest length minus its own, so the
 shorter the review, the more padding `output[:, -1]` reads. Accuracy by
 review length (words; how many validation reviews in parentheses), mean
 over the seeds:
 */
let buckets: [(String, ClosedRange<Int>)] = [("≤ 12", 1...12), ("13–24", 13...24), ("25–36", 25...36), ("> 36", 37...10_000)]
print("\("reader".padding(toLength: 24, withPad: " ", startingAt: 0))"
      + buckets.map { bucket in "\(bucket.0) (\(validationSet.filter { bucket.1.contains($0.text.count) }.count))".leftPadded(14) }.joined())
let bucketLengths = buckets.map { bucket in   // the mean length of the reviews in each bucket, the plot's x
    let lengths = validationSet.map(\.text.count).filter { bucket.1.contains($0) }
    return Double(lengths.reduce(0, +)) / Double(max(lengths.count, 1))
}
var lengthPlot = LinePlot(title: "Day 5: validation accuracy by review length (mean over seeds)",
                          xLabel: "review length in words (mean of each bucket)", yLabel: "accuracy (%)")
for (name, runs) in results {
    let byBucket = buckets.map { bucket in
        meanAndSpread(runs.map { accuracy($0) { bucket.1.contains($0.text.count) } }).mean
    }
    print(name.padding(toLength: 24, withPad: " ", startingAt: 0) + byBucket.map { percent($0).leftPadded(14) }.joined())
    lengthPlot.addSeries(name, x: bucketLengths, y: byBucket.map { 100 * $0 })
}
lesson.writePlot(lengthPlot, name: "accuracy-by-length")

/*:
 ![Validation accuracy by review length for each reader, mean over seeds](figures/accuracy-by-length.svg)

 The naive reader is near chance in every bucket, so the bug costs most
 where the correct readers are best: on the short reviews, which every
 correct LSTM reader gets nearly all right. The long reviews are hard in
 their own way: going from 25–36 words to more than 36, every correct
 reader but mean pooling loses accuracy, bidirectional `h_n` the most,
 while mean pooling, which averages every step, holds up best there.

 ## Which words does attention read?

 The attention model's weights on a few validation reviews (first seed),
 each word followed by its weight in percent when it is at least 5%:
 */
if let model = lastAttentionModel {
    let sample = ReviewBatch(Array(validationSet.prefix(4)))
    let weights = withNoGrad { model(sample).weights! }
    for (b, review) in sample.reviews.enumerated() {
        let row = weights.selected(dim: 0, index: b).scalars
        let text = review.text.enumerated().map { t, w in row[t] >= 0.05 ? "\(w)[\(Int((100 * row[t]).rounded()))]" : w }
        print("  \(review.label): " + text.joined(separator: " "))
    }
}

/*:
 Most of the weight sits on the full stop that ends the deciding
 opinion, not on "good" or "not" themselves, and almost none on the
 neutral sentences that follow. The weights score LSTM *outputs*, and
 the output at that full stop already summarizes the clause it ends: the
 model learned to read the step where the deciding opinion is complete.

 Tomorrow: does initialization matter for an LSTM, and which parts?
 */
lesson.finish([
    "bag_of_words": accuracyOf["bag of words (baseline)"]!, "naive_last": accuracyOf[Reader.naive.rawValue]!,
    "last_valid": accuracyOf[Reader.last.rawValue]!, "bidirectional_hn": accuracyOf[Reader.bidirectional.rawValue]!,
    "masked_mean": accuracyOf[Reader.mean.rawValue]!, "masked_max": accuracyOf[Reader.max.rawValue]!,
    "attention": accuracyOf[Reader.attention.rawValue]!,
])
