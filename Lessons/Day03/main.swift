/*:
 # Day 3 — Padding and masking

 A minibatch is one tensor, but sentences have different lengths. Today we
 make them fit: pad every sentence to the longest in its batch, keep the
 real lengths, mark padding tags with an *ignore index*, flatten the
 outputs and the labels so they line up, and average the loss and the
 accuracy over real tokens only. Then we measure what goes wrong when the
 padding is not masked, and how much of every batch is padding at all.

 Run it with `swift run day3` (`--help` lists the options). Your exercises
 live in `Lessons/Day03/Exercises.swift`; until you fill them in, the
 lesson says so and uses the reference solutions.
 */
import Course
import Foundation
import Solutions
import Torchlet

let lesson = Lesson.start(
    day: 3, about: "padding and masking: pad to the longest, lengths, ignore index, masked loss and accuracy",
    seed: 3, epochs: 4)
let generator = Generator(seed: lesson.options.seed)

let corpus = SyntheticTaggingCorpus()
let trainSentences = corpus.generate(count: 1_500, generator: generator)
let validationSentences = corpus.generate(count: 400, generator: generator)
let testSentences = corpus.generate(count: 400, generator: Generator(seed: lesson.options.seed + 1_000))  // used once, at the end
let words = Vocabulary(corpus: trainSentences.map(\.words))
let tags = Vocabulary(corpus: trainSentences.map(\.tags), specials: [])

/*:
 ## Why pad?

 An LSTM advances every sentence of a batch by one step with one matrix
 product: the input of step `t` is a `[B, I]` matrix, one row per sentence.
 So a batch must be a rectangle, `[B, T]` word ids, and sentences of
 different lengths do not form one. The fix is to *pad*: append a padding
 token to every sentence until it is as long as the longest one in the
 batch. PyTorch calls this `pad_sequence`; Torchlet calls it
 `padSequence`, and exercise 3.1 writes it for token ids.
 */
let shortSentences = [3, 6, 4].map { length in trainSentences.first { $0.count == length }! }
let shortIds = shortSentences.map { words.indices(of: $0.words) }
let (paddedIds, shortLengths) = exercise("3.1", "pad a batch and return its lengths", student: {
    try padBatch(shortIds, paddingValue: words.padIndex!)
}, reference: {
    Solutions.Day3.padBatch(shortIds, paddingValue: words.padIndex!)
}, unusable: { Unusable.padded($0.padded, lengths: $0.lengths, count: shortIds.count) })
print("three sentences padded with <pad> = \(words.padIndex!) to the longest, \(paddedIds[0].count) ids:")
for (row, sentence) in zip(paddedIds, shortSentences) {
    let ids = row.map { String(format: "%4d", $0) }.joined()
    print("  \(ids)   \(sentence.words.joined(separator: " "))")
}
print("lengths \(shortLengths)")
let referencePadding = Solutions.Day3.padBatch(shortIds, paddingValue: words.padIndex!)
noteDifference("3.1", paddedIds == referencePadding.padded && shortLengths == referencePadding.lengths ? 0 : 1,
               what: "in the padded batch of three sentences")

/*:
 ## What are the lengths for?

 Once padded, the rectangle no longer says where each sentence ended: the
 pad id is just another number. The lengths are the only record, and
 everything that must skip padding is computed from them — today the
 *mask* that keeps padding out of the loss and the accuracy, on Day 4
 packing (`packPaddedSequence` takes the lengths), on Day 5 the last real
 output of each sentence. The mask is 1 at real tokens and 0 at padding
 (exercise 3.2; Torchlet's `lengthMask`, PyTorch's
 `torch.arange(T)[None, :] < lengths[:, None]`):
 */
let shortMask = exercise("3.2", "a mask from lengths", student: {
    try mask(lengths: shortLengths, maxLength: paddedIds[0].count)
}, reference: {
    Solutions.Day3.mask(lengths: shortLengths, maxLength: paddedIds[0].count)
}, unusable: { Unusable.shape($0, [shortLengths.count, paddedIds[0].count], "a mask") })
print("mask \(shortMask.shape):")
for b in 0..<shortLengths.count {
    let row = shortMask.scalars[(b * shortMask.shape[1])..<((b + 1) * shortMask.shape[1])]
    print("  " + row.map { String(format: "%4d", Int($0)) }.joined() + "   length \(shortLengths[b])")
}
noteDifference("3.2", Double(zip(shortMask.scalars, lengthMask(lengths: shortLengths, maxLength: paddedIds[0].count).scalars)
                   .map { abs($0 - $1) }.max() ?? 0), what: "(lengthMask) in the mask of three sentences")

