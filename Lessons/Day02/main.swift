/*:
 # Day 2 — Minibatches

 Yesterday's tagger learned one sentence at a time: one optimizer step per
 sentence, each a chain of tiny matrix products. Today it learns from
 *minibatches* of sentences, and we measure what that buys and what it
 costs. Along the way: how to split data into training, validation and
 test sets, and why the test set never helps choose a model; when k-fold
 cross-validation is worth its price; what a data loader does; what
 `batchFirst` changes; why the LSTM starts every batch from a fresh hidden
 state; how to evaluate a model
 without disturbing it; and how to read a plot of training and validation
 loss.

 One restriction holds for today only: a batch is a rectangle `[B, T]`, so
 we batch together only sentences of the *same length*. Day 3 lifts it with
 padding and masking.

 Run it with `swift run day2` (`--help` lists the options; `--epochs` sets
 the epochs of each batch-size run: batch size 1 always runs one, and 32
 runs four times as many). Your exercises live in `Lessons/Day02/Exercises.swift`.
 */
/*:
 ## Why train on minibatches?

 Three reasons, one of them a trade-off:

 - **speed**: one step on 32 sentences is one matrix product of 32 rows
   per time step instead of 32 products of one row. The hardware does the
   32 rows in far less than 32 times the time, and the fixed costs of a
   step (the optimizer, the bookkeeping of autograd) are paid once;
 - **noise**: the gradient of a batch is an estimate of the gradient of the
   whole training set. One sentence gives a very noisy estimate, 32 a much
   better one. Some noise helps (it shakes the model out of poor spots, and
   many small steps make progress early), too much wastes steps;
 - **memory**: backward needs every activation of the forward pass, and
   their number grows with `B × T`. The largest batch that fits in memory
   is a hard ceiling on a GPU, and gradient accumulation (summing the
   gradients of several small batches before one step) is the way past it.

 The experiment near the end measures the first two.
 */
import Course
import Foundation
import Solutions
import Torchlet

let lesson = Lesson.start(
    day: 2, about: "minibatches: splits, k-fold, a data loader, batchFirst, the initial state, train vs. validation loss",
    seed: 2, epochs: 3)
let generator = Generator(seed: lesson.options.seed)

/*:
 ## How do we split the data, and why is the test set locked away?

 Three sets, three jobs:

 - the **training set** fits the weights: the optimizer sees only it;
 - the **validation set** chooses everything the optimizer does not: the
   number of epochs, the batch size, the learning rate, the model's size.
   Each choice peeks at it a little, so after many choices the validation
   loss is slightly optimistic;
 - the **test set** is used *once*, at the very end, to report how the
   chosen model does on data nobody tuned anything on. Use it to choose
   (pick the epoch with the best test score, say) and it becomes a second
   validation set, and the number you report is optimistic — with nothing
   left to tell you by how much.

 `randomSplit` (PyTorch's `random_split`) draws one permutation and cuts it,
 so the three sets are disjoint. The vocabulary comes from the training set
 only: a word seen first in validation is, honestly, unknown.
 */
let corpus = SyntheticTaggingCorpus()
let sentences = corpus.generate(count: 2_500, generator: generator)
let parts = randomSplit(sentences, fractions: [0.8, 0.1, 0.1], generator: generator)
let trainSet = parts[0].elements, validationSet = parts[1].elements, testSet = parts[2].elements
let words = Vocabulary(corpus: trainSet.map(\.words))
let tags = Vocabulary(corpus: [SyntheticTaggingCorpus.tagSet], specials: [])
print("split of \(sentences.count) sentences: \(trainSet.count) training, \(validationSet.count) validation, \(testSet.count) test; \(words.count) words")

/*:
 ## When is k-fold cross-validation worth it?

 With little data, one validation set is small and its score is noisy: a
 lucky split can make a worse model look better. *k-fold* cross-validation
 cuts the data into `k` folds and trains `k` times, each time validating on
 a different fold and training on the rest; the mean of the `k` scores is a
 steadier estimate, and their spread shows how noisy one split is.

 It costs `k` trainings, so it is for small data sets or cheap models. With
 thousands of sentences and a network that trains for hours, one validation
 split is the norm. Either way the test set stays outside the folds, and the
 model you finally keep is trained again on all the training data.

 Exercise 2.1 writes the splits without shuffling, as scikit-learn's `KFold`
 does (Torchlet's `KFold` adds `shuffle:`):
 */
