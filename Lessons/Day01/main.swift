/*:
 # Day 1 — An LSTM, one sentence at a time

 Today we build everything a part-of-speech tagger needs and train it the
 simplest way there is: one sentence at a time. By the end you will have
 seen a tensor, autograd, the LSTM cell's equations, the shapes `LSTM`
 expects, why the loss is log-softmax plus negative log-likelihood, and the
 four lines of a training step, and you will have measured a tagger against
 the baseline every tagger must beat.

 Run it with `swift run day1` (`--help` lists the options). Your exercises
 live in `Lessons/Day01/Exercises.swift`; until you fill them in, the
 lesson says so and uses the reference solutions. Under each piece of
 code below is what it printed in a reference run (`--solution`).

 New to Swift? [Swift for PyTorch users](../../docs/SwiftForPyTorchUsers.md)
 puts each Swift idiom the lessons use next to its Python, and
 [PyTorch → Torchlet names](../../docs/PyTorchNames.md) maps the names.
 */
import Course
import Foundation
import Solutions
import Torchlet

let lesson = Lesson.start(
    day: 1, about: "tensors, autograd, the LSTM cell; train a tagger one sentence at a time",
    seed: 1, epochs: 6)
let generator = Generator(seed: lesson.options.seed)

/*:
 ## What are a tensor and autograd?

 A `Tensor` is an array of numbers with a shape. Every operation on a
 tensor that has `requiresGrad` set remembers how it was made, so
 `backward()` can walk the operations in reverse and fill in `grad`: the
 derivative of the result with respect to each input. This is the whole of
 reverse-mode automatic differentiation, and it is what PyTorch does too.

 For `y = Σ xᵢ² + 3·x₀` the gradient is `2x + [3, 0]`:
 */
let x = Tensor([2, 3], requiresGrad: true)
let y = (x * x).sum() + 3 * x[0]
y.backward()
print("x = \(x.scalars)  y = \(y.item)  dy/dx = \(x.grad!.scalars)   (expected [7.0, 6.0])")

/*:
 Gradients *add up* in `grad` until you reset them, as in PyTorch. That is
 a feature (several losses can contribute) and a classic bug (forgetting to
 reset them between training steps); exercise 1.3 is about it.

 ## What does an LSTM cell compute?

 An LSTM cell reads one input vector `x` and the previous state `(h, c)`
 and returns the next state. Four *gates* are computed from one matrix
 product each for the input and the hidden state, in PyTorch's order
 i, f, g, o:

 ![One LSTM step, gates in PyTorch's order i, f, g, o: f scales the old cell state, i adds the candidate g, and o reads tanh of the new cell state](../../docs/figures/lstm-cell.svg)

 ```
 gates = x W_ihᵀ + b_ih + h W_hhᵀ + b_hh        [B, 4H]
 i = σ(gates[:, 0H..<1H])    input gate: how much of the candidate to write
 f = σ(gates[:, 1H..<2H])    forget gate: how much of the old cell to keep
 g = tanh(gates[:, 2H..<3H]) candidate values
 o = σ(gates[:, 3H..<4H])    output gate: how much of the cell to show
 c' = f ⊙ c + i ⊙ g
 h' = o ⊙ tanh(c')
 ```

 Shapes: `x` is `[B, I]` (batch, input features), `h` and `c` are `[B, H]`,
 `W_ih` is `[4H, I]`, `W_hh` is `[4H, H]`. The cell state `c` is updated by
 addition, not by a matrix product: the gradient that flows back along `c`
 is only multiplied by `f` at each step, so it survives many steps *while
 the forget gate stays near 1*. At the default initialization `f` is
 about σ(0) = 0.5, which halves it every step; Day 6 shows how a
 forget-gate bias of 1 fixes that. Exercise 1.1 asks you to write this
 step yourself; here it is checked against Torchlet's `LSTMCell`:
 */
let cell = LSTMCell(inputSize: 3, hiddenSize: 4, generator: generator)
let stepInput = Tensor.normal([2, 3], generator: generator)
let stepState: LSTMState = (Tensor.normal([2, 4], generator: generator), Tensor.normal([2, 4], generator: generator))
let fromCell = cell(stepInput, stepState)
let fromExercise = exercise("1.1", "one LSTM cell step", student: {
    try lstmCellStep(stepInput, stepState, weightIH: cell.weightIH, weightHH: cell.weightHH,
                     biasIH: cell.biasIH, biasHH: cell.biasHH)
}, reference: {
    Solutions.Day1.lstmCellStep(stepInput, stepState, weightIH: cell.weightIH, weightHH: cell.weightHH,
                           biasIH: cell.biasIH, biasHH: cell.biasHH)
}, unusable: { Unusable.shape($0.h, [2, 4], "h") ?? Unusable.shape($0.c, [2, 4], "c") })
let cellError = zip(fromCell.h.scalars + fromCell.c.scalars, fromExercise.h.scalars + fromExercise.c.scalars)
    .map { abs($0 - $1) }.max()!