/*:
 ## Which index should padding use?

 There are two paddings, and they need different values.

 **Word ids** are padded with the vocabulary's `<pad>` token, index 0. The
 tagger's `Embedding(paddingIndex: 0)` keeps that row a zero vector and
 never gives it a gradient, so padding feeds the LSTM zeros.

 **Tags** are the trap. The tag vocabulary has no special tokens, so
 index 0 is a real tag. Padding the tags with 0 "because the words were
 padded with 0" silently labels every padding position with that tag, and
 the loss then trains the model to predict it after every sentence. Here
 is how many fake labels one epoch of random batches of 32 would add:
 */
let untrained = SequenceTagger(vocabularySize: words.count, tagCount: tags.count, embeddingDim: 32, hiddenSize: 64,
                               generator: Generator(seed: lesson.options.seed))
let embeddingDim = untrained.embedding.weight.shape[1], padIndex = words.padIndex!
let padRow = untrained.embedding.weight.scalars[(padIndex * embeddingDim)..<((padIndex + 1) * embeddingDim)]
print("word \(padIndex) is \(words.word(at: padIndex)); its embedding row has \(padRow.count) values, "
      + "largest magnitude \(padRow.map(abs).max()!)")
print("tag 0 is \(tags.word(at: 0)), a real tag")
let epochOrder = generator.permutation(trainSentences.count)
let epochBatches = stride(from: 0, to: epochOrder.count, by: 32).map { start in
    TaggingBatch(epochOrder[start..<min(start + 32, epochOrder.count)].map { trainSentences[$0] }, words: words, tags: tags)
}
let paddingPositions = epochBatches.map { $0.batchSize * $0.maxLength - $0.tokenCount }.reduce(0, +)
let realTagZero = trainSentences.flatMap(\.tags).filter { $0 == tags.word(at: 0) }.count
print("padding tags with 0 would add \(paddingPositions) fake \(tags.word(at: 0)) labels to the \(realTagZero) real ones "
      + "(\(String(format: "%.1f", Double(paddingPositions) / Double(realTagZero)))×)")

/*:
 The safe value is one that is *not a class at all*: PyTorch's default
 `ignore_index` is −100, and `crossEntropy(…, ignoreIndex:)` skips every
 position whose target has that value. `TaggingBatch` pads words with
 `<pad>` and tags with −100:
 */
let shortBatch = TaggingBatch(shortSentences, words: words, tags: tags)
print("TaggingBatch: words \(shortBatch.words.count) ids = [B, T] = [\(shortBatch.batchSize), \(shortBatch.maxLength)], lengths \(shortBatch.lengths)")
print("  tags of sentence 0: \(shortBatch.tags.prefix(shortBatch.maxLength).map { $0 })")

/*:
 ## How do the outputs and the labels line up?

 The batched tagger returns scores `[B, T, C]` (C tags); `crossEntropy`
 wants rows `[N, C]` and N targets. *Flatten* both: `reshaped(to: [-1, C])`
 turns the scores into `B·T` rows, row `b·T + t` holding word `t` of
 sentence `b` — exactly the order of `TaggingBatch.tags`, which is `[B, T]`
 row-major. Padding positions are rows too; their targets are −100.

 The trap is a *time-first* output. An LSTM without `batchFirst` returns
 `[T, B, C]`, whose row `t·B + b` is a different word. Flattening it against
 batch-first labels gives the same number of rows, so nothing crashes; the
 labels are just wrong. We measure what that does after training.
 */
let firstBatch = epochBatches[0]
let firstLogits = untrained(words: firstBatch.words, batchSize: firstBatch.batchSize)
let flatLogits = firstLogits.reshaped(to: [-1, tags.count])
print("scores \(firstLogits.shape) → flattened \(flatLogits.shape); tags \(firstBatch.tags.count) targets, "
      + "\(firstBatch.tokenCount) real and \(firstBatch.tags.count - firstBatch.tokenCount) padding (−100)")