let smallSplits = exercise("2.1", "k-fold index splits", student: { try kFoldSplits(count: 7, k: 3) },
                           reference: { Solutions.Day2.kFoldSplits(count: 7, k: 3) })
for (fold, split) in smallSplits.enumerated() {
    print("  fold \(fold): validation \(split.validation)  train \(split.train)")
}
let referenceSplits = Solutions.Day2.kFoldSplits(count: 7, k: 3)
noteDifference("2.1", smallSplits.map(\.train) == referenceSplits.map(\.train)
               && smallSplits.map(\.validation) == referenceSplits.map(\.validation) ? 0 : 1,
               what: "in the splits of 7 samples into 3 folds")

/*:
 How noisy is one small split? Take only 100 training sentences, as if
 that were all we had, and score the most-frequent-tag baseline of Day 1
 (trained on four folds, scored on the fifth) five times:
 */
let small = Array(trainSet.prefix(100))
let foldAccuracies = exercise("2.1", "k-fold index splits", student: { try kFoldSplits(count: small.count, k: 5) },
                              reference: { Solutions.Day2.kFoldSplits(count: small.count, k: 5) },
                              unusable: { splits in
    splits.count != 5 ? "\(splits.count) splits, not 5"
        : splits.contains { $0.train.isEmpty || $0.validation.isEmpty } ? "a split with no training or no validation rows"
        : splits.contains { ($0.train + $0.validation).contains { !small.indices.contains($0) } } ? "an index outside 0..<\(small.count)"
        : nil
})
    .map { split in
        MostFrequentTagBaseline(training: split.train.map { small[$0] }).accuracy(on: split.validation.map { small[$0] })
    }
let foldMean = foldAccuracies.reduce(0, +) / Double(foldAccuracies.count)
print("5-fold baseline accuracy on 100 sentences: \(foldAccuracies.map { format(100 * $0, 1) + "%" }.joined(separator: " "))")
print("  mean \(format(100 * foldMean, 1))%, from \(format(100 * foldAccuracies.min()!, 1))% to \(format(100 * foldAccuracies.max()!, 1))%: one split alone could have said either")

/*:
 ## What does a data loader do?

 A training loop wants, epoch after epoch, the data in batches, in a new
 random order each time. PyTorch's `DataLoader`, and Torchlet's, does
 exactly that: it holds a data set, a `batchSize`, `shuffle`, `dropLast`
 and a `collate` function that turns a list of samples into one batch. Each
 time you iterate it, it draws a new permutation from its generator, so
 every epoch differs and the whole run still repeats from the seed.

 `dropLast` leaves out a last batch that is shorter than the others. Use it
 when every batch must have the same size (a compiled graph, batch
 normalization), or to avoid one tiny, noisy step per epoch; the samples it
 leaves out differ each epoch, because the order is shuffled first.
 */
let loader = DataLoader(trainSet, batchSize: 30, shuffle: true, generator: generator)
let loaderDropLast = DataLoader(trainSet, batchSize: 30, shuffle: true, dropLast: true, generator: generator)
print("\(trainSet.count) sentences in batches of 30: \(loader.count) batches per epoch, \(loaderDropLast.count) with dropLast")
for epoch in 1...2 {
    var batches = loader.makeIterator()
    print("  epoch \(epoch), first batch, sentence lengths: \(batches.next()!.prefix(10).map(\.count)) …")
}

/*:
 Exercise 2.2 is the heart of it: the positions of one epoch's batches,
 shuffled with a generator, with or without `dropLast`.
 */
for dropLast in [false, true] {
    let batches = exercise("2.2", "a shuffling minibatch iterator", student: {
        try minibatches(count: 10, batchSize: 4, dropLast: dropLast, generator: generator)
    }, reference: {
        Solutions.Day2.minibatches(count: 10, batchSize: 4, dropLast: dropLast, generator: generator)
    })
    print("  10 samples, batches of 4, dropLast \(dropLast): \(batches)")
}