print("one cell step: h \(fromExercise.h.shape), c \(fromExercise.c.shape); max difference from LSTMCell: \(cellError)")
noteDifference("1.1", Double(cellError))

/*:
 ## What shapes does `LSTM` expect?

 `LSTM` runs the cell over a whole sequence. Like PyTorch it wants
 time first, `[T, B, I]`, unless you say `batchFirst: true`, and it also
 takes a single unbatched sequence `[T, I]`. It returns the top layer's `h`
 at every step, and the final `(h_n, c_n)` of every layer and direction,
 `[layers · directions, B, H]` — never batch-first.
 */
let lstm = LSTM(inputSize: 3, hiddenSize: 4, generator: generator)
let batchFirstLSTM = LSTM(inputSize: 3, hiddenSize: 4, batchFirst: true, generator: generator)
for (name, model, input) in [
    ("[T, B, I]", lstm, Tensor.zeros([5, 2, 3])),
    ("batchFirst [B, T, I]", batchFirstLSTM, Tensor.zeros([2, 5, 3])),
    ("unbatched [T, I]", lstm, Tensor.zeros([5, 3])),
] {
    let (output, (h, c)) = model(input)
    print("  input \(name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(input.shape) → output \(output.shape), h_n \(h.shape), c_n \(c.shape)")
}

/*:
 ## Why log-softmax and not softmax then log?

 A tagger outputs one score (*logit*) per tag. Softmax turns scores into
 probabilities, `pᵢ = exp(xᵢ) / Σⱼ exp(xⱼ)`, and the loss is the negative log
 of the probability of the right tag. Computed literally, `exp(1000)`
 overflows to infinity and the result is `nan`. Subtracting the largest
 logit first changes nothing mathematically and keeps every `exp` at most 1:

 ```
 log softmax(x)ᵢ = xᵢ − m − log Σⱼ exp(xⱼ − m),   m = maxⱼ xⱼ
 ```

 Negative log-likelihood of log-softmax *is* cross-entropy: PyTorch's
 `F.cross_entropy` is `F.nll_loss(F.log_softmax(x))`, and so is Torchlet's
 `crossEntropy`.

 **Predict, then run.** The program below takes log(softmax) the naive way
 of the logits `[1000, 0, -1000]` and `[1, 2, 3]`. Which values come out
 wrong, and as what?

 <details><summary>Answer</summary>

 The whole first row: `exp(1000)` overflows float32 to `inf`, and
 `inf / inf` is NaN, so the first value is `-nan`; the other two divide a
 finite number by `inf` and get 0, whose log is `-inf`. The second row is
 right: `exp` overflows float32 only above about 88. The stable version
 gets both rows right, as the last line of the output shows.
 </details>
 */
let bigLogits = Tensor([[1000, 0, -1000], [1, 2, 3]])
let naive = bigLogits.exp() / bigLogits.exp().sum(dim: 1, keepDim: true)
let stable = exercise("1.2", "a stable log-softmax", student: { try stableLogSoftmax(bigLogits) },
                      reference: { Solutions.Day1.stableLogSoftmax(bigLogits) },
                      unusable: { Unusable.shape($0, bigLogits.shape) })
print("logits            \(bigLogits.scalars)")
print("log(softmax) naive \(naive.log().scalars)")
print("log-softmax stable \(stable.scalars)")
noteDifference("1.2", Double(zip(stable.scalars, bigLogits.logSoftmax(dim: -1).scalars).map { abs($0 - $1) }.max()!))

/*:
 ## What is one training step?

 Every training loop in PyTorch, and here, repeats the same four moves:

 1. `optimizer.zeroGrad()` — forget the previous step's gradients;
 2. forward: run the model and compute the loss;
 3. `loss.backward()` — fill every parameter's `grad`;
 4. `optimizer.step()` — move every parameter against its gradient.

 Exercise 1.3 writes them. The tagger below is the classic one: an
 embedding turns each word into a vector, an LSTM reads the sentence, and
 a linear layer turns each hidden state into tag scores.
 */