/*:
 ## What does ignoreIndex do?

 With `ignoreIndex: −100`, a position whose target is −100 adds nothing to
 the loss and is not counted in the mean. That is a masked mean:

 ```
 loss = Σₙ mₙ · ℓₙ / Σₙ mₙ      ℓₙ = −log softmax(xₙ)[targetₙ]
                                mₙ = 1 at a real token, 0 at padding
 ```

 Exercise 3.3 writes it from a per-position loss
 (`crossEntropy(…, reduction: .none)`) and the mask, and must agree with
 `ignoreIndex` in value and in gradient. Below, on the first batch of the
 epoch, the padding tags are even set to 0 — a real tag, the bug above —
 and the mask alone keeps them out. The classic mistake is dividing by
 `N = B·T` instead of `Σ mₙ`: the padding adds zeros to the mean, and the
 loss shrinks by the share of real tokens.

 **Predict, then run.** On a batch that is about 70% padding, how far off
 is the loss that divides by `B·T`?

 <details><summary>Answer</summary>

 It is the right loss times the share of real tokens: about 0.3 × the
 right loss here, printed on the last line below. The gradient shrinks by
 the same factor, and the factor changes from batch to batch with the
 amount of padding, so short-sentence batches get larger steps than
 long-tailed ones for no reason.
 </details>
 */
/// A copy of `tensor` with its own gradient, so two losses can be compared gradient for gradient.
func trackedCopy(_ tensor: Tensor) -> Tensor { Tensor(tensor.scalars, shape: tensor.shape, requiresGrad: true) }
let ignoreLogits = trackedCopy(flatLogits)
let maskLogits = trackedCopy(flatLogits)
let firstMask = exercise("3.2", "a mask from lengths", student: {
    try mask(lengths: firstBatch.lengths, maxLength: firstBatch.maxLength)
}, reference: {
    Solutions.Day3.mask(lengths: firstBatch.lengths, maxLength: firstBatch.maxLength)
}).flattened()
let zeroPaddedTags = firstBatch.tags.map { $0 == firstBatch.ignoreIndex ? 0 : $0 }
let ignoreLoss = crossEntropy(ignoreLogits, targets: firstBatch.tags, ignoreIndex: firstBatch.ignoreIndex)
let maskLoss = exercise("3.3", "masked cross-entropy", student: {
    try maskedCrossEntropy(logits: maskLogits, targets: zeroPaddedTags, mask: firstMask)
}, reference: {
    Solutions.Day3.maskedCrossEntropy(logits: maskLogits, targets: zeroPaddedTags, mask: firstMask)
}, unusable: { Unusable.loss($0) })
noteDifference("3.3", Double(abs(maskLoss.item - ignoreLoss.item)),
               what: "(crossEntropy with ignoreIndex) by \(abs(maskLoss.item - ignoreLoss.item)) on the first batch")
ignoreLoss.backward()
if maskLoss.requiresGrad { maskLoss.backward() }
let gradientGap = maskLogits.grad.map { grad in zip(ignoreLogits.grad!.scalars, grad.scalars).map { abs($0 - $1) }.max()! } ?? .nan
let perPosition = withNoGrad { crossEntropy(flatLogits, targets: firstBatch.tags, reduction: .none) }
let allPositionsMean = (perPosition * firstMask).sum().item / Float(firstBatch.tags.count)
print("untrained tagger, one batch of \(firstBatch.batchSize) with \(percent(firstBatch.paddingShare)) padding:")
print("  crossEntropy(ignoreIndex: −100)           \(String(format: "%.4f", ignoreLoss.item))")
print("  maskedCrossEntropy, tags padded with 0    \(String(format: "%.4f", maskLoss.item))   "
      + "largest gradient difference \(gradientGap)")
print("  Σ m·ℓ / (B·T), the mistake                \(String(format: "%.4f", allPositionsMean))   "
      + "= \(String(format: "%.3f", allPositionsMean / ignoreLoss.item)) × the right loss; "
      + "real tokens are \(String(format: "%.3f", 1 - firstBatch.paddingShare)) of the batch")

/*:
 Masking also makes training blind to *how much* padding there is — for
 a one-directional LSTM. Pad the same batch further, to the corpus's
 longest possible sentence: the masked loss and its gradients do not move
 (the LSTM runs left to right, so trailing padding cannot change a real
 token's output). A *bidirectional* LSTM reads the padding on its way
 back, so there the amount of padding does change the real tokens'
 outputs; only packing (Day 4) keeps it out. Meanwhile the
 mistaken mean over all `B·T` positions shrinks with every extra column.
 */