/*:
 ## Why can a batch not mix lengths — yet?

 Look at the lengths above: a batch of sentences of different lengths is
 not a rectangle, and a tensor must be one. Day 3 pads the short sentences.
 Until then we use a stopgap: group the sentences by their exact length,
 cut each group into shuffled minibatches (exercise 2.2), and shuffle the
 order of the batches, so that an epoch does not start with all the short
 sentences. Every batch is then a true `[B, T]` rectangle.

 The stopgap has a price that grows with the batch size. A length with
 only a few sentences makes a small batch (a length that only one sentence
 has makes a batch of one), so a large batch size is rarely reached; and a
 batch never mixes lengths, so batches are less random than a real
 shuffle. Day 3 replaces it with padding and masking; Day 10 brings the
 buckets back, with padding, to waste less.
 */
/// Batches of sentences of one length each: the sentences are grouped by
/// length, each group is cut into batches of at most `batchSize`, and with a
/// generator the cut is shuffled (exercise 2.2) and so is the batch order.
func equalLengthBatches(_ sentences: [TaggedSentence], batchSize: Int, shuffledBy shuffle: Generator?) -> [TaggingBatch] {
    // Sorted by length, because a dictionary's order changes from run to run.
    let groups = Dictionary(grouping: sentences, by: \.count).sorted { $0.key < $1.key }.map(\.value)
    var batches: [TaggingBatch] = []
    for group in groups {
        let positions: [[Int]]
        if let shuffle {
            positions = exercise("2.2", "a shuffling minibatch iterator", student: {
                try minibatches(count: group.count, batchSize: batchSize, dropLast: false, generator: shuffle)
            }, reference: {
                Solutions.Day2.minibatches(count: group.count, batchSize: batchSize, dropLast: false, generator: shuffle)
            }, unusable: { Unusable.batches($0, count: group.count, batchSize: batchSize) })
        } else {
            positions = stride(from: 0, to: group.count, by: batchSize).map { Array($0..<min($0 + batchSize, group.count)) }
        }
        batches += positions.map { TaggingBatch($0.map { group[$0] }, words: words, tags: tags) }
    }
    if let shuffle { shuffle.shuffle(&batches) }
    return batches
}

let sentencesOfLength = Dictionary(grouping: trainSet, by: \.count).mapValues(\.count)
print("\(trainSet.count) training sentences have \(sentencesOfLength.count) different lengths, \(sentencesOfLength.values.filter { $0 == 1 }.count) of them held by one sentence only:")
for batchSize in [8, 32, 128] {
    let batches = equalLengthBatches(trainSet, batchSize: batchSize, shuffledBy: generator)
    let full = batches.filter { $0.batchSize == batchSize }.count
    print("  batch size \(String(batchSize).leftPadded(3)): \(String(batches.count).leftPadded(3)) batches, \(String(full).leftPadded(3)) of them full, mean size \(format(Double(trainSet.count) / Double(batches.count), 1))")
}

/*:
 ## What does `batchFirst` change?

 Only the layout. An LSTM reads time step by time step, so PyTorch's default
 is time first, `[T, B, I]`. Data loaders naturally produce one row per
 sentence, `[B, T]`, so `batchFirst: true` lets the LSTM take `[B, T, I]`
 and return `[B, T, H]`; inside it transposes, and the numbers are the same.
 The final state `(h_n, c_n)` stays `[layers · directions, B, H]` either
 way — a classic surprise.

 The batched tagger of the course, `SequenceTagger`, is batch first all the
 way: word ids `[B, T]`, scores `[B, T, tags]`. The loss wants one row per
 token, so the scores are flattened to `[B·T, tags]`, row-major — sentence
 0's tokens, then sentence 1's — which is exactly the order of the flat tag
 array of a `TaggingBatch`. Flatten the scores time first and the tags
 batch first (or the reverse), and the loss silently pairs scores with the
 wrong tags.
 */
