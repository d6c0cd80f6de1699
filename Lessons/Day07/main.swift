/*:
 # Day 7 — Optimization

 The models of Days 1–6 all trained with Adam at a fixed learning rate
 for a fixed number of epochs, and it worked. Today's question: how do
 you make training fast and stable, and keep the best model? Five tools,
 each measured: clipping the gradient's norm, which keeps one bad step
 from wrecking a run; the choice of optimizer; a learning rate that
 changes as training goes; early stopping, which keeps the weights of the
 best epoch; and checkpoints, which let a run stop and resume exactly.
 Along the way, one more look at minibatches: how noisy is the gradient
 of a small batch?

 The model is the tagger of Days 2–4 (`SequenceTagger`) on padded
 batches of the synthetic language, with the masked loss of Day 3, and
 for the choice of optimizer Day 5's review classifier. Run it
 with `swift run day7` (`--help` lists the options). Your exercises live
 in `Lessons/Day07/Exercises.swift`; the lesson also runs your Day 2
 minibatches (2.2) and evaluation loop (2.3).
 */
import Course
import Foundation
import Solutions
import Torchlet

let lesson = Lesson.start(
    day: 7, about: "optimization: clipping, SGD vs. momentum vs. Adam vs. AdamW, schedules, early stopping, checkpoints",
    seed: 7, epochs: 6)
let generator = Generator(seed: lesson.options.seed)

let sentences = SyntheticTaggingCorpus(maxLength: 30).generate(count: 1_500, generator: Generator(seed: lesson.options.seed + 100))
let parts = randomSplit(sentences, fractions: [0.8, 0.1, 0.1], generator: generator)
let trainSet = Array(parts[0].elements), validationSet = Array(parts[1].elements), testSet = Array(parts[2].elements)
let words = Vocabulary(corpus: trainSet.map(\.words))
let tags = Vocabulary(corpus: [SyntheticTaggingCorpus.tagSet], specials: [])
print("\(trainSet.count) training, \(validationSet.count) validation and \(testSet.count) test sentences; \(words.count) words")

func newTagger(seed: UInt64) -> SequenceTagger {
    SequenceTagger(vocabularySize: words.count, tagCount: tags.count, embeddingDim: 32, hiddenSize: 64,
                   generator: Generator(seed: seed))
}

/// One epoch's padded training batches of 32, in an order drawn from `order` by exercise 2.2.
func trainingBatches(order: Generator) -> [TaggingBatch] {
    let groups = exercise("2.2", "a shuffling minibatch iterator", student: {
        try minibatches(count: trainSet.count, batchSize: 32, dropLast: false, generator: order)
    }, reference: { Solutions.Day2.minibatches(count: trainSet.count, batchSize: 32, dropLast: false, generator: order) },
        unusable: { Unusable.batches($0, count: trainSet.count, batchSize: 32) })
    return groups.map { batch in TaggingBatch(batch.map { trainSet[$0] }, words: words, tags: tags) }
}

/// The mean cross-entropy per real token of a padded batch (Day 3).
func batchLoss(_ model: SequenceTagger, _ batch: TaggingBatch) -> Tensor {
    let scores = model(words: batch.words, batchSize: batch.batchSize)
    return crossEntropy(scores.reshaped(to: [batch.words.count, tags.count]), targets: batch.tags, ignoreIndex: batch.ignoreIndex)
}

/// `sentences` in padded batches of 64, in order: for evaluation.
func batches(of sentences: [TaggedSentence]) -> [TaggingBatch] {
    stride(from: 0, to: sentences.count, by: 64).map {
        TaggingBatch(Array(sentences[$0..<min($0 + 64, sentences.count)]), words: words, tags: tags)
    }
}
let validationBatches = batches(of: validationSet), testBatches = batches(of: testSet)

/// The largest difference between two models' parameters, value by value.
func largestDifference(_ a: Module, _ b: Module) -> Float {
    zip(a.parameters(), b.parameters()).map { p, q in zip(p.scalars, q.scalars).map { abs($0 - $1) }.max()! }.max()!
}