/// The rows of a row-major `[B, T]` array, padded further to `[B, length]` with `value`.
func paddedRows(_ values: [Int], batchSize: Int, to length: Int, with value: Int) -> [Int] {
    let steps = values.count / batchSize
    return (0..<batchSize).flatMap { b in
        values[(b * steps)..<((b + 1) * steps)] + [Int](repeating: value, count: length - steps)
    }
}

/// The masked loss of the untrained tagger on the first batch padded to
/// `length`, the mistaken mean over all positions, and the embedding's
/// gradient under the masked loss.
func lossesPadded(to length: Int) -> (masked: Float, overAllPositions: Float, gradient: [Float]) {
    let ids = paddedRows(firstBatch.words, batchSize: firstBatch.batchSize, to: length, with: words.padIndex!)
    let targets = paddedRows(firstBatch.tags, batchSize: firstBatch.batchSize, to: length, with: firstBatch.ignoreIndex)
    let logits = untrained(words: ids, batchSize: firstBatch.batchSize).reshaped(to: [-1, tags.count])
    untrained.zeroGrad()
    let maskedLoss = crossEntropy(logits, targets: targets, ignoreIndex: firstBatch.ignoreIndex)
    maskedLoss.backward()
    let overAllPositions = crossEntropy(logits, targets: targets, reduction: .sum).item / Float(targets.count)
    return (maskedLoss.item, overAllPositions, untrained.embedding.weight.grad!.scalars)
}
let atLongest = lossesPadded(to: firstBatch.maxLength), atLimit = lossesPadded(to: corpus.maxLength)
let paddingGradientGap = zip(atLongest.gradient, atLimit.gradient).map { abs($0 - $1) }.max()!
print("the same batch padded to \(firstBatch.maxLength) and to \(corpus.maxLength):")
print("  masked loss          \(String(format: "%.4f", atLongest.masked)) and \(String(format: "%.4f", atLimit.masked)); "
      + "largest embedding-gradient difference \(paddingGradientGap)")
print("  Σ m·ℓ / (B·T)        \(String(format: "%.4f", atLongest.overAllPositions)) and \(String(format: "%.4f", atLimit.overAllPositions))")

/*:
 ## How do we count accuracy on real tokens only?

 The same way: an argmax per position, counted only where `t < length`
 (exercise 3.4; Torchlet's `maskedAccuracy(logits:targets:ignoreIndex:)`
 does it from the ignore index instead). Counting the padding positions
 too rewards a model for predicting padding after every sentence — which
 is easy — and hides how it does on the words.

 ## What goes wrong without masking?

 The experiment: three taggers initialized from the same seed, trained
 with Adam on the same batches of 32, in lockstep.

 - **masked**: tags padded with −100, `crossEntropy(…, ignoreIndex: −100)`.
 - **unmasked**: the padding positions are labelled with an extra tag,
   PAD, and the loss is the plain mean over all `B·T` positions. This is
   the 0-padding bug with its own class, so we can count how often the
   model predicts padding.
 - **unmasked, padded to 60**: the same, with every batch padded to the
   corpus's longest possible sentence, as code that pads everything to a
   fixed `max_len` does. Only the amount of padding differs.

 Four times in the first epoch and after each later one, all three are
 evaluated on validation batches: accuracy on the real tokens (exercise
 3.4), the share of real tokens tagged PAD, and the unmasked model's
 accuracy counted over *all* positions — the number you see if you forget
 the mask in the metric too.

 **Predict, then run.** Early in training, what will the unmasked models
 predict for most *real* tokens? And will the unmasked model's accuracy
 over all positions look better or worse than its accuracy on real
 tokens?

 <details><summary>Answer</summary>

 PAD: most of their targets are PAD, so that is the cheapest thing to
 learn first, and in the first evaluations they tag most real tokens PAD
 (the "tagged PAD" columns). Their accuracy over all positions looks far
 better than on real tokens, because it counts every padding position
 they get right: the metric hides the bug unless it is masked too.
 </details>
 */
let padTag = tags.count
let modelSeed = generator.next()
/// A tagger for the experiment; the three of one run start from the same seed.
func experimentTagger(tagCount: Int, seed: UInt64) -> SequenceTagger {
    SequenceTagger(vocabularySize: words.count, tagCount: tagCount, embeddingDim: 32, hiddenSize: 64,
                   generator: Generator(seed: seed))
}
/// `sentences` cut into batches of 32, in order.
func batchesOf32(_ sentences: [TaggedSentence]) -> [TaggingBatch] {
    stride(from: 0, to: sentences.count, by: 32).map { start in
        TaggingBatch(Array(sentences[start..<min(start + 32, sentences.count)]), words: words, tags: tags)
    }
}
let validationBatches = batchesOf32(validationSentences)