let timeFirstLSTM = LSTM(inputSize: 3, hiddenSize: 4, generator: generator)
let batchFirstLSTM = LSTM(inputSize: 3, hiddenSize: 4, batchFirst: true, generator: generator)
try batchFirstLSTM.loadStateDict(timeFirstLSTM.stateDict())   // the same weights
let batchMajor = Tensor.normal([2, 5, 3], generator: generator)   // [B, T, I]
let (outBatchFirst, (hBatchFirst, _)) = batchFirstLSTM(batchMajor)
let (outTimeFirst, (hTimeFirst, _)) = timeFirstLSTM(batchMajor.transposed(0, 1))
let layoutError = zip(outBatchFirst.scalars, outTimeFirst.transposed(0, 1).scalars).map { abs($0 - $1) }.max()!
print("batchFirst: input \(batchMajor.shape) → output \(outBatchFirst.shape), h_n \(hBatchFirst.shape); time first: output \(outTimeFirst.shape), h_n \(hTimeFirst.shape)")
print("  largest difference between the two outputs, after transposing: \(layoutError)")

let sampleBatch = equalLengthBatches(trainSet, batchSize: 4, shuffledBy: generator).first { $0.batchSize == 4 }!
let shapeTagger = SequenceTagger(vocabularySize: words.count, tagCount: tags.count, embeddingDim: 8, hiddenSize: 8, generator: generator)
let sampleScores = shapeTagger(words: sampleBatch.words, batchSize: sampleBatch.batchSize)
print("a batch of \(sampleBatch.batchSize) sentences of length \(sampleBatch.maxLength): word ids [\(sampleBatch.batchSize), \(sampleBatch.maxLength)] → scores \(sampleScores.shape) → flattened \(sampleScores.reshaped(to: [sampleBatch.words.count, tags.count]).shape) against \(sampleBatch.tags.count) tags")

/*:
 ## Why does every batch start from a fresh hidden state?

 The sentences of a batch are independent of each other and of the
 previous batch. If the state left by batch 17 started batch 18, sentence
 3 of batch 18 would "remember" whatever sentence 3 of batch 17 was — noise
 at best, and the result would depend on the order of the batches, which
 is random. (The gradient would also flow back into the previous batch
 unless the state were detached; Day 8 carries state on purpose, for one
 long text cut into chunks, and detaches it there.) So calling the LSTM
 without a state, as `SequenceTagger` does, starts every batch from zeros.

 Zeros is one choice of start, PyTorch's and Torchlet's default, and the
 one every model in this course has used so far. The others — random
 noise drawn per batch, or a learned `h0` and `c0` trained with the rest
 of the model — are Day 6's topic, on a task where the start matters more
 than it does for a tagger whose first words soon overwrite it.
 */
/*:
 ## How do we measure the validation loss?

 With the model in *eval mode* (dropout off: our tagger has none yet, the
 ones of Days 5 and 9 will), inside `withNoGrad` (no `backward()` will
 come, so recording the graph only costs time and memory), and averaged
 over *tokens*: a batch of 32 sentences of length 20 holds 640 tokens and
 a batch of one sentence of length 4 holds 4, and the mean of their two
 batch means would weigh those 4 tokens as much as the 640. Afterwards the
 model goes back to the mode it was in, so the training loop that asked
 goes on training. That is exercise 2.3.
 */
/// The mean cross-entropy per token of one batch: scores `[B, T, tags]`
/// flattened to `[B·T, tags]`, against the `B·T` tags in the same order.
func batchLoss(_ model: SequenceTagger, _ batch: TaggingBatch) -> Tensor {
    let scores = model(words: batch.words, batchSize: batch.batchSize)
    return crossEntropy(scores.reshaped(to: [batch.words.count, tags.count]), targets: batch.tags)
}

let validationBatches = equalLengthBatches(validationSet, batchSize: 256, shuffledBy: nil)

/// The mean loss per token on `batches`, with exercise 2.3.
func meanLoss(_ model: SequenceTagger, on batches: [TaggingBatch]) -> Float {
    exercise("2.3", "the evaluation loop", student: {
        try evaluate(model, batches: batches, loss: { batchLoss(model, $0) })
    }, reference: {
        Solutions.Day2.evaluate(model, batches: batches, loss: { batchLoss(model, $0) })
    })
}

/// Losses per epoch and the training time of one run.
struct TrainingRun {
    /// The mean loss per token over each epoch's training batches, measured while training.
    var trainingLoss: [Float] = []
    /// The validation loss per token at the end of each epoch.
    var validationLoss: [Float] = []
    /// The seconds spent training (making batches and steps; not validating).
    var seconds = 0.0
    /// The training seconds spent up to the end of each epoch.
    var secondsAfterEpoch: [Double] = []
    /// The optimizer steps taken.
    var steps = 0
    /// A copy of the weights at the epoch with the lowest validation loss so far, and that epoch (from 1).
    var best: (weights: StateDict, epoch: Int)?
}

