/*:
 # Day 9 — Going deeper: stacked and residual LSTMs, the GRU, weight tying

 Day 8's language model had one LSTM layer. Today's question: when does
 a *bigger* recurrent model help, and what keeps a deep one trainable?
 "Bigger" has several directions, and each is a trick of its own:
 more layers stacked on each other, with dropout between them;
 *residual* (skip) connections that add a layer's input to its output; a
 different cell, the GRU, which is said to do as well with less; and
 *weight tying*, which makes the model smaller instead, by letting the
 output layer share the embedding's weights.

 Every model is Day 8's language model (`LanguageModel` in `Course`) on a
 shorter stream of the synthetic language, trained with Day 8's
 truncated BPTT: the lesson cuts the stream with your 8.1 and 8.2,
 trains with your 8.3 and scores with your 8.4. Run it with `swift run
 day9` (`--help` lists the options). Your exercises live in
 `Lessons/Day09/Exercises.swift`.
 */
import Course
import Foundation
import Solutions
import Torchlet

let lesson = Lesson.start(
    day: 9, about: "going deeper: stacked and residual LSTMs, GRU vs. LSTM, weight tying", seed: 9, epochs: 3)

/*:
 ## What is the data?

 The token stream of Day 8, shorter: 800 sentences of the synthetic
 language, lowercased, each ended by `<eos>`; the first 80% is for
 training and the next 10% for validation. The training part is
 batchified into 16 streams with your 8.1, as Day 8 did, and read in
 chunks of 20 steps cut by your 8.2.
 */
let sentences = SyntheticTaggingCorpus(maxLength: 30).generate(count: 800, generator: Generator(seed: lesson.options.seed + 100))
let stream = sentences.flatMap { $0.words.map { $0.lowercased() } + ["<eos>"] }
let trainEnd = stream.count * 8 / 10, validationEnd = stream.count * 9 / 10
let vocabulary = Vocabulary(tokens: stream[..<trainEnd], specials: [Vocabulary.unknownToken])
let trainIds = vocabulary.indices(of: Array(stream[..<trainEnd]))
let validationIds = vocabulary.indices(of: Array(stream[trainEnd..<validationEnd]))
print("\(stream.count) tokens: \(trainIds.count) training, \(validationIds.count) validation; vocabulary \(vocabulary.count) (with <unk>)")

let trainBatchSize = 16, chunkLength = 20, learningRate: Float = 20, maxNorm: Float = 0.25
let trainStreams = exercise("8.1", "batchify a stream", student: { try batchify(trainIds, batchSize: trainBatchSize) },
                            reference: { Solutions.Day8.batchify(trainIds, batchSize: trainBatchSize) },
                            unusable: { Unusable.streams($0, tokens: trainIds.count, batchSize: trainBatchSize) })
let validationStreams = Solutions.Day8.batchify(validationIds, batchSize: 10)

/// The chunk of `source` at row `start` and its targets, with exercise 8.2.
func chunk(_ source: [[Int]], at start: Int, length: Int) -> (inputs: [[Int]], targets: [[Int]]) {
    exercise("8.2", "a chunk and its targets", student: { try getBatch(source, at: start, chunkLength: length) },
             reference: { Solutions.Day8.getBatch(source, at: start, chunkLength: length) },
             unusable: { Unusable.chunk($0, of: source, at: start, length: length) })
}

/*:
 ## What is a GRU?

 The *gated recurrent unit* (Cho et al., 2014) keeps the LSTM's idea — a
 gate decides how much of the old state to keep — with less machinery:
 no separate cell `c`, no output gate, three gate blocks instead of four.

 ```
 r  = σ(x W_irᵀ + b_ir + h W_hrᵀ + b_hr)            reset gate
 z  = σ(x W_izᵀ + b_iz + h W_hzᵀ + b_hz)            update gate
 n  = tanh(x W_inᵀ + b_in + r ⊙ (h W_hnᵀ + b_hn))     candidate
 h' = (1 − z) ⊙ n + z ⊙ h
 ```
 Where the LSTM *adds* to its cell (`c' = f ⊙ c + i ⊙ g`), the GRU
 *interpolates*: `z` near 1 keeps the old `h`, near 0 replaces it with
 the candidate. One detail matters for matching PyTorch: the reset gate
 multiplies the whole recurrent term `h W_hnᵀ + b_hn`, bias included. The
 original paper applied `r` to `h` *before* the product, `(r ⊙ h)
 W_hnᵀ`, which gives different numbers (cuDNN chose the first form, and
 PyTorch followed). Exercise 9.1 is one step, from tensor operations;
 the lesson runs it next to Torchlet's `GRUCell`.
 */