/// The unmasked runs' targets: padding labelled with the PAD tag instead of −100.
func withPadTag(_ batch: TaggingBatch) -> [Int] {
    batch.tags.map { $0 == batch.ignoreIndex ? padTag : $0 }
}

/// How a tagger does on the validation batches.
struct Evaluation {
    /// Accuracy on the real tokens.
    var accuracy: Double
    /// The share of real tokens tagged PAD (0 for the masked model, which has no PAD tag).
    var padPredictions: Double
    /// Accuracy over every position, padding included, with PAD as the padding's target.
    var allPositionsAccuracy: Double
}

/// Evaluates `tagger` on `batches` (the validation batches unless told).
func evaluate(_ tagger: SequenceTagger, on batches: [TaggingBatch] = validationBatches) -> Evaluation {
    tagger.eval()
    defer { tagger.train() }
    return withNoGrad {
        var correct = 0.0, tokens = 0, padPredicted = 0, allCorrect = 0, positions = 0
        for batch in batches {
            let logits = tagger(words: batch.words, batchSize: batch.batchSize)  // [B, T, tags]
            let targets = withPadTag(batch)
            let share = exercise("3.4", "accuracy on real tokens", student: {
                try maskedAccuracy(logits: logits, targets: targets, lengths: batch.lengths)
            }, reference: {
                Solutions.Day3.maskedAccuracy(logits: logits, targets: targets, lengths: batch.lengths)
            }, unusable: { Unusable.share($0, "an accuracy") })
            correct += share * Double(batch.tokenCount)
            tokens += batch.tokenCount
            let predictions = logits.argmax(dim: -1)
            allCorrect += zip(predictions, targets).filter { $0 == $1 }.count
            positions += targets.count
            for b in 0..<batch.batchSize {
                for t in 0..<batch.lengths[b] where predictions[b * batch.maxLength + t] == padTag { padPredicted += 1 }
            }
        }
        return Evaluation(accuracy: correct / Double(tokens), padPredictions: Double(padPredicted) / Double(tokens),
                          allPositionsAccuracy: Double(allCorrect) / Double(positions))
    }
}

//: One training step is Day 1's four moves on a flattened batch. The
//: three runs differ only in the word ids and targets they are given.
/// One optimizer step of `tagger` on `words` `[B, T]` with `targets`; returns the loss.
func step(_ tagger: SequenceTagger, _ optimizer: Optimizer, words ids: [Int], batchSize: Int, targets: [Int],
          tagCount: Int) -> Float {
    // ignoreIndex −100 in crossEntropy: only the masked run has any.
    let loss = { crossEntropy(tagger(words: ids, batchSize: batchSize).reshaped(to: [-1, tagCount]), targets: targets) }
    return exercise("1.3", "one training step", student: { try trainStep(optimizer: optimizer, computeLoss: loss) },
                    reference: { Solutions.Day1.trainStep(optimizer: optimizer, computeLoss: loss) })
}

//: The loop feeds every batch to all three taggers, and evaluates them
//: at the same moments.
let epochs = lesson.options.epochs
let batchesPerEpoch = (trainSentences.count + 31) / 32
let quarterMarks = Set((1...4).map { $0 * batchesPerEpoch / 4 })

/// One run of the experiment: the three taggers and what was measured.
struct ExperimentRun {
    /// The masked, unmasked and padded-to-60 taggers, trained.
    var taggers: [SequenceTagger]
    /// Evaluations of the three, at fractional epochs.
    var curve: [(epoch: Double, runs: [Evaluation])] = []
    /// The mean training loss of each epoch, per tagger.
    var epochLosses: [[Float]] = [[], [], []]
    /// The padding share of the training batches: padded to the longest, and to 60.
    var paddingShares: [Double] = [0, 0]
}