/// Trains `model` with Adam for `epochs` epochs of equal-length batches of
/// `batchSize`, shuffled by `order`; reports progress as (epochs done, loss).
func train(_ model: SequenceTagger, batchSize: Int, epochs: Int, order: Generator,
           progress: (Double, Float) -> Void = { _, _ in }) -> TrainingRun {
    let optimizer = Adam(model.parameters(), learningRate: 0.01)
    var run = TrainingRun()
    for epoch in 0..<epochs {
        let stopwatch = Stopwatch()
        model.train()
        let batches = equalLengthBatches(trainSet, batchSize: batchSize, shuffledBy: order)
        var total = 0.0, tokens = 0
        for (k, batch) in batches.enumerated() {
            let loss = exercise("1.3", "one training step", student: {  // your Day 1 step, on minibatches now
                try trainStep(optimizer: optimizer) { batchLoss(model, batch) }
            }, reference: { Solutions.Day1.trainStep(optimizer: optimizer) { batchLoss(model, batch) } })
            lesson.checkLoss(loss, epoch: epoch + 1, batch: k + 1, run: "batch size \(batchSize)")
            total += Double(loss) * Double(batch.tokenCount)
            tokens += batch.tokenCount
            if k % 50 == 49 { progress(Double(epoch) + Double(k + 1) / Double(batches.count), Float(total / Double(tokens))) }
        }
        run.seconds += stopwatch.seconds
        run.secondsAfterEpoch.append(run.seconds)
        run.steps += batches.count
        run.trainingLoss.append(Float(total / Double(tokens)))
        run.validationLoss.append(meanLoss(model, on: validationBatches))
        if run.validationLoss.last! <= run.validationLoss.min()! { run.best = (model.stateDict(), epoch + 1) }
        progress(Double(epoch + 1), run.trainingLoss.last!)
    }
    return run
}

/*:
 ## How much faster is a larger batch, and what does it cost?

 The experiment: the same data, the same initial weights and the same
 learning rate (Adam, 0.01) for batch sizes 1, 8, 32 and 128. It prints
 the training seconds per epoch, the speed-up over batch size 1, and the
 validation loss after one epoch and after three. Batch size 1 trains for
 one epoch only: its epochs are the slow ones, and one is enough to see
 both what it costs and what it learns.

 **Predict, then run.** Batch size 32 takes 32 times fewer steps per epoch
 than batch size 1. Is an epoch about 32 times faster? And after one epoch
 — the same sentences seen once — whose validation loss is lower?

 <details><summary>Answer</summary>

 Much faster, though not 32 times: a step on 32 sentences costs more than
 a step on one, but far less than 32 of them, since one matrix product
 does the work of 32. The speed-up column has this run's factor. After
 one epoch the small batches are ahead: batch sizes 1 and 8 took 2,000
 and 274 steps where 32 took 93, and with Adam every step moves the
 weights about as far however noisy its gradient. Yet batch size 1, with
 seven times the steps of batch size 8, does not beat it by much, or at
 all: its steps are so noisy that many are wasted, and which of the two
 ends lower changes with the seed (and even with the last bits of the
 arithmetic; the line under the table says which did here). Per *second*
 the ranking turns around, as the comparison by time below shows.
 </details>
 */