/// The mean loss per token on `batches`, with exercise 2.3.
func meanLoss(_ model: SequenceTagger, on batches: [TaggingBatch]) -> Float {
    exercise("2.3", "the evaluation loop", student: { try evaluate(model, batches: batches, loss: { batchLoss(model, $0) }) },
             reference: { Solutions.Day2.evaluate(model, batches: batches, loss: { batchLoss(model, $0) }) })
}

/// Clips the gradients' joint norm to `maxNorm` with exercise 7.1; returns the norm before clipping.
@discardableResult
func clip(_ model: Module, maxNorm: Float) -> Float {
    exercise("7.1", "clip the gradient norm", student: { try clipGradientNorm(model.parameters(), maxNorm: maxNorm) },
             reference: { Solutions.Day7.clipGradientNorm(model.parameters(), maxNorm: maxNorm) })
}

/// One epoch of training: for each batch, backward, then (if `maxNorm`)
/// clipping, then the step.
/// Returns each step's loss and gradient norm before clipping; stops at
/// the first loss that is not finite.
func trainEpoch(_ model: SequenceTagger, optimizer: Optimizer, order: Generator, maxNorm: Float? = nil) -> (losses: [Float], norms: [Float]) {
    var losses: [Float] = [], norms: [Float] = []
    for batch in trainingBatches(order: order) {
        optimizer.zeroGrad()
        let loss = batchLoss(model, batch)
        losses.append(loss.item)
        guard loss.item.isFinite else { break }
        loss.backward()
        // Clip after backward and before the step, every step: the norm is measured either way.
        norms.append(maxNorm.map { clip(model, maxNorm: $0) } ?? clipGradNorm(model.parameters(), maxNorm: .infinity))
        optimizer.step()
    }
    return (losses, norms)
}

/*:
 ## What does clipping do?

 Backpropagation through time multiplies by the recurrent weights once
 per step. When those products grow, one batch's gradient can be
 hundreds of times larger than the usual one, and a single step with it
 throws the weights far from where training had brought them: the loss
 jumps, and it can become infinite or NaN, after which nothing recovers.

 *Clipping by norm* bounds the step, not the direction. Treat all
 gradients of the model as one long vector `g`; if its length `‖g‖` is
 above a threshold `maxNorm`, scale it down to that length:

 ```
 g ← g · min(1, maxNorm / ‖g‖)
 ```

 Small gradients pass untouched; a huge one keeps its direction with a
 sane length. In PyTorch it is `torch.nn.utils.clip_grad_norm_(params,
 max_norm)`, a utility called once per step between `backward()` and
 `optimizer.step()` — not an optimizer method, and not once per epoch,
 as some tutorials have it: a once-per-epoch clip touches only the last
 batch's gradient, after every other step already went unclipped. It
 returns the norm before clipping, which is worth logging. That is
 exercise 7.1.

 The demonstration: the tagger trained for one epoch with plain SGD at
 learning rate 50 — the kind of large rate with which PyTorch's word
 language model trains (20), and which works there only because every
 step is clipped (to 0.25) — once without clipping and once with the
 norm clipped to 0.25, from the same weights and the same batches, for
 three batch orders.

 **Predict, then run.** Without clipping, does the loss go down more
 slowly, or not at all?

 <details><summary>Answer</summary>

 Not at all: a few steps in, the gradients grow, each large step makes
 the next gradient larger, and the loss ends the epoch far *above* where
 it started. (In float arithmetic it can also end at NaN; Torchlet's
 cross-entropy is computed in the stable way of Day 1, so here it stays
 a large finite number.) With clipping, the same run trains: the large
 gradients still come, but no single step can do much harm.
 </details>
 */