let cell = GRUCell(inputSize: 5, hiddenSize: 4, generator: Generator(seed: 1))
let x = Tensor.normal([3, 5], generator: Generator(seed: 2)), h = Tensor.normal([3, 4], generator: Generator(seed: 3))
let yourStep = exercise("9.1", "one GRU cell step", student: {
    try gruCellStep(x, h, weightIH: cell.weightIH, weightHH: cell.weightHH, biasIH: cell.biasIH, biasHH: cell.biasHH)
}, reference: {
    Solutions.Day9.gruCellStep(x, h, weightIH: cell.weightIH, weightHH: cell.weightHH, biasIH: cell.biasIH, biasHH: cell.biasHH)
})
let stepDifference = zip(yourStep.scalars, cell(x, h).scalars).map { Double(abs($0 - $1)) }.max() ?? .infinity
noteDifference("9.1", yourStep.shape == [3, 4] ? stepDifference : .infinity, what: "h' of GRUCell(5 → 4) on a batch of 3")
print("one GRU step on a batch of 3, 5 → 4: largest difference from GRUCell \(format(stepDifference, 7))")

/*:
 ## How many parameters does a layer have?

 **Predict, then run.** A popular article on LSTMs says that they "have
 fewer parameters" than GRUs. At the same input and hidden size, which
 has more, and by what factor?

 <details><summary>Answer</summary>

 The LSTM, by 4/3. Each gate block has a `[H, I]` input weight, a
 `[H, H]` recurrent weight and two `[H]` biases; the LSTM has four
 blocks (i, f, g, o), the GRU three (r, z, n). Per layer and direction:

 ```
 LSTM: 4H(I + H) + 8H        GRU: 3H(I + H) + 6H
 ```
 (`8H` because PyTorch keeps both `bias_ih` and `bias_hh`, which add up
 to one bias per gate: redundant, but it is the layout every checkpoint
 uses.) Above the first layer `I` is the layer below's output, `H` (or
 `2H` when bidirectional). The article has it backwards.
 </details>

 Exercise 9.4 is the formula, for any number of gates, layers and
 directions; the lesson prints it next to Torchlet's `parameterCount`.
 */
func formulaCount(gates: Int, inputSize: Int, hiddenSize: Int, numLayers: Int = 1, bidirectional: Bool = false) -> Int {
    exercise("9.4", "the parameter-count formula", student: {
        try recurrentParameterCount(gates: gates, inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, bidirectional: bidirectional)
    }, reference: {
        Solutions.Day9.recurrentParameterCount(gates: gates, inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, bidirectional: bidirectional)
    })
}
print("layer                                       formula  parameterCount   LSTM / GRU")
for (i, hidden, layers, bidirectional) in [(32, 32, 1, false), (32, 64, 2, false), (100, 128, 2, true)] {
    let lstm = LSTM(inputSize: i, hiddenSize: hidden, numLayers: layers, bidirectional: bidirectional)
    let gru = GRU(inputSize: i, hiddenSize: hidden, numLayers: layers, bidirectional: bidirectional)
    let shape = "\(i) → \(hidden), \(layers) layer\(layers == 1 ? "" : "s")\(bidirectional ? ", bidirectional" : "")"
    let (lstmFormula, gruFormula) = (formulaCount(gates: 4, inputSize: i, hiddenSize: hidden, numLayers: layers, bidirectional: bidirectional),
                                     formulaCount(gates: 3, inputSize: i, hiddenSize: hidden, numLayers: layers, bidirectional: bidirectional))
    noteDifference("9.4", Double(abs(lstmFormula - lstm.parameterCount) + abs(gruFormula - gru.parameterCount)), what: "the count of \(shape)")
    print("LSTM \(shape)".padding(toLength: 42, withPad: " ", startingAt: 0) + String(lstmFormula).leftPadded(9) + String(lstm.parameterCount).leftPadded(16)
          + format(Double(lstm.parameterCount) / Double(gru.parameterCount), 4).leftPadded(13))
    print("GRU  \(shape)".padding(toLength: 42, withPad: " ", startingAt: 0) + String(gruFormula).leftPadded(9) + String(gru.parameterCount).leftPadded(16))
}