/// A part-of-speech tagger: embedding → LSTM → linear, one sentence at a time.
final class Tagger: Module {
    let embedding: Embedding
    let lstm: LSTM
    let classifier: Linear

    init(vocabularySize: Int, tagCount: Int, embeddingDim: Int, hiddenSize: Int, generator: Generator) {
        embedding = Embedding(numEmbeddings: vocabularySize, embeddingDim: embeddingDim, generator: generator)
        lstm = LSTM(inputSize: embeddingDim, hiddenSize: hiddenSize, generator: generator)
        classifier = Linear(inFeatures: hiddenSize, outFeatures: tagCount, generator: generator)
        super.init()
        registerModule("embedding", embedding)
        registerModule("lstm", lstm)
        registerModule("classifier", classifier)
    }

    /// Tag scores `[T, tags]` for the word indices of one sentence.
    func callAsFunction(_ words: [Int]) -> Tensor {
        let vectors = embedding(words)          // [T, E]
        let (output, _) = lstm(vectors)         // [T, H], unbatched
        return classifier(output)               // [T, tags]
    }
}

/// One sentence as word and tag indices.
struct Example {
    let words: [Int]
    let tags: [Int]
}

/// Trains `tagger` for `epochs` passes over `examples`, one sentence per step,
/// and returns the mean loss of each epoch.
func train(_ tagger: Tagger, on examples: [Example], epochs: Int, learningRate: Float, quiet: Bool = false) -> [Float] {
    let optimizer = SGD(tagger.parameters(), learningRate: learningRate, momentum: 0.9)
    let progress = ProgressLine("epoch", total: epochs)
    var losses: [Float] = []
    tagger.train()
    for epoch in 0..<epochs {
        var order = Array(examples.indices)
        generator.shuffle(&order)
        var total: Float = 0
        for (k, index) in order.enumerated() {
            let example = examples[index]
            let loss = exercise("1.3", "one training step", student: {
                try trainStep(optimizer: optimizer) { crossEntropy(tagger(example.words), targets: example.tags) }
            }, reference: {
                Solutions.Day1.trainStep(optimizer: optimizer) { crossEntropy(tagger(example.words), targets: example.tags) }
            })
            lesson.checkLoss(loss, epoch: epoch + 1, batch: k + 1)
            total += loss
            if !quiet && k % 200 == 0 {
                progress.update(Double(epoch) + Double(k) / Double(order.count), ["loss": total / Float(k + 1)])
            }
        }
        losses.append(total / Float(examples.count))
        if !quiet { progress.update(Double(epoch + 1), ["loss": losses.last!]) }
    }
    if !quiet { progress.finish() }
    return losses
}

/*:
 ## Can it learn three sentences?

 First the three-sentence toy set of the classic "Taming LSTMs" post. A
 model that cannot fit three sentences has a bug; one that can is ready
 for real data.
 */
let toyWords = ToyTaggingData.wordVocabulary, toyTags = ToyTaggingData.tagVocabulary
let toyExamples = ToyTaggingData.sentences.map {
    Example(words: toyWords.indices(of: $0.words), tags: toyTags.indices(of: $0.tags))
}
let toyTagger = Tagger(vocabularySize: toyWords.count, tagCount: toyTags.count, embeddingDim: 6, hiddenSize: 6, generator: generator)
let toyLosses = train(toyTagger, on: toyExamples, epochs: 60, learningRate: 0.1, quiet: true)
print("toy set, 60 epochs: loss \(String(format: "%.3f", toyLosses.first!)) → \(String(format: "%.3f", toyLosses.last!))  \(sparkline(toyLosses, width: 30))")
toyTagger.eval()
withNoGrad {
    for sentence in ToyTaggingData.sentences {
        let predicted = toyTags.words(at: toyTagger(toyWords.indices(of: sentence.words)).argmax(dim: -1))
        print("  " + zip(sentence.words, predicted).map { "\($0)/\($1)" }.joined(separator: " "))
    }
}

/*:
 ## Does it beat a baseline on real-looking data?

 Three sentences prove nothing. The synthetic corpus comes from a small
 English-like grammar with ambiguous words — "book", "watch", "can",
 "that" — whose tag depends on the words around them, and with a long
 tail of lengths. The number to beat is the *most-frequent-tag baseline*:
 tag each word with the tag it had most often in training. It is right
 most of the time, and wrong exactly where context matters.
 */