let batchSizes = [1, 8, 32, 128]
let epochs = lesson.options.epochs
let curveEpochs = 4 * epochs   // batch size 32 goes on for the loss plot below
/// The epochs a batch size trains: one for batch size 1, and batch size 32 goes on for the loss plot below.
func epochsToTrain(batchSize: Int) -> Int { batchSize == 1 ? 1 : batchSize == 32 ? curveEpochs : epochs }
let modelSeed = generator.next(), orderSeed = generator.next()
func newTagger(seed: UInt64 = modelSeed) -> SequenceTagger {
    SequenceTagger(vocabularySize: words.count, tagCount: tags.count, embeddingDim: 32, hiddenSize: 64,
                   generator: Generator(seed: seed))
}
print("training a tagger (\(newTagger().parameterCount) parameters) with each batch size: batch size 1 for one epoch, the others for \(epochs) (32 goes on to \(curveEpochs)):")
let experimentProgress = ProgressLine("epoch", total: batchSizes.map { epochsToTrain(batchSize: $0) }.reduce(0, +))
var runs: [Int: TrainingRun] = [:]
var taggers: [Int: SequenceTagger] = [:]
var epochsDone = 0
for batchSize in batchSizes {
    let tagger = newTagger()
    let runEpochs = epochsToTrain(batchSize: batchSize)
    runs[batchSize] = train(tagger, batchSize: batchSize, epochs: runEpochs, order: Generator(seed: orderSeed)) { done, loss in
        experimentProgress.update(Double(epochsDone) + done, ["batch": batchSize, "loss": loss])
    }
    taggers[batchSize] = tagger
    epochsDone += runEpochs
}
experimentProgress.finish()
let secondsPerEpoch = runs.mapValues { $0.seconds / Double($0.trainingLoss.count) }
let validationAfterOne = runs.mapValues { $0.validationLoss[0] }
let validationAfter = runs.filter { $0.key != 1 }.mapValues { $0.validationLoss[epochs - 1] }
print("batch  steps/epoch  s/epoch  speed-up  val loss after 1 epoch                  after \(epochs) epochs")
for batchSize in batchSizes {
    let run = runs[batchSize]!
    let afterOne = validationAfterOne[batchSize]!
    let columns = [
        String(batchSize).leftPadded(5),
        String(run.steps / run.trainingLoss.count).leftPadded(11),
        format(secondsPerEpoch[batchSize]!, 2).leftPadded(7),
        (format(secondsPerEpoch[1]! / secondsPerEpoch[batchSize]!, 1) + "×").leftPadded(8),
        format(afterOne).leftPadded(22) + " " + bar(Double(afterOne), max: Double(validationAfterOne.values.max()!), width: 12),
        (validationAfter[batchSize].map { format($0) } ?? "—").leftPadded(14),
    ]
    print(columns.joined(separator: "  "))
}
let bestAfterOne = batchSizes.min { validationAfterOne[$0]! < validationAfterOne[$1]! }!
let bestAfterEpochs = validationAfter.min { $0.value < $1.value }!.key
print("lowest validation loss after 1 epoch: batch size \(bestAfterOne); after \(epochs) epochs: batch size \(bestAfterEpochs)")

/*:
 Read the table row by row. Batch size 1 takes a step per sentence, and
 its epoch costs the most time by far. Batch size 128 takes the fewest
 steps but is not much faster per epoch than 32 (its equal-length batches
 rarely fill up), and it is the furthest behind after one epoch and after three.
 The winner after a fixed number of epochs is a small batch, but not
 necessarily the smallest.

 The speed-up levels off as the batch grows: the arithmetic per token is
 the same at any batch size, and once the fixed cost of a step is shared
 out, a CPU has little left to gain (a GPU, whose thousands of cores sit
 idle at small batches, gains far more). Today's stopgap limits it too:
 most length groups hold fewer than 32 or 128 sentences. In practice one
 picks a batch size that keeps the hardware busy and then tunes the
 learning rate for it; larger batches usually tolerate a larger one
 (Day 7).

 ## How do we read a training-versus-validation loss plot?

 The batch-32 run went on for more epochs, measuring both losses after
 each. The training loss is the mean over the epoch's batches, measured
 while the model was still changing, so it lags the model by about half
 an epoch; the validation loss is measured at the end of the epoch.

 **Predict, then run.** The training loss falls every epoch. Does the
 validation loss fall all the way too?

 <details><summary>Answer</summary>

 No. It reaches its lowest point after a few epochs (the program prints
 which) and then creeps back up while the training loss keeps falling:
 the tagger starts to fit its training sentences rather than the
 grammar. That is why the weights of the best validation epoch are the
 ones to keep.
 </details>

 How to read the two curves:

 - both still falling: the model is still learning; train longer;
 - validation flat or rising while training keeps falling: *overfitting*:
   the model learns the training sentences rather than the language; stop
   at the lowest validation loss (early stopping, Day 7), or regularize;
 - both high and flat: *underfitting*: the model or the learning rate is
   too small, or there is a bug;
 - validation far below training from the start: look for a leak between
   the sets, or dropout making training look worse than it is.
 */