/*:
 ## What keeps a deep stack trainable?

 `LSTM(numLayers: 4)` feeds each layer's output sequence to the next.
 The gradient that reaches the bottom layer has crossed every layer
 above it, each a product of gate derivatives, just as Day 6's gradient
 crossed time steps. A *residual connection* adds a layer's input to its
 output, `x_{k+1} = LSTM_k(x_k) + x_k`: the layer learns a correction to
 what it is given, and the gradient has a path around every layer, the
 identity. (The source article calls them skip connections; deep
 translation models such as GNMT stack eight LSTM layers this way.)
 PyTorch has no residual LSTM, so the course has one, `LSTMStack`:
 one-layer LSTMs in sequence, an addition around every layer above the
 first (the first reads the embedding, not a layer's output, and its
 size and scale are the embedding's own), and dropout between layers as
 `LSTM(dropout:)` has. Exercise 9.2 is its forward pass.

 **Predict, then run.** A 4-layer language model, untrained, one chunk
 of text. How large is the gradient of each layer's weights, from the top
 layer down, without and with residual connections (the same weights)?

 <details><summary>Answer</summary>

 Without them the gradient shrinks at every layer on its way down; the
 run prints by how much. With them the bottom layer gets a gradient of
 the same order as the top one, because the additions carry it past the
 layers above.
 </details>
 */
/// The norm of the gradient of each layer's four parameters, bottom layer first.
func layerGradientNorms(_ layers: [[Tensor]]) -> [Double] {
    // A layer the forward pass skipped has no gradient: 0.
    layers.map { params in (params.reduce(0.0) { $0 + ($1.grad?.scalars ?? []).reduce(0.0) { $0 + Double($1 * $1) } }).squareRoot() }
}

/// Per-layer gradient norms of an untrained 4-layer model on the first chunk, without (`LSTM(numLayers: 4)`)
/// and with residual connections (the same weights, through exercise 9.2).
func depthGradients(seed: UInt64, embedding: Int = 32) -> (plain: [Double], residual: [Double]) {
    let (inputs, targets) = chunk(trainStreams, at: 0, length: chunkLength)
    let tokens = inputs.count * trainBatchSize
    func loss(_ model: LanguageModel, _ output: Tensor) -> Tensor {
        crossEntropy(model.decoder(output).reshaped(to: [tokens, vocabulary.count]), targets: targets.flatMap { $0 })
    }
    // The two models draw the same numbers in the same order: identical weights.
    let plain = LanguageModel(vocabularySize: vocabulary.count, embeddingDim: embedding, hiddenSize: 32, numLayers: 4, generator: Generator(seed: seed))
    let residual = LanguageModel(vocabularySize: vocabulary.count, embeddingDim: embedding, hiddenSize: 32, numLayers: 4,
                                 kind: .residualLSTM, generator: Generator(seed: seed))
    guard case .lstm(let lstm) = plain.recurrent, case .residualLSTM(let stack) = residual.recurrent else { fatalError("unexpected kinds") }
    loss(plain, lstm(plain.embedding(inputs.flatMap { $0 }, shape: [inputs.count, trainBatchSize])).output).backward()
    let vectors = residual.embedding(inputs.flatMap { $0 }, shape: [inputs.count, trainBatchSize])
    let yours = exercise("9.2", "the residual stack's forward", student: { try residualStack(stack.layers, vectors, nil) },
                         reference: { Solutions.Day9.residualStack(stack.layers, vectors, nil) })
    let expected = stack(vectors).output
    noteDifference("9.2", yours.output.shape == expected.shape
        ? zip(yours.output.scalars, expected.scalars).map { Double(abs($0 - $1)) }.max() ?? 0 : .infinity,
        what: "the output of a 4-layer residual stack")
    loss(residual, yours.output).backward()
    let plainLayers = (0..<4).map { k in lstm.namedParameters().filter { $0.name.hasSuffix("_l\(k)") }.map(\.tensor) }
    return (layerGradientNorms(plainLayers), layerGradientNorms(stack.layers.map { $0.parameters() }))
}