/// Trains the three taggers from `seed` in lockstep for `epochs` epochs on
/// batches of 32 drawn by `order`, evaluating four times in the first epoch
/// and after every epoch when `quarterly`, else only at the end.
func runExperiment(seed: UInt64, order: Generator, quarterly: Bool, progress: ProgressLine, progressOffset: Double = 0)
    -> ExperimentRun {
    let taggers = [experimentTagger(tagCount: tags.count, seed: seed), experimentTagger(tagCount: tags.count + 1, seed: seed),
                   experimentTagger(tagCount: tags.count + 1, seed: seed)]
    let (masked, unmasked, padded60) = (taggers[0], taggers[1], taggers[2])
    let optimizers = taggers.map { Adam($0.parameters(), learningRate: 0.005) }
    var run = ExperimentRun(taggers: taggers)
    for epoch in 0..<epochs {
        let epochBatches = exercise("2.2", "a shuffling minibatch iterator", student: {
            try minibatches(count: trainSentences.count, batchSize: 32, dropLast: false, generator: order)
        }, reference: {
            Solutions.Day2.minibatches(count: trainSentences.count, batchSize: 32, dropLast: false, generator: order)
        }, unusable: { Unusable.batches($0, count: trainSentences.count, batchSize: 32) })
        var sums: [Float] = [0, 0, 0]
        for (k, positions) in epochBatches.enumerated() {
            let batch = TaggingBatch(positions.map { trainSentences[$0] }, words: words, tags: tags)
            let b = batch.batchSize, limit = corpus.maxLength
            sums[0] += step(masked, optimizers[0], words: batch.words, batchSize: b, targets: batch.tags, tagCount: tags.count)
            sums[1] += step(unmasked, optimizers[1], words: batch.words, batchSize: b, targets: withPadTag(batch),
                            tagCount: tags.count + 1)
            sums[2] += step(padded60, optimizers[2], words: paddedRows(batch.words, batchSize: b, to: limit, with: words.padIndex!),
                            batchSize: b, targets: paddedRows(withPadTag(batch), batchSize: b, to: limit, with: padTag),
                            tagCount: tags.count + 1)
            for (name, sum) in zip(["masked", "unmasked", "padded to 60"], sums) {
                lesson.checkLoss(sum, epoch: epoch + 1, batch: k + 1, run: name)  // a NaN or Inf loss makes its sum one
            }
            run.paddingShares[0] += batch.paddingShare
            run.paddingShares[1] += 1 - Double(batch.tokenCount) / Double(b * limit)
            let done = Double(epoch) + Double(k + 1) / Double(batchesPerEpoch)
            let due = quarterly ? (epoch == 0 && quarterMarks.contains(k + 1)) || k + 1 == batchesPerEpoch
                                : epoch == epochs - 1 && k + 1 == batchesPerEpoch
            if due { run.curve.append((done, taggers.map { evaluate($0) })) }
            progress.update(progressOffset + done, ["loss masked": sums[0] / Float(k + 1), "unmasked": sums[1] / Float(k + 1),
                                                    "padded to 60": sums[2] / Float(k + 1)])
        }
        for tagger in 0..<3 { run.epochLosses[tagger].append(sums[tagger] / Float(batchesPerEpoch)) }
    }
    run.paddingShares = run.paddingShares.map { $0 / Double(epochs * batchesPerEpoch) }
    return run
}

print("training three taggers, \(epochs) epochs of \(batchesPerEpoch) batches of 32:")
let progress = ProgressLine("epoch", total: epochs)
let experiment = runExperiment(seed: modelSeed, order: generator, quarterly: true, progress: progress)
progress.finish()
let masked = experiment.taggers[0]
let (curve, epochLosses, paddingShares) = (experiment.curve, experiment.epochLosses, experiment.paddingShares)

//: The results:
print("validation accuracy on real tokens; padding share of the training batches in brackets:")
print("         " + "masked".leftPadded(9) + "  │ " + "unmasked, padded to longest (\(percent(paddingShares[0], 0)))"
        .padding(toLength: 35, withPad: " ", startingAt: 0) + " │ unmasked, padded to 60 (\(percent(paddingShares[1], 0)))")
print("  epoch" + "accuracy".leftPadded(11) + "  │" + "accuracy".leftPadded(9) + "tagged PAD".leftPadded(12) + "all positions".leftPadded(15)
      + " │" + "accuracy".leftPadded(9) + "tagged PAD".leftPadded(12))