var normRuns: [(name: String, norms: [Float])] = []
for maxNorm: Float? in [nil, 0.25] {
    let name = maxNorm.map { "clipped to norm \(format($0, 2))" } ?? "no clipping"
    var results: [(first: Float, last: Float, maxNorm: Float)] = []
    for seed: UInt64 in [1, 2, 3] {
        let model = newTagger(seed: lesson.options.seed)
        let (losses, norms) = trainEpoch(model, optimizer: SGD(model.parameters(), learningRate: 50), order: Generator(seed: seed),
                                         maxNorm: maxNorm)
        results.append((losses.first!, losses.last!, norms.max()!))
        if seed == 1 { normRuns.append((name, norms)) }
    }
    print("\(name.padding(toLength: 21, withPad: " ", startingAt: 0)) loss at the first step \(format(results[0].first, 2)), "
          + "at the last: \(results.map { format($0.last, 2) }.joined(separator: ", ")) (3 batch orders); "
          + "largest gradient norm \(results.map { format($0.maxNorm, 1) }.joined(separator: ", "))")
}
var normPlot = LinePlot(title: "Day 7: gradient norm per step, SGD at learning rate 50", xLabel: "step",
                        yLabel: "gradient norm before clipping (log scale)", logScaleY: true)
for run in normRuns { normPlot.addSeries(run.name, y: run.norms) }
lesson.writePlot(normPlot, name: "gradient-norms")

/*:
 ![Gradient norm per step with and without clipping, log scale](figures/gradient-norms.svg)

 Without clipping the norm shoots up within the first few steps: one
 oversized step lands the weights where the gradient is larger still,
 and the run stays on a high, spiky plateau from which the loss does not
 recover within the epoch. The clipped run sees large gradients too —
 clipping does not make them go away, it only limits what one step can
 do with them — and its norms settle as it trains. A good threshold sits a little
 above the typical norm of a healthy run (logging the returned norm
 shows it); PyTorch's word language model uses 0.25, many recipes use 1
 or 5.

 ## Which optimizer?

 Four optimizers on Day 5's task, reading a review's opinion, with its
 right reader in one module (`ReviewClassifier`: the packed LSTM's `h_n`
 into one logit, trained with `binaryCrossEntropyWithLogits`), from the
 same three seeds, for six epochs each (`--epochs`), every step clipped
 at norm 5:

 - **SGD** (learning rate 1): `p ← p − lr · g`;
 - **SGD with momentum** 0.9 (learning rate 0.1): a running sum of
   gradients, `b ← 0.9 b + g`, `p ← p − lr · b`, so consistent
   directions build up speed and noise averages out;
 - **Adam** (0.01): a per-parameter step, the running mean of `g` divided
   by the root of the running mean of `g²` (exercise 7.4 below);
 - **AdamW** (0.01, weight decay 0.01): Adam with *decoupled* weight decay,
   `p ← p − lr · λ · p` besides the Adam step. Adam's own `weightDecay`
   adds `λ p` to the gradient instead, where the division by `√v` then
   shrinks it for exactly the parameters with large gradients; AdamW's
   decay is the same for every parameter.

 Each learning rate is a usual one for its optimizer, not tuned here.
 */