let seeds: [UInt64] = [1, 2, 3]
let depthRuns = seeds.map { depthGradients(seed: $0) }
print("‖gradient‖ of each layer's weights, untrained 4-layer model, one chunk (mean over \(seeds.count) seeds):")
print("layer   without residual   with residual")
for k in (0..<4).reversed() {
    print("\(k + 1)\(k == 3 ? " top" : k == 0 ? " bottom" : "")".padding(toLength: 8, withPad: " ", startingAt: 0)
          + format(meanAndSpread(depthRuns.map { $0.plain[k] }).mean, 4).leftPadded(16)
          + format(meanAndSpread(depthRuns.map { $0.residual[k] }).mean, 4).leftPadded(16))
}
let plainRatio = meanAndSpread(depthRuns.map { $0.plain[0] / $0.plain[3] }).mean
let residualRatio = meanAndSpread(depthRuns.map { $0.residual[0] / $0.residual[3] }).mean
print("bottom / top: \(format(plainRatio, 3)) without, \(format(residualRatio, 3)) with residual connections")
var depthPlot = LinePlot(title: "Day 9: gradient norm of each layer's weights (4 layers, untrained, mean of 3 seeds)",
                         xLabel: "layer (1 = bottom)", yLabel: "‖∂L/∂W‖ (log scale)", logScaleY: true)
depthPlot.addSeries("without residual", x: [1.0, 2, 3, 4], y: (0..<4).map { k in meanAndSpread(depthRuns.map { $0.plain[k] }).mean })
depthPlot.addSeries("with residual", x: [1.0, 2, 3, 4], y: (0..<4).map { k in meanAndSpread(depthRuns.map { $0.residual[k] }).mean })
lesson.writePlot(depthPlot, name: "gradient-by-layer")

/*:
 ![Gradient norm of each layer's weights, without and with residual connections](figures/gradient-by-layer.svg)

 Without residual connections the gradient shrinks at every layer on
 its way down: the bottom layer's is about 1/50 of the top's (the ratio
 0.019). With them every layer gets a gradient of the same order, the
 bottom one even a little more than the top (1.41): each addition passes
 the gradient from above on unchanged, next to what flows back through
 the LSTM. With SGD a weight moves in proportion to its gradient, so
 without the additions the bottom layer of this stack starts out moving
 about 1/50 as far per step as the top one. The experiment below shows what that costs.

 ## What does tying the weights save?

 The embedding maps a token to a vector, `[V, E]`; the decoder maps a
 vector to scores over tokens, `[V, H]`. When `E = H` they have one
 shape, and Press & Wolf (2017) and Inan et al. (2017) noticed that one
 matrix can do both jobs: a token's embedding is also the direction that
 scores it. Tying removes `V·H` parameters — here most of the model —
 and it is one line in PyTorch, `decoder.weight = encoder.weight`: the
 decoder's parameter *becomes* the embedding's tensor. Exercise 9.3 does
 it on a `LanguageModel`.

 One tensor under two names raises three questions, and Torchlet answers
 each as PyTorch does. `parameters()` lists it once (otherwise an
 optimizer would step it twice); its gradient is the sum of what the
 embedding and the decoder send it; and the state dict keeps both names,
 so the file loads into a tied model — or an untied one — under the
 names a PyTorch user expects.
 */
/// A language model for the experiment; tied with exercise 9.3 when `tied`.
func newModel(_ kind: LanguageModel.Kind = .lstm, layers: Int = 1, hidden: Int = 32, tied: Bool = false, seed: UInt64) -> LanguageModel {
    let model = LanguageModel(vocabularySize: vocabulary.count, embeddingDim: 32, hiddenSize: hidden, numLayers: layers,
                              kind: kind, generator: Generator(seed: seed))
    if tied {
        exercise("9.3", "tie the weights", student: { try tieWeights(model) }, reference: { Solutions.Day9.tieWeights(model) })
        noteDifference("9.3", model.decoder.weight === model.embedding.weight ? 0 : 1, what: "whether decoder.weight is embedding.weight")
    }
    return model
}
let untied = newModel(seed: 1), tied = newModel(tied: true, seed: 1)
print("untied: \(untied.parameterCount) parameters; tied: \(tied.parameterCount) (\(tied.parameters().count) tensors, "
      + "decoder.weight === embedding.weight: \(tied.decoder.weight === tied.embedding.weight))")