for point in curve {
    let (m, u, p) = (point.runs[0], point.runs[1], point.runs[2])
    print("  " + String(format: "%5.2f", point.epoch) + percent(m.accuracy).leftPadded(11) + "  │"
          + percent(u.accuracy).leftPadded(9) + percent(u.padPredictions, 2).leftPadded(12) + percent(u.allPositionsAccuracy).leftPadded(15)
          + " │" + percent(p.accuracy).leftPadded(9) + percent(p.padPredictions, 2).leftPadded(12))
}
let names = ["masked", "unmasked", "padded to 60"]
for (name, losses) in zip(names, epochLosses) {
    print("training loss per epoch, \(name.padding(toLength: 12, withPad: " ", startingAt: 0)) "
          + losses.map { String(format: "%.4f", $0) }.joined(separator: " "))
}
var plot = LinePlot(title: "Day 3: masked vs. unmasked training", xLabel: "epoch", yLabel: "validation share of real tokens")
for (run, name) in names.enumerated() {
    plot.addSeries("accuracy, \(name)", x: curve.map(\.epoch), y: curve.map { $0.runs[run].accuracy })
}
plot.addSeries("tagged PAD, unmasked", x: curve.map(\.epoch), y: curve.map { $0.runs[1].padPredictions })
plot.addSeries("tagged PAD, padded to 60", x: curve.map(\.epoch), y: curve.map { $0.runs[2].padPredictions })
lesson.writePlot(plot, name: "masking")
let final = curve.last!.runs
let afterEpoch1 = curve.first { $0.epoch >= 1 }!.runs

/*:
 ![Accuracy on real tokens, and the share of real tokens tagged PAD, per epoch for the three runs](figures/masking.svg)

 What the table shows, in this run:

 - The unmasked models first learn the easiest thing in their loss: most
   targets are PAD, so they tag most *real* tokens PAD too. They unlearn
   it within an epoch or two — the input tells padding apart, since the
   pad word's embedding is a zero vector — but their accuracy on real
   tokens lags the masked model's the whole run: every update also fits
   the PAD labels, and those are most of the targets.
 - The more padding, the worse. Padded to 60, PAD is a larger share of
   the targets still; that model tags real tokens PAD for longer and lags
   further. The masked model would not change at all: its loss and
   gradients ignore any amount of padding, as measured above.
 - The unmasked losses look *better* than the masked one in the first
   epoch, the more padding the lower, because easy PAD positions pull the
   mean down; and the unmasked accuracy over all positions flatters the
   model the same way. Neither number says how it does on words: report
   loss and accuracy over real tokens only.

 One more trap, measured with the trained masked tagger: its scores
 turned time-first (`[T, B, C]`, what an LSTM without `batchFirst`
 returns) and flattened against the batch-first labels.
 */
let (alignedAccuracy, misalignedAccuracy): (Double, Double) = withNoGrad {
    masked.eval()
    var right = 0.0, wrong = 0.0, tokens = 0.0
    for batch in validationBatches {
        let logits = masked(words: batch.words, batchSize: batch.batchSize)  // [B, T, C]
        let timeFirst = logits.transposed(0, 1)                              // [T, B, C]
        let n = Double(batch.tokenCount)
        right += n * Torchlet.maskedAccuracy(logits: logits.reshaped(to: [-1, tags.count]), targets: batch.tags)
        wrong += n * Torchlet.maskedAccuracy(logits: timeFirst.reshaped(to: [-1, tags.count]), targets: batch.tags)
        tokens += n
    }
    return (right / tokens, wrong / tokens)
}
print("masked tagger on validation batches: flattened batch-first \(percent(alignedAccuracy)); "
      + "time-first scores against batch-first labels \(percent(misalignedAccuracy))")

/*:
 ## Is the gap more than luck?

 One run is one draw: other starting weights and another batch order give
 other numbers. Two more runs of the same experiment with other seeds,
 evaluated only at the end, and the final accuracy of each tagger over all
 three runs:
 */
let otherSeeds = ProgressLine("two more seeds, epoch", total: 2 * epochs)
let otherRuns = (1...2).map { k in
    runExperiment(seed: modelSeed &+ UInt64(k), order: Generator(seed: lesson.options.seed &+ 100 &+ UInt64(k)),
                  quarterly: false, progress: otherSeeds, progressOffset: Double((k - 1) * epochs))
}
otherSeeds.finish()
let finalAccuracies = names.indices.map { tagger in
    ([experiment] + otherRuns).map { $0.curve.last!.runs[tagger].accuracy }
}
for (name, values) in zip(names, finalAccuracies) {
    let mean = values.reduce(0, +) / Double(values.count)
    print("  \(name.padding(toLength: 12, withPad: " ", startingAt: 0))  mean \(percent(mean)), "
          + "min–max \(percent(values.min()!))–\(percent(values.max()!))   (\(values.map { percent($0) }.joined(separator: ", ")))")
}
let maskedAhead = (1...2).map { other in zip(finalAccuracies[0], finalAccuracies[other]).filter { $0 > $1 }.count }
print("masked ahead of unmasked in \(maskedAhead[0]) of 3 runs, of padded to 60 in \(maskedAhead[1]) of 3")