let corpus = SyntheticTaggingCorpus()
let trainSentences = corpus.generate(count: 2_000, generator: generator)
let testSentences = corpus.generate(count: 500, generator: generator)
let words = Vocabulary(corpus: trainSentences.map(\.words))
let tags = Vocabulary(corpus: trainSentences.map(\.tags), specials: [])
let baseline = MostFrequentTagBaseline(training: trainSentences).accuracy(on: testSentences)
let lengths = trainSentences.map(\.count).sorted()
print("corpus: \(trainSentences.count) training and \(testSentences.count) held-out sentences, \(words.count) words, \(tags.count) tags")
print("lengths: median \(lengths[lengths.count / 2]), longest \(lengths.last!); example: \(trainSentences[0])")
print("most-frequent-tag baseline on held-out sentences: \(String(format: "%.2f%%", 100 * baseline))")

let toExample = { (s: TaggedSentence) in Example(words: words.indices(of: s.words), tags: tags.indices(of: s.tags)) }
let tagger = Tagger(vocabularySize: words.count, tagCount: tags.count, embeddingDim: 32, hiddenSize: 64, generator: generator)
print("training an LSTM tagger (\(tagger.parameterCount) parameters) one sentence at a time, \(lesson.options.epochs) epochs:")
let losses = train(tagger, on: trainSentences.map(toExample), epochs: lesson.options.epochs, learningRate: 0.05)
print("loss per epoch: \(losses.map { String(format: "%.3f", $0) }.joined(separator: " "))  \(sparkline(losses))")

/*:
 ## How do we measure a tagger?

 Token accuracy: the share of words whose highest-scoring tag is the right
 one (exercise 1.4). Evaluation runs in *eval mode* — layers like dropout
 behave differently while training — and inside `withNoGrad`, because
 nothing will call `backward()`: recording the graph would only cost time
 and memory.
 */
tagger.eval()
let testExamples = testSentences.map(toExample)
let accuracyOnTest: Double = withNoGrad {
    let logits = Tensor(concatenating: testExamples.map { tagger($0.words) }, dim: 0)
    let yours = exercise("1.4", "accuracy from logits", student: {
        try accuracy(logits: logits, targets: testExamples.flatMap(\.tags))
    }, reference: {
        Solutions.Day1.accuracy(logits: logits, targets: testExamples.flatMap(\.tags))
    }, unusable: { Unusable.share($0, "an accuracy") })
    let reference = Solutions.Day1.accuracy(logits: logits, targets: testExamples.flatMap(\.tags))
    noteDifference("1.4", abs(yours - reference), what: "in the held-out accuracy (\(yours), not \(reference))")
    return yours
}
print("held-out token accuracy: LSTM \(String(format: "%.2f%%", 100 * accuracyOnTest)) vs. baseline \(String(format: "%.2f%%", 100 * baseline))")
print("  LSTM     \(bar(accuracyOnTest, max: 1, width: 50))")
print("  baseline \(bar(baseline, max: 1, width: 50))")

/*:
 ## Where does the LSTM win?

 Where context decides: on the *ambiguous* words, those that had more than
 one tag in training. Next to the most-frequent-tag baseline stands a
 second one that looks one word to the left (`PreviousWordTagger`): it
 shows how much of the grammar a single word of context already gives.

 **Predict, then run.** On the ambiguous words, which of the three comes
 first, and is the most-frequent-tag baseline far behind or close?

 <details><summary>Answer</summary>

 The LSTM comes first and the most-frequent-tag baseline far last: on the
 ambiguous words it is right only when a word plays its most common role.
 One word of left context (the previous-word tagger) closes most of that
 gap; the LSTM, which reads the whole sentence up to the word, closes a
 little more. The table below has this run's numbers.
 </details>
 */
let ambiguous = ambiguousWords(in: trainSentences)
let mostFrequentTagger = MostFrequentTagBaseline(training: trainSentences)
let previousWordTagger = PreviousWordTagger(training: trainSentences)
let lstmTags = { (s: TaggedSentence) in tags.words(at: withNoGrad { tagger(words.indices(of: s.words)).argmax(dim: -1) }) }
let isAmbiguous = { (word: String) in ambiguous.contains(word) }
let ambiguousTokens = testSentences.reduce(0) { $0 + $1.words.filter(isAmbiguous).count }
print("\(ambiguous.count) ambiguous words, \(ambiguousTokens) of the \(testSentences.reduce(0) { $0 + $1.count }) held-out tokens:")
print("                      all tokens   ambiguous words")
var measured: [String: (all: Double, ambiguous: Double)] = [:]
for (name, predict) in [("most-frequent tag", { mostFrequentTagger.predict($0.words) }),
                        ("previous word", { previousWordTagger.predict($0.words) }),
                        ("LSTM", lstmTags)] as [(String, (TaggedSentence) -> [String])] {
    let all = tokenAccuracy(testSentences, predict: predict)
    let onAmbiguous = tokenAccuracy(testSentences, counting: isAmbiguous, predict: predict)
    measured[name] = (all, onAmbiguous)
    print("  \(name.padding(toLength: 18, withPad: " ", startingAt: 0))  \(String(format: "%9.2f%%", 100 * all))  \(String(format: "%15.2f%%", 100 * onAmbiguous))")
}