let path = FileManager.default.temporaryDirectory.appendingPathComponent("day9-tied-\(getpid()).safetensors").path
defer { try? FileManager.default.removeItem(atPath: path) }
let fresh = newModel(tied: true, seed: 2)
let probe = Array(trainStreams[0..<5])
let before = zip(fresh(probe).scores.scalars, tied(probe).scores.scalars).map { abs($0 - $1) }.max()!
do {
    try tied.save(to: path)
    try fresh.load(from: path)
} catch {
    print("day9: \(error)")
    exit(1)
}
let roundTrip = zip(fresh(probe).scores.scalars, tied(probe).scores.scalars).map { abs($0 - $1) }.max()!
print("the state dict holds \(try StateDict.load(from: path).entries.map(\.name).joined(separator: ", "))")
print("a fresh tied model (another seed) differs by \(format(before, 3)) in its scores; after loading the file by \(format(roundTrip, 3)), "
      + "and it is still tied: \(fresh.decoder.weight === fresh.embedding.weight)")

/*:
 ## When does a bigger model help?

 The experiment trains Day 8's language model, SGD at learning rate 20
 with the norm clipped to 0.25, chunks of 20 steps, for three epochs
 (`--epochs`), from 3 seeds, in eight variants: 1, 2 and 4 LSTM layers,
 and 2 and 4 with residual connections (one layer has none to add); a
 GRU of the same hidden size
 (32), and a GRU whose recurrent layer has as many parameters as the
 LSTM's (its hidden size found with your 9.4); and the 1-layer LSTM
 tied. Every variant embeds in 32 dimensions. The table gives the
 parameters (all, and the recurrent layers'), the seconds per epoch and
 the validation perplexity, mean ± standard deviation over the seeds.
 */
let lstmRecurrent = formulaCount(gates: 4, inputSize: 32, hiddenSize: 32)
let gruHidden = (32...128).first { formulaCount(gates: 3, inputSize: 32, hiddenSize: $0) >= lstmRecurrent }!
print("a GRU layer with at least the LSTM's \(lstmRecurrent) parameters: hidden size \(gruHidden), "
      + "\(formulaCount(gates: 3, inputSize: 32, hiddenSize: gruHidden)) parameters")

struct Variant {
    var name: String, kind: LanguageModel.Kind = .lstm, layers = 1, hidden = 32, tied = false
}
let variants = [
    Variant(name: "LSTM 1 layer"), Variant(name: "LSTM 2 layers", layers: 2), Variant(name: "LSTM 4 layers", layers: 4),
    Variant(name: "residual 2 layers", kind: .residualLSTM, layers: 2),
    Variant(name: "residual 4 layers", kind: .residualLSTM, layers: 4),
    Variant(name: "GRU, H = 32", kind: .gru), Variant(name: "GRU, H = \(gruHidden)", kind: .gru, hidden: gruHidden),
    Variant(name: "LSTM 1 layer, tied", tied: true),
]
struct Run {
    var secondsPerEpoch: Double
    /// The validation perplexity after each epoch.
    var curve: [Double]
    var perplexity: Double { curve.last! }
}

/// The validation perplexity of `model`, with exercise 8.4.
func validationPerplexity(_ model: LanguageModel) -> Double {
    let losses = model.chunkLosses(on: validationStreams, cut: chunk)
    return exercise("8.4", "perplexity from chunk losses", student: { try perplexity(chunkLosses: losses) },
                    reference: { Solutions.Day8.perplexity(chunkLosses: losses) })
}