/*:
 ## How much of a batch is padding?

 The LSTM computes every position of the `[B, T]` rectangle, padding
 included, so the padding share is the share of its work thrown away.
 The corpus has a long tail of lengths: a batch is as long as its longest
 sentence, and the larger the batch, the likelier it holds a long one.
 Below, the padding share of one epoch of random batches for three batch
 sizes, and of the same sentences sorted by length before batching.
 */
/// The padding share of batches of `size` cut from `sentences` in their order.
func paddingShare(of sentences: [TaggedSentence], batchSize size: Int) -> Double {
    var tokens = 0, positions = 0
    for start in stride(from: 0, to: sentences.count, by: size) {
        let lengths = sentences[start..<min(start + size, sentences.count)].map(\.count)
        tokens += lengths.reduce(0, +)
        positions += lengths.count * lengths.max()!
    }
    return 1 - Double(tokens) / Double(positions)
}
let shuffled = generator.permutation(trainSentences.count).map { trainSentences[$0] }
let sorted = trainSentences.sorted { $0.count < $1.count }
let sortedLengths = sorted.map(\.count)
print("lengths of the \(trainSentences.count) training sentences: median \(sortedLengths[sortedLengths.count / 2]), "
      + "90th percentile \(sortedLengths[sortedLengths.count * 9 / 10]), longest \(sortedLengths.last!)")
print("  batch   random batches                   sorted by length")
var randomShares: [Int: Double] = [:]
for size in [8, 32, 128] {
    let random = paddingShare(of: shuffled, batchSize: size), bySize = paddingShare(of: sorted, batchSize: size)
    randomShares[size] = random
    print("  " + "\(size)".leftPadded(5) + percent(random).leftPadded(8) + " " + bar(random, max: 1, width: 24)
          + percent(bySize).leftPadded(8) + " " + bar(bySize, max: 1, width: 24))
}

/*:
 The waste is real time, too: one forward pass of the tagger over the
 training set in batches of 32, random against sorted (the best of three
 passes each).
 */
/// The fastest of three forward passes of the masked tagger over `sentences` in batches of 32, in seconds.
func forwardSeconds(_ sentences: [TaggedSentence]) -> Double {
    let batches = batchesOf32(sentences)
    masked.eval()
    return (0..<3).map { _ in
        let stopwatch = Stopwatch()
        withNoGrad {
            for batch in batches { _ = masked(words: batch.words, batchSize: batch.batchSize) }
        }
        return stopwatch.seconds
    }.min()!
}
let randomSeconds = forwardSeconds(shuffled), sortedSeconds = forwardSeconds(sorted)
print("one forward pass, batches of 32: random \(String(format: "%.3f", randomSeconds)) s, "
      + "sorted \(String(format: "%.3f", sortedSeconds)) s (\(String(format: "%.1f", randomSeconds / sortedSeconds))× as long)")

/*:
 Sorting removes most of the padding, but batches of sorted sentences
 are no longer random: every epoch sees the same batches, the short
 sentences together and the long ones together. Day 4's *packing* skips
 the padding inside the LSTM without changing the batches, and Day 10's
 *bucketing* keeps most of sorting's gain with shuffled batches.

 Every comparison so far used the validation set. The test set, kept
 apart since the start, is used once, for the model we would keep — the
 masked one:
 */
let testAccuracy = evaluate(masked, on: batchesOf32(testSentences)).accuracy
print("masked tagger, test set (\(testSentences.count) sentences, used once): accuracy on real tokens \(percent(testAccuracy))")
lesson.finish([
    "masked_accuracy": final[0].accuracy,
    "unmasked_accuracy": final[1].accuracy,
    "padded60_accuracy": final[2].accuracy,
    "pad_predictions_epoch1": afterEpoch1[1].padPredictions,
    "padding_share_32": randomShares[32]!,
    "test_accuracy": testAccuracy,
    "masked_mean_3_seeds": finalAccuracies[0].reduce(0, +) / 3,
    "unmasked_mean_3_seeds": finalAccuracies[1].reduce(0, +) / 3,
    "padded60_mean_3_seeds": finalAccuracies[2].reduce(0, +) / 3,
])