let reviews = SyntheticReviews().generate(count: 900, generator: Generator(seed: lesson.options.seed + 200))
let (reviewTrain, reviewValidation) = (Array(reviews[..<750]), Array(reviews[750...]))
let reviewWords = Vocabulary(corpus: reviewTrain.map(\.text))
/// Token ids and 0/1 targets (1 for the second label) of a batch of reviews.
func reviewBatch(_ batch: ArraySlice<LabeledText>) -> (ids: [[Int]], targets: Tensor) {
    (batch.map { reviewWords.indices(of: $0.text) }, Tensor(batch.map { $0.label == SyntheticReviews.labels[1] ? 1 : 0 }))
}
/// The validation loss and accuracy of a review classifier.
func reviewValidationResult(_ model: ReviewClassifier) -> (loss: Float, accuracy: Double) {
    withNoGrad {
        let (ids, targets) = reviewBatch(reviewValidation[...])
        let logits = model(ids)
        let right = zip(logits.scalars, targets.scalars).filter { ($0 > 0) == ($1 == 1) }.count
        return (binaryCrossEntropyWithLogits(logits, targets: targets).item, Double(right) / Double(reviewValidation.count))
    }
}
let epochs = lesson.options.epochs, seeds: [UInt64] = [1, 2, 3]
let optimizers: [(name: String, make: ([Tensor]) -> Optimizer)] = [
    ("SGD", { SGD($0, learningRate: 1) }),
    ("SGD + momentum", { SGD($0, learningRate: 0.1, momentum: 0.9) }),
    ("Adam", { Adam($0, learningRate: 0.01) }),
    ("AdamW", { AdamW($0, learningRate: 0.01, weightDecay: 0.01) }),
]
let optimizerProgress = ProgressLine("run", total: optimizers.count * seeds.count)
var curves: [String: [[Float]]] = [:]         // validation loss after each epoch, per seed
var finalAccuracies: [String: [Double]] = [:] // validation accuracy after the last epoch, per seed
for (name, make) in optimizers {
    for seed in seeds {
        let model = ReviewClassifier(vocabularySize: reviewWords.count, embeddingDim: 16, hiddenSize: 24, generator: Generator(seed: seed))
        let optimizer = make(model.parameters())
        let order = Generator(seed: 100 + seed)
        var curve: [Float] = []
        for epoch in 1...epochs {
            let shuffled = order.permutation(reviewTrain.count).map { reviewTrain[$0] }
            for (b, start) in stride(from: 0, to: shuffled.count, by: 32).enumerated() {
                let (ids, targets) = reviewBatch(shuffled[start..<min(start + 32, shuffled.count)])
                optimizer.zeroGrad()
                let loss = binaryCrossEntropyWithLogits(model(ids), targets: targets)
                lesson.checkLoss(loss.item, epoch: epoch, batch: b + 1, run: name)
                loss.backward()
                clip(model, maxNorm: 5)
                optimizer.step()
            }
            curve.append(reviewValidationResult(model).loss)
        }
        curves[name, default: []].append(curve)
        finalAccuracies[name, default: []].append(reviewValidationResult(model).accuracy)
        optimizerProgress.update(Double(curves.values.map(\.count).reduce(0, +)), ["optimizer": name])
    }
}
optimizerProgress.finish()
print("optimizer        validation loss after each epoch (mean of \(seeds.count) seeds)   after \(epochs): mean ± sd   accuracy")
var optimizerPlot = LinePlot(title: "Day 7: review classifier, validation loss by optimizer", xLabel: "epoch",
                             yLabel: "validation loss (binary cross-entropy)")
for (name, _) in optimizers {
    let perEpoch = (0..<epochs).map { e in meanAndSpread(curves[name]!.map { $0[e] }).mean }
    let (last, sd) = meanAndSpread(curves[name]!.map { $0.last! })
    let (accuracy, accuracySpread) = meanAndSpread(finalAccuracies[name]!)
    print("\(name.padding(toLength: 15, withPad: " ", startingAt: 0))  \(perEpoch.map { format($0) }.joined(separator: " ").padding(toLength: 46, withPad: " ", startingAt: 0))  "
          + "\(format(last)) ± \(format(sd))   \(percent(accuracy)) ± \(format(100 * accuracySpread, 1))")
    optimizerPlot.addSeries(name, x: (1...epochs).map(Double.init), y: perEpoch)
}
lesson.writePlot(optimizerPlot, name: "optimizers")
let ranking = optimizers.map(\.name).sorted { meanAndSpread(curves[$0]!.map { $0.last! }).mean < meanAndSpread(curves[$1]!.map { $0.last! }).mean }
print("lowest mean validation loss after \(epochs) epochs: \(ranking[0]); highest: \(ranking.last!)")