/// Trains one variant from one seed for the lesson's epochs with exercise 8.3; scores it after each epoch with 8.4.
func train(_ variant: Variant, seed: UInt64) -> Run {
    let model = newModel(variant.kind, layers: variant.layers, hidden: variant.hidden, tied: variant.tied, seed: seed)
    let optimizer = SGD(model.parameters(), learningRate: learningRate)
    var seconds = 0.0, curve: [Double] = []
    for epoch in 1...lesson.options.epochs {
        let stopwatch = Stopwatch()
        forEachChunk(of: trainStreams, chunkLength: chunkLength, cut: chunk) { n, inputs, targets, state in
            let result = exercise("8.3", "one truncated-BPTT step", student: {
                try trainChunk(model, optimizer: optimizer, inputs: inputs, targets: targets, state: state, maxNorm: maxNorm)
            }, reference: {
                Solutions.Day8.trainChunk(model, optimizer: optimizer, inputs: inputs, targets: targets, state: state, maxNorm: maxNorm)
            }, unusable: { Unusable.state($0.state, batch: inputs[0].count) })
            lesson.checkLoss(result.loss, epoch: epoch, batch: n, run: "\(variant.name), seed \(seed)")
            return result.state
        }
        seconds += stopwatch.seconds
        curve.append(validationPerplexity(model))
    }
    return Run(secondsPerEpoch: seconds / Double(lesson.options.epochs), curve: curve)
}

var runs: [String: [Run]] = [:]
let progress = ProgressLine("run", total: variants.count * seeds.count)
for variant in variants {
    for seed in seeds {
        runs[variant.name, default: []].append(train(variant, seed: seed))
        progress.update(Double(runs.values.map(\.count).reduce(0, +)), ["variant": variant.name])
    }
}
progress.finish()

func meanPerplexity(_ name: String) -> Double { meanAndSpread(runs[name]!.map(\.perplexity)).mean }
print("variant               parameters  recurrent  s/epoch  validation perplexity (\(seeds.count) seeds)")
for variant in variants {
    let model = newModel(variant.kind, layers: variant.layers, hidden: variant.hidden, tied: variant.tied, seed: 1)
    let recurrent = model.recurrentModule.parameterCount
    let (mean, sd) = meanAndSpread(runs[variant.name]!.map(\.perplexity))
    print(variant.name.padding(toLength: 20, withPad: " ", startingAt: 0) + String(model.parameterCount).leftPadded(12)
          + String(recurrent).leftPadded(11) + format(meanAndSpread(runs[variant.name]!.map(\.secondsPerEpoch)).mean, 2).leftPadded(9)
          + "\(format(mean, 1).leftPadded(12)) ± \(format(sd, 1))   (\(runs[variant.name]!.map { format($0.perplexity, 1) }.joined(separator: ", ")))")
}
let best = variants.min { meanPerplexity($0.name) < meanPerplexity($1.name) }!
print("lowest mean validation perplexity: \(best.name)")
print("by depth, 1 → 2 → 4 layers: without residual \(["LSTM 1 layer", "LSTM 2 layers", "LSTM 4 layers"].map { format(meanPerplexity($0), 1) }.joined(separator: " → ")), "
      + "with residual \(["LSTM 1 layer", "residual 2 layers", "residual 4 layers"].map { format(meanPerplexity($0), 1) }.joined(separator: " → "))")
print("GRU vs. LSTM: \(format(meanPerplexity("GRU, H = 32"), 1)) vs. \(format(meanPerplexity("LSTM 1 layer"), 1)) at H = 32; "
      + "\(format(meanPerplexity("GRU, H = \(gruHidden)"), 1)) at equal recurrent parameters (H = \(gruHidden))")
print("tied vs. untied: \(format(meanPerplexity("LSTM 1 layer, tied"), 1)) vs. \(format(meanPerplexity("LSTM 1 layer"), 1)) "
      + "with \(percent(1 - Double(tied.parameterCount) / Double(untied.parameterCount), 0)) fewer parameters")
var depthPerplexity = LinePlot(title: "Day 9: validation perplexity by depth (mean of 3 seeds)", xLabel: "LSTM layers",
                               yLabel: "validation perplexity")
depthPerplexity.addSeries("without residual", x: [1.0, 2, 4], y: ["LSTM 1 layer", "LSTM 2 layers", "LSTM 4 layers"].map(meanPerplexity))
depthPerplexity.addSeries("with residual", x: [1.0, 2, 4], y: ["LSTM 1 layer", "residual 2 layers", "residual 4 layers"].map(meanPerplexity))
lesson.writePlot(depthPerplexity, name: "perplexity-by-depth")
print("validation perplexity after each epoch (mean over seeds):")
for variant in variants {
    let curve = (0..<lesson.options.epochs).map { e in meanAndSpread(runs[variant.name]!.map { $0.curve[e] }).mean }
    print("  " + variant.name.padding(toLength: 20, withPad: " ", startingAt: 0) + curve.map { format($0, 1) }.joined(separator: " → "))
}
var curves = LinePlot(title: "Day 9: validation perplexity after each epoch (mean of 3 seeds)", xLabel: "epoch",
                      yLabel: "validation perplexity (log scale)", logScaleY: true)