/*:
 ## What do the gates do along a sentence?

 The cell's equations, now with trained weights. Below, the tagger's LSTM
 is stepped by hand over one validation sentence with its own parameters
 (`weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`, the layout
 of exercise 1.1), printing at each word the mean of each gate over the
 hidden units and the mean size of the cell state, `mean |c|`. The same
 numbers are plotted below.
 */
let sentence = testSentences.first { $0.count >= 8 && $0.count <= 12 && $0.words.contains(where: isAmbiguous) }!
let lstmWeights = Dictionary(uniqueKeysWithValues: tagger.lstm.namedParameters())
let (wIH, wHH, bIH, bHH) = (lstmWeights["weight_ih_l0"]!, lstmWeights["weight_hh_l0"]!,
                            lstmWeights["bias_ih_l0"]!, lstmWeights["bias_hh_l0"]!)
var gateMeans: [[Float]] = [[], [], [], []], cellSize: [Float] = []
withNoGrad {
    let inputs = tagger.embedding(words.indices(of: sentence.words))   // [T, E]
    var (h, c) = (Tensor.zeros([1, wHH.shape[1]]), Tensor.zeros([1, wHH.shape[1]]))
    for t in 0..<sentence.count {
        let x = inputs.narrowed(dim: 0, start: t, length: 1)
        let gates = (x.matmul(wIH.transposed()) + bIH + h.matmul(wHH.transposed()) + bHH).chunked(into: 4, dim: 1)
        let (i, f, g, o) = (gates[0].sigmoid(), gates[1].sigmoid(), gates[2].tanh(), gates[3].sigmoid())
        c = f * c + i * g
        h = o * c.tanh()
        for (k, gate) in [i, f, g, o].enumerated() { gateMeans[k].append(gate.mean().item) }
        cellSize.append(c.abs().mean().item)
    }
}
print("word         tag     mean i   mean f   mean g   mean o   mean |c|")
for (t, (word, tag)) in zip(sentence.words, sentence.tags).enumerated() {
    let columns = (0..<4).map { format(gateMeans[$0][t]).leftPadded(9) }.joined()
    print(word.padding(toLength: 12, withPad: " ", startingAt: 0) + " " + tag.padding(toLength: 6, withPad: " ", startingAt: 0)
          + columns + format(cellSize[t]).leftPadded(11) + (isAmbiguous(word) ? "   ← ambiguous" : ""))
}
var gatePlot = LinePlot(title: "Day 1: the trained LSTM's gates along one sentence",
                        xLabel: "word position", yLabel: "mean over the hidden units")
for (k, name) in ["input gate i", "forget gate f", "output gate o"].enumerated() {
    gatePlot.addSeries(name, y: gateMeans[[0, 1, 3][k]])
}
gatePlot.addSeries("cell state |c|", y: cellSize)
lesson.writePlot(gatePlot, name: "gates")
let meanForget = gateMeans[1].reduce(0, +) / Float(sentence.count)
print("mean forget gate over the sentence: \(format(meanForget)) — the share of its cell state a unit keeps from one word to the next")

/*:
 ![The trained LSTM's input, forget and output gates and the size of its cell state, word by word along one sentence](figures/gates.svg)

 Each gate column is the mean of 64 sigmoids (tanh for `g`). The forget
 gate's is the share of its cell state a unit keeps from one word to the
 next: the lower it is, the shorter the memory. Read it off the last line
 above. Far below 1, as here, a unit keeps little from two or three words
 back — enough for this tagger, whose ambiguous words are mostly decided
 by their neighbours, and the reason Day 6 starts the forget gate's bias
 at 1 for tasks that need to remember longer.

 Tomorrow: why one sentence at a time is slow, and what minibatches change.
 */
lesson.finish(["accuracy": accuracyOnTest, "baseline": baseline, "previous_word": measured["previous word"]!.all,
               "ambiguous_accuracy": measured["LSTM"]!.ambiguous,
               "ambiguous_baseline": measured["most-frequent tag"]!.ambiguous])