/*:
 ![Validation loss per epoch for each optimizer, mean over seeds](figures/optimizers.svg)

 In this run plain SGD and SGD with momentum have not left chance after
 six epochs (a validation loss near `log 2 ≈ 0.69` and accuracy near
 50%), while Adam and AdamW have learned to read the reviews, with
 spreads between seeds that overlap. Plain SGD moves every weight by the
 same multiple of its gradient, and the gradients of an LSTM's parameters
 differ by orders of magnitude — a word's embedding gets a gradient only
 in the batches where the word occurs, and the signal from a review's
 first words reaches them through many steps — so one learning rate is
 too small for some and too large for others. Momentum at rate 0.1
 takes, once its running sum has built up, steps as large as SGD's at
 rate 1 (a sum of gradients that decays by 0.9 per step grows to
 1 / (1 − 0.9) = 10 of them): a smoother path, not a different scale
 per parameter. Adam gives every parameter its own step size, which is
 why it is the usual first choice for recurrent networks. SGD can work
 too, with a learning rate tuned per model and often many more epochs.
 AdamW differs from Adam only in its decay; the two runs here part ways
 after a few epochs, but by less than the spread between seeds.

 ## What does Adam do that SGD does not?

 Two running means per parameter, of the gradient (`m`, the direction)
 and of its square (`v`, its typical size), and a step of `m / √v`: about
 the learning rate in size, whatever the scale of that parameter's
 gradient. Both means start at zero, so early on they are too small;
 dividing by `1 − β^t` (the *bias correction*) undoes that exactly for
 a constant gradient. Exercise 7.4 writes the step by hand; here it runs
 five steps next to Torchlet's `Adam` on the same gradients:
 */