for variant in variants {
    let epochs = (1...lesson.options.epochs).map(Double.init)
    curves.addSeries(variant.name, x: epochs, y: epochs.indices.map { e in meanAndSpread(runs[variant.name]!.map { $0.curve[e] }).mean })
}
lesson.writePlot(curves, name: "perplexity-by-epoch")

/*:
 ![Validation perplexity by depth, without and with residual connections](figures/perplexity-by-depth.svg)

 ![Validation perplexity after each epoch, every variant](figures/perplexity-by-epoch.svg)

 Read the table one question at a time.

 *Does depth help?* Not here, and without residual connections it hurts
 badly: after the same three epochs the 2-layer LSTM is at 113 (with a
 wide spread over the seeds) and the 4-layer one at 300, not far below
 the 369 of guessing uniformly over the vocabulary, against 62 for one
 layer. Its lower layers start with a small share of the gradient
 (above), so with SGD they move little in a short run, and the layers
 above them have little to build on. Residual connections remove most
 of the penalty: 64 with 2 layers, 75 with 4. They make depth
 affordable; on this stream, in this budget, they do not make it pay —
 one layer is the best variant. Depth earns its cost when the data holds
 more than one layer can capture and there is time to train it; 6,770
 tokens of a small grammar and three epochs are not that (`--epochs`
 changes the budget). Four layers take about twice one layer's time
 per epoch, not 4 times: the embedding, the decoder over the vocabulary
 and the loss at every token are paid once however deep the stack.

 *GRU or LSTM?* The GRU has 3/4 of the LSTM's recurrent parameters at
 the same hidden size and about its time per epoch here. Its perplexity
 is higher, 77.3 at H = 32 and 77.2 with the LSTM's number of recurrent
 parameters (H = 39), against 62.2, with standard deviations of 9.0 and
 2.0 over the seeds.
 That is one small task: published comparisons (Chung et al., 2014;
 Jozefowicz et al., 2015) find the two cells close, with the winner
 changing from task to task. What the table settles is the parameter
 count — the LSTM is the larger cell, by 4/3.

 *Does tying pay?* It saves 36% of the parameters, and here it costs
 perplexity: 82.9 against 62.2. The gains Press & Wolf and Inan et al.
 report come from large vocabularies, where the decoder is most of the
 model and many words are rare, and from long training; this run has 369
 words and three epochs. Tying is still the default of PyTorch's
 `word_language_model` (`--tied`), and its memory saving grows with the
 vocabulary.

 *And over time?* The curves (the last lines printed, and the figure)
 show that the ranking depends on the budget. After one epoch both GRUs
 and the tied model are ahead of the 1-layer LSTM (105.6, 97.2 and 109.1
 against 122.1); the LSTM passes them in the second epoch, and the GRU
 of H = 32 is already getting worse in the third (74.3 → 77.3). The
 4-layer LSTM without residual connections gets worse every epoch (247.2
 → 286.2 → 300.2), while the same stack with them improves every epoch
 (208.9 → 87.9 → 75.5). Compare models at the same budget, and look at
 the curve, not only its last point.

 Dropout between layers (`dropout:` of `LanguageModel`, `LSTM`, `GRU`
 and `LSTMStack`, active in training mode only) is the usual companion of
 depth in long runs; the experiment leaves it at 0.

 **Try it.** `swift run day9 --epochs 6`: does the 2-layer residual
 model overtake one layer when it has more time? Which variants get
 worse with more epochs on so little text?

 Tomorrow, the capstone: everything together on a tagger you train on
 your own data.
 */
lesson.finish([
    "ppl_lstm1": meanPerplexity("LSTM 1 layer"),
    "ppl_lstm4": meanPerplexity("LSTM 4 layers"),
    "ppl_residual4": meanPerplexity("residual 4 layers"),
    "ppl_gru": meanPerplexity("GRU, H = 32"),
    "ppl_tied": meanPerplexity("LSTM 1 layer, tied"),
    "bottom_top_plain": plainRatio,
    "bottom_top_residual": residualRatio,
])