let curve = runs[32]!
let bestEpoch = curve.validationLoss.indices.min { curve.validationLoss[$0] < curve.validationLoss[$1] }! + 1
print("training   \(curve.trainingLoss.map { format($0) }.joined(separator: " "))  \(sparkline(curve.trainingLoss))")
print("validation \(curve.validationLoss.map { format($0) }.joined(separator: " "))  \(sparkline(curve.validationLoss))")
print("lowest validation loss \(format(curve.validationLoss[bestEpoch - 1])) at epoch \(bestEpoch) of \(curveEpochs); at the last epoch: training \(format(curve.trainingLoss.last!)), validation \(format(curve.validationLoss.last!))")
var plot = LinePlot(title: "Day 2: training vs. validation loss, batch size 32", xLabel: "epoch",
                    yLabel: "cross-entropy per token (log scale)", logScaleY: true)
plot.addSeries("training (mean over the epoch)", y: curve.trainingLoss)
plot.addSeries("validation (end of the epoch)", y: curve.validationLoss)
lesson.writePlot(plot, name: "loss")

/*:
 ![Training and validation loss per epoch at batch size 32, log scale](figures/loss.svg)

 Now compare by *time* rather than by epochs, the comparison that
 matters when training runs for hours: what each batch size reached, and
 how many seconds of training it took to get there.
 */
let bestSeconds = curve.secondsAfterEpoch[bestEpoch - 1]
print("batch size  1: 1 epoch in \(format(runs[1]!.seconds, 1)) s, validation loss \(format(validationAfterOne[1]!))")
print("batch size 32: \(curveEpochs) epochs in \(format(curve.seconds, 1)) s, lowest validation loss \(format(curve.validationLoss[bestEpoch - 1])) after \(bestEpoch) epochs, \(format(bestSeconds, 1)) s")

/*:
 ## What goes on the test set, and when?

 One model, chosen without the test set: the batch-32 tagger with the
 weights of its best validation epoch. While it trained, `train` kept a
 copy of the weights (`stateDict()`) whenever the validation loss reached
 a new low — the checkpoint early stopping keeps — and now they are
 loaded back (`loadStateDict`). Every choice so far used only the
 validation set. Now, once, its test loss and accuracy, next to the
 baseline of Day 1 on the same sentences:
 */
let chosen = taggers[32]!
let best = runs[32]!.best!
try! chosen.loadStateDict(best.weights)
print("the batch-32 tagger with its weights from epoch \(best.epoch) of \(curveEpochs), its lowest validation loss")
let testBatches = equalLengthBatches(testSet, batchSize: 256, shuffledBy: nil)
let testLoss = meanLoss(chosen, on: testBatches)
chosen.eval()
let testAccuracy: Double = withNoGrad {
    let scores = testBatches.map { batch in
        chosen(words: batch.words, batchSize: batch.batchSize).reshaped(to: [batch.words.count, tags.count])
    }
    let logits = Tensor(concatenating: scores, dim: 0), targets = testBatches.flatMap(\.tags)
    return exercise("1.4", "accuracy from logits", student: { try accuracy(logits: logits, targets: targets) },
                    reference: { Solutions.Day1.accuracy(logits: logits, targets: targets) },
                    unusable: { Unusable.share($0, "an accuracy") })
}
let baseline = MostFrequentTagBaseline(training: trainSet).accuracy(on: testSet)
print("test loss \(format(testLoss)), test accuracy \(format(100 * testAccuracy, 2))% vs. baseline \(format(100 * baseline, 2))%")
print("  LSTM     \(bar(testAccuracy, max: 1, width: 50))")
print("  baseline \(bar(baseline, max: 1, width: 50))")

/*:
 Tomorrow: real batches mix lengths. Padding makes them rectangles, and
 masking keeps the padding out of the loss and the accuracy.
 */
lesson.finish([
    "speedup_32": secondsPerEpoch[1]! / secondsPerEpoch[32]!,
    "val_loss_1": validationAfterOne[1]!,
    "val_loss_32": validationAfter[32]!,
    "test_accuracy": testAccuracy,
])