let byHand = Linear(inFeatures: 4, outFeatures: 3, generator: Generator(seed: 5))
let byAdam = Linear(inFeatures: 4, outFeatures: 3, generator: Generator(seed: 5))
let adam = Adam(byAdam.parameters(), learningRate: 0.1)
var firstMoments = byHand.parameters().map { [Float](repeating: 0, count: $0.count) }   // m, one array per parameter
var secondMoments = firstMoments                                                          // v
let inputs = Tensor.normal([8, 4], generator: Generator(seed: 6))
for step in 1...5 {
    for model in [byHand, byAdam] {
        model.zeroGrad()
        (model(inputs) * model(inputs)).mean().backward()
    }
    adam.step()
    for (k, p) in byHand.parameters().enumerated() {
        exercise("7.4", "one Adam step by hand", student: {
            try adamStep(p, m: &firstMoments[k], v: &secondMoments[k], step: step, learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
        }, reference: {
            Solutions.Day7.adamStep(p, m: &firstMoments[k], v: &secondMoments[k], step: step, learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
        })
    }
}
let adamDifference = largestDifference(byHand, byAdam)
noteDifference("7.4", Double(adamDifference), tolerance: 1e-5, what: "(Torchlet's Adam) by \(adamDifference) after 5 steps")
print("after 5 steps, the largest difference between Adam by hand and Torchlet's Adam: \(adamDifference)")

/*:
 ## How should the learning rate change?

 Early in training large steps make fast progress; late, they bounce
 around the minimum instead of settling into it. Two common schedules:

 - **reduce on plateau**: watch the validation loss after every epoch;
   when it has not improved by a relative `threshold` for more than
   `patience` epochs, multiply the learning rate by `factor`, then wait
   `cooldown` epochs before counting again (`ReduceLROnPlateau`; its
   state machine is exercise 7.2);
 - **warm-up, then cosine decay**: per *step*, rise linearly from 0 to
   the peak over the first steps (while Adam's `v` is still unreliable),
   then follow half a cosine down to a minimum (`WarmupCosineLR`, as
   Hugging Face's `get_cosine_schedule_with_warmup`; in PyTorch a
   `SequentialLR` of `LinearLR` and `CosineAnnealingLR`).

 ## When do we stop, and which weights do we keep?

 Day 2 showed the validation loss bottoming out and rising again while
 the training loss kept falling. *Early stopping* trains until the
 validation loss has not reached a new low for `patience` epochs, then
 puts back the weights of the best epoch, kept as a copy
 (`stateDict()`) each time the loss reached a new low. That is exercise
 7.3. It decides with the validation set only; the test set is used once,
 at the end.

 The run: Adam at 0.01, reduce-on-plateau (factor 0.5, patience 1,
 threshold 1%) stepped on the validation loss after every epoch, early
 stopping with patience 3, at most 15 epochs. Your 7.2 runs alongside
 Torchlet's `ReduceLROnPlateau` on the same losses.

 **Predict, then run.** The validation loss of Day 2's batch-32 tagger
 was lowest at epoch 4 of 12. At which epoch will this run stop, and
 which epoch's weights will it keep?

 <details><summary>Answer</summary>

 It stops `patience` = 3 epochs after its lowest validation loss, and
 keeps the weights of that lowest epoch; the program prints both. The
 plateau schedule usually halves the learning rate once or twice before
 that, which can buy one more new low.
 </details>
 */
let stoppingModel = newTagger(seed: 1)
let stoppingOptimizer = Adam(stoppingModel.parameters(), learningRate: 0.01)
let settings = PlateauSettings(factor: 0.5, patience: 1, threshold: 0.01)
let plateau = ReduceLROnPlateau(stoppingOptimizer, factor: settings.factor, patience: settings.patience, threshold: settings.threshold)
var yourPlateau = PlateauState(learningRate: stoppingOptimizer.learningRate)
let stoppingOrder = Generator(seed: 101)
var validationTrace: [Float] = [], learningRateTrace: [Float] = []
let trainOneEpoch = {
    learningRateTrace.append(stoppingOptimizer.learningRate)
    _ = trainEpoch(stoppingModel, optimizer: stoppingOptimizer, order: stoppingOrder, maxNorm: 5)
}
let validationLoss = { () -> Float in
    let loss = meanLoss(stoppingModel, on: validationBatches)
    validationTrace.append(loss)
    plateau.step(loss)
    exercise("7.2", "reduce on plateau", student: { try plateauStep(&yourPlateau, metric: loss, settings: settings) },
             reference: { Solutions.Day7.plateauStep(&yourPlateau, metric: loss, settings: settings) })
    noteDifference("7.2", Double(abs(yourPlateau.learningRate - stoppingOptimizer.learningRate)),
                   what: "after epoch \(validationTrace.count) its rate is \(yourPlateau.learningRate), ReduceLROnPlateau's \(stoppingOptimizer.learningRate)")
    return loss
}
let stopping = exercise("7.3", "early stopping with the best weights", student: {
    try trainWithEarlyStopping(stoppingModel, maxEpochs: 15, patience: 3, trainOneEpoch: trainOneEpoch, validationLoss: validationLoss)
}, reference: {
    Solutions.Day7.trainWithEarlyStopping(stoppingModel, maxEpochs: 15, patience: 3, trainOneEpoch: trainOneEpoch,
                                          validationLoss: validationLoss)
}, unusable: { validationTrace.indices.contains($0.bestEpoch - 1) ? nil : "best epoch \($0.bestEpoch) of \(validationTrace.count) epochs run" })
print("epoch          \(validationTrace.indices.map { $0 + 1 }.map { String($0).leftPadded(7) }.joined())")
print("learning rate  \(learningRateTrace.map { format($0, 4).leftPadded(7) }.joined())")
print("val loss       \(validationTrace.map { format($0).leftPadded(7) }.joined())")
print("stopped after epoch \(validationTrace.count); kept the weights of epoch \(stopping.bestEpoch) (validation loss \(format(stopping.bestLoss)))")
let restoredLoss = meanLoss(stoppingModel, on: validationBatches)
print("the model now: validation loss \(format(restoredLoss)); test loss, measured once: \(format(meanLoss(stoppingModel, on: testBatches)))")

let stepsPerEpoch = (trainSet.count + 31) / 32
let cosineOptimizer = Adam(newTagger(seed: 1).parameters(), learningRate: 0.01)
let cosine = WarmupCosineLR(cosineOptimizer, warmupSteps: stepsPerEpoch, totalSteps: 15 * stepsPerEpoch)
var cosineTrace: [Float] = []
for _ in 0..<(15 * stepsPerEpoch) {
    cosineTrace.append(cosineOptimizer.learningRate)
    cosine.step()
}
var schedulePlot = LinePlot(title: "Day 7: learning rate schedules", xLabel: "epoch", yLabel: "learning rate")
schedulePlot.addSeries("reduce on plateau (this run)", x: learningRateTrace.indices.map { Double($0) }, y: learningRateTrace)
schedulePlot.addSeries("warm-up 1 epoch, cosine to 15", x: cosineTrace.indices.map { Double($0) / Double(stepsPerEpoch) }, y: cosineTrace)
lesson.writePlot(schedulePlot, name: "schedules")

/*:
 ![The learning rate of the run above by epoch, and a warm-up + cosine schedule over 15 epochs](figures/schedules.svg)

 The plateau schedule is a staircase that reacts to the run; the cosine
 is fixed in advance by the number of steps, which makes it easy to
 reproduce and to compare, and is the usual choice when the length of
 training is known.

 ## Can a run stop and resume exactly?

 Long runs stop: a machine reboots, a job hits its time limit. A
 *checkpoint* that holds only the model's weights cannot resume exactly:
 the optimizer's momentum or Adam's `m` and `v`, the scheduler's
 counters, the epoch, and the state of the random generator that
 shuffles the batches are all part of where training is.
 `Checkpoint` saves all five in one file (safetensors, like the
 `stateDict` of Day 2, which PyTorch can read).

 The test: train SGD with momentum and a step schedule (the rate halves
 after every epoch) for 2 epochs straight; then train 1 epoch, save a
 checkpoint, load it into freshly made objects, and train 1 more. The two final models should be
 identical bit for bit.
 */
/// Trains a tagger with SGD + momentum and StepLR for `epochs` epochs, resuming from `checkpoint` if given.
func trainForResume(epochs: Int, from checkpoint: Checkpoint? = nil, weightsOnly: Bool = false) throws -> (model: SequenceTagger, checkpoint: Checkpoint) {
    let model = newTagger(seed: 9)
    let optimizer = SGD(model.parameters(), learningRate: 0.1, momentum: 0.9)
    let scheduler = StepLR(optimizer, stepSize: 1, gamma: 0.5)
    let order = Generator(seed: 900)
    var start = 0
    if let checkpoint {
        if weightsOnly {
            try checkpoint.restore(into: model)
        } else {
            try checkpoint.restore(into: model, optimizer: optimizer, scheduler: scheduler, generator: order)
        }
        start = checkpoint.epoch
    }
    for _ in start..<epochs {
        _ = trainEpoch(model, optimizer: optimizer, order: order, maxNorm: 5)
        scheduler.step()
    }
    return (model, Checkpoint(model: model, optimizer: optimizer, scheduler: scheduler, epoch: epochs, generator: order))
}
let checkpointPath = FileManager.default.temporaryDirectory.appendingPathComponent("day7-resume-\(getpid()).ckpt").path
let straight = try trainForResume(epochs: 2)
try trainForResume(epochs: 1).checkpoint.save(to: checkpointPath)
let resumed = try trainForResume(epochs: 2, from: try Checkpoint.load(from: checkpointPath))
let resumeDifference = largestDifference(straight.model, resumed.model)
let fileSize = (try FileManager.default.attributesOfItem(atPath: checkpointPath)[.size] as? Int) ?? 0
print("checkpoint after epoch 1: \(format(Double(fileSize) / 1000, 0)) kB; 2 epochs straight vs. 1 + resume + 1: largest difference \(resumeDifference)")
let weightsOnly = try trainForResume(epochs: 2, from: try Checkpoint.load(from: checkpointPath), weightsOnly: true)
let weightsOnlyDifference = largestDifference(straight.model, weightsOnly.model)
print("resumed from the weights alone (fresh momentum, schedule and batch order): largest difference \(format(weightsOnlyDifference, 4))")
try? FileManager.default.removeItem(atPath: checkpointPath)

/*:
 ## How noisy is a small batch's gradient?

 A last look at minibatches (Day 2), now that we know what an optimizer
 does with a gradient. Compute the gradient of the whole training set,
 then the gradients of ten random batches of each size, and compare
 their directions by the cosine (1 = the same direction, 0 = unrelated),
 once on an untrained tagger and once on the tagger trained above.
 */
/// The gradient of the mean loss per token over `sample`, all parameters in one array.
func gradient(of model: SequenceTagger, on sample: [TaggedSentence]) -> [Float] {
    model.zeroGrad()
    defer { model.zeroGrad() }
    batchLoss(model, TaggingBatch(sample, words: words, tags: tags)).backward()
    return model.parameters().flatMap { $0.grad?.scalars ?? [Float](repeating: 0, count: $0.count) }
}

/// The cosine of the angle between two vectors.
func cosine(_ a: [Float], _ b: [Float]) -> Double {
    var dot = 0.0, aa = 0.0, bb = 0.0
    for (x, y) in zip(a, b) { dot += Double(x) * Double(y); aa += Double(x) * Double(x); bb += Double(y) * Double(y) }
    return dot / (aa.squareRoot() * bb.squareRoot())
}

let probes = [newTagger(seed: 1), stoppingModel]   // untrained, and trained with early stopping
let fullGradients = probes.map { gradient(of: $0, on: trainSet) }
print("cosine between a batch's gradient and the full training set's (mean of 10 random batches):")
print("batch  untrained  trained")
var meanCosines: [Int: [Double]] = [:]
for batchSize in [1, 8, 32, 128] {
    meanCosines[batchSize] = zip(probes, fullGradients).map { probe, full in
        let cosines = (0..<10).map { _ in
            cosine(gradient(of: probe, on: generator.permutation(trainSet.count).prefix(batchSize).map { trainSet[$0] }), full)
        }
        return cosines.reduce(0, +) / Double(cosines.count)
    }
    print("\(String(batchSize).leftPadded(5))  \(format(meanCosines[batchSize]![0], 2).leftPadded(9))  \(format(meanCosines[batchSize]![1], 2).leftPadded(7))")
}

/*:
 On the untrained model even one sentence points roughly the right way:
 every sentence agrees on the first lessons (which tags are frequent).
 Once those are learned, what is left to learn differs from sentence to
 sentence: a single sentence's gradient is then mostly noise, and only
 the larger batches keep a clear share of the full gradient's direction.
 Each doubling of the batch buys less, though: the noise of a mean
 shrinks like `1/√B`, while the cost of a step grows with `B`. That is
 the trade-off in one line, and one more reason to lower the learning
 rate late in training, when the gradient is mostly noise.

 Tomorrow: a text far too long to backpropagate through at once —
 truncated backpropagation through time, and a language model.
 */
lesson.finish([
    "val_loss_sgd": meanAndSpread(curves["SGD"]!.map { $0.last! }).mean,
    "val_loss_momentum": meanAndSpread(curves["SGD + momentum"]!.map { $0.last! }).mean,
    "val_loss_adam": meanAndSpread(curves["Adam"]!.map { $0.last! }).mean,
    "val_loss_adamw": meanAndSpread(curves["AdamW"]!.map { $0.last! }).mean,
    "best_epoch": stopping.bestEpoch,
    "resume_difference": Double(resumeDifference),
])
