/*:
 # Day 8 — Truncated backpropagation through time

 Every sequence so far was a sentence or a review: short enough to run
 the LSTM over it whole and backpropagate through every step. A language
 model reads a *text*: a book, a corpus, one stream of tokens hundreds of
 thousands of steps long. Backpropagating through all of it at once would
 keep every activation of every step in memory, and take one optimizer
 step per pass over the whole text.

 Today's question: how do you train on a sequence far too long to
 backpropagate through at once? The answer is *truncated
 backpropagation through time* (TBPTT), exactly as PyTorch's
 `examples/word_language_model` does it: cut the stream into parallel
 streams (`batchify`), walk them in chunks of `k` steps (`get_batch`),
 carry the LSTM's state from chunk to chunk so the model still reads the
 text as one, and *detach* it at each chunk boundary (`repackage_hidden`)
 so the gradient stops there. Then we measure what `k` changes, watch
 what happens without the detach, and let the model write.

 Run it with `swift run day8` (`--help` lists the options; `--data PATH`
 trains on your own plain-text file). Your exercises live in
 `Lessons/Day08/Exercises.swift`.
 */
import Course
import Foundation
import Solutions
import Torchlet

let lesson = Lesson.start(
    day: 8, about: "truncated BPTT: batchify a stream, carry and detach the state, perplexity",
    seed: 8, epochs: 2, data: "a plain-text file (lines of words)")
let generator = Generator(seed: lesson.options.seed)

/*:
 ## What is the data?

 One stream of tokens. By default it is the synthetic language of Days
 1–4: 1,500 sentences drawn from its grammar, lowercased, each ended by
 `<eos>` (end of sentence), one after the other. With `--data PATH` it is
 your file, read by `PlainTextReader` the same way. The stream is cut in
 three *contiguous* parts — 80% training, 10% validation, 10% test — as
 Wikitext and Penn Treebank are: a language model is judged on text that
 follows the text it learned from. The vocabulary comes from the training
 part; a word it lacks reads as `<unk>`.
 */
let stream: [String]
if let path = lesson.options.dataPath {
    do { stream = try PlainTextReader.read(path: path) } catch {
        print("day8: \(error)")
        exit(1)
    }
} else {
    let sentences = SyntheticTaggingCorpus(maxLength: 30).generate(count: 1_500, generator: Generator(seed: lesson.options.seed + 100))
    stream = sentences.flatMap { $0.words.map { $0.lowercased() } + ["<eos>"] }
}
let trainEnd = stream.count * 8 / 10, validationEnd = stream.count * 9 / 10
// The 30 chunks of 10 steps below, in 16 streams (trainBatchSize), need
// 16 × 301 training tokens: 80% of 6,020.
guard trainEnd >= 16 * 301, validationEnd - trainEnd >= 200 else {
    print("day8: the text has \(stream.count) tokens; at least 6,020 are needed "
          + "(80% of them for training: 30 chunks of 10 steps in 16 streams)")
    exit(1)
}
let vocabulary = Vocabulary(tokens: stream[..<trainEnd], specials: [Vocabulary.unknownToken])
let trainIds = vocabulary.indices(of: Array(stream[..<trainEnd]))
let validationIds = vocabulary.indices(of: Array(stream[trainEnd..<validationEnd]))
let testIds = vocabulary.indices(of: Array(stream[validationEnd...]))
print("\(stream.count) tokens: \(trainIds.count) training, \(validationIds.count) validation, \(testIds.count) test; vocabulary \(vocabulary.count) (with <unk>)")
let sentenceCount = stream.filter { $0 == "<eos>" }.count
print("\(sentenceCount) sentences (lines), \(format(Double(stream.count) / Double(max(sentenceCount, 1)), 1)) tokens each on average, <eos> included")
print("the text begins: \(stream.prefix(24).joined(separator: " ")) …")

/*:
 ## How does one stream become a batch?

 A minibatch needs `B` sequences side by side. A single text has one, so
 we make `B`: cut the stream into `B` equal pieces, drop the few tokens
 left over, and stand the pieces side by side as columns. Row `t` of the
 result holds step `t` of every piece, so the LSTM reads `B` parts of the
 text at once, each in order, time first (`[T][B]`, PyTorch's
 `data.view(B, T).t()`). That is exercise 8.1.

 **Predict, then run.** The 26 letters of the alphabet, batchified into
 4 streams. What does the first row hold, and which letters are dropped?

 <details><summary>Answer</summary>

 `T = 26 / 4 = 6` steps per stream, so the streams are `abcdef`,
 `ghijkl`, `mnopqr` and `stuvwx`; the first row is `a g m s`, and `y`
 and `z` are dropped. Reading *down* a column reads the text; reading
 across a row jumps 6 letters at a time.
 </details>
 */
let alphabet = "abcdefghijklmnopqrstuvwxyz".map { String($0) }
let letters = exercise("8.1", "batchify a stream", student: { try batchify(Array(0..<26), batchSize: 4) },
                       reference: { Solutions.Day8.batchify(Array(0..<26), batchSize: 4) },
                       unusable: { Unusable.streams($0, tokens: 26, batchSize: 4) })
print("the alphabet in 4 streams, one row per time step (\(letters.count) rows):")
for row in letters { print("  " + row.map { alphabet[$0] }.joined(separator: " ")) }
print("dropped: \(alphabet[(letters.count * 4)...].joined(separator: ", "))")
noteDifference("8.1", letters == Solutions.Day8.batchify(Array(0..<26), batchSize: 4) ? 0 : 1, what: "in the alphabet's 4 streams")

/*:
 ## What does one chunk hold?

 Training walks down the rows in chunks of `k` steps. The chunk starting
 at row `i` has inputs rows `i ..< i + k` and targets the rows one step
 later, `i + 1 ... i + k`: at every step the model predicts the next
 token of its own stream. The last chunk is shorter, so that the last
 target is the last row. That is exercise 8.2 (PyTorch's `get_batch`).
 */
func chunk(_ source: [[Int]], at start: Int, length: Int) -> (inputs: [[Int]], targets: [[Int]]) {
    exercise("8.2", "a chunk and its targets", student: { try getBatch(source, at: start, chunkLength: length) },
             reference: { Solutions.Day8.getBatch(source, at: start, chunkLength: length) },
             unusable: { Unusable.chunk($0, of: source, at: start, length: length) })
}
for start in [0, 3] {
    let (inputs, targets) = chunk(letters, at: start, length: 3)
    let reference = Solutions.Day8.getBatch(letters, at: start, chunkLength: 3)
    noteDifference("8.2", inputs == reference.inputs && targets == reference.targets ? 0 : 1, what: "in the chunk at row \(start)")
    print("chunk at row \(start), k = 3: inputs \(inputs.map { $0.map { alphabet[$0] }.joined() }) → targets \(targets.map { $0.map { alphabet[$0] }.joined() })")
}

/*:
 Stream 0 reads `a`, then `b`, then `c`, and its targets are `b`, `c`,
 `d`: each column of the targets is its input column moved one step on.
 The second chunk starts where the first ended, so together they cover
 every step once — and the second is shorter, since row 5 has no next row
 to predict.

 ## Why carry the state, and why detach it?

 Chunk 2 of stream `b` continues the text where chunk 1 of stream `b`
 stopped. If the LSTM started each chunk from zeros, it would forget the
 sentence it was in the middle of every `k` tokens. So the state at the
 end of a chunk becomes the initial state of the next: the model reads
 each stream as one unbroken text. (Day 2 reset the state per batch, and
 for a good reason: its batches were unrelated sentences. Here they are
 consecutive pieces of the same streams.)

 But the state carries more than its values: it is the result of every
 operation since the start of the text, and autograd remembers them all.
 A `backward()` from chunk 20's loss would walk back through chunk 19, 18,
 … to the first token: the graph, the memory and the time per step all
 grow with every chunk. `detached()` keeps the values and drops the
 history: the gradient flows through the `k` steps of the current chunk
 and stops at its start. That is the *truncation*, and PyTorch's
 `repackage_hidden` does it at the top of every chunk.

 The model is the one of PyTorch's example: `Embedding → LSTM → Linear`
 over the vocabulary (`LanguageModel` in `Course`).

 **Predict, then run.** Thirty chunks of 10 steps, each trained with the
 state carried *without* `detached()`. How do the graph and the time of
 `backward()` change from the first chunk to the thirtieth?

 <details><summary>Answer</summary>

 Both grow: chunk `n`'s graph holds the LSTM steps of all `n` chunks,
 so it grows linearly, and its backward walks all of them, so the time
 grows with it (by how much depends on the machine; the run prints it). With `detached()` every
 chunk is the same size as the first. (PyTorch would stop you at chunk 2:
 its backward frees the graph it walks, and a second walk raises "Trying
 to backward through the graph a second time". Torchlet keeps graphs, so
 the mistake runs — and slows down — instead.)
 </details>
 */
let trainBatchSize = 16, evaluationBatchSize = 10
let embeddingDim = 32, hiddenSize = 64, learningRate: Float = 20, maxNorm: Float = 0.25
let trainStreams = exercise("8.1", "batchify a stream", student: { try batchify(trainIds, batchSize: trainBatchSize) },
                            reference: { Solutions.Day8.batchify(trainIds, batchSize: trainBatchSize) },
                            unusable: { Unusable.streams($0, tokens: trainIds.count, batchSize: trainBatchSize) })
let validationStreams = Solutions.Day8.batchify(validationIds, batchSize: evaluationBatchSize)
let testStreams = Solutions.Day8.batchify(testIds, batchSize: evaluationBatchSize)
func newModel(seed: UInt64) -> LanguageModel {
    LanguageModel(vocabularySize: vocabulary.count, embeddingDim: embeddingDim, hiddenSize: hiddenSize,
                  generator: Generator(seed: seed))
}

/// Trains on 30 chunks of 10 steps with the state carried, detached or
/// not; prints the graph behind the loss and the time of `backward()` at a
/// few of them.
func thirtyChunks(detach: Bool, title: String) {
    let model = newModel(seed: lesson.options.seed)
    let optimizer = SGD(model.parameters(), learningRate: learningRate)
    var state: LSTMState?
    print(title)
    for n in 1...30 {
        let (inputs, targets) = chunk(trainStreams, at: 10 * (n - 1), length: 10)
        if detach, let carried = state { state = (carried.h.detached(), carried.c.detached()) }
        optimizer.zeroGrad()
        let (scores, newState) = model(inputs, state)
        let loss = model.meanLoss(scores, targets: targets)
        let graph = loss.graphSize()
        let stopwatch = Stopwatch()
        loss.backward()
        let seconds = stopwatch.seconds
        clipGradNorm(model.parameters(), maxNorm: maxNorm)
        optimizer.step()
        state = newState
        if [1, 2, 10, 20, 30].contains(n) {
            let subnormal = model.parameters().map { $0.grad?.scalars.filter(\.isSubnormal).count ?? 0 }.reduce(0, +)
            print("  chunk \(String(n).leftPadded(2)): graph \(String(graph.nodes).leftPadded(4)) nodes, "
                  + "\(format(Double(graph.bytes) / 1_000_000, 1).leftPadded(5)) MB; backward \(format(1000 * seconds, 1).leftPadded(5)) ms; "
                  + "subnormal gradients \(subnormal)")
        }
    }
}
thirtyChunks(detach: false, title: "without detached():")
thirtyChunks(detach: true, title: "with detached():")

/*:
 Past chunk 10 the graph keeps growing, and the last column shows what
 becomes of the gradient that reaches back through a hundred or more
 steps: it fades below `Float.leastNormalMagnitude` (1.2e-38) into
 *subnormal* numbers. (The count is of the parameters' gradient values;
 the fading gradients of the states inside the backward pass are many
 more.) What they cost depends on the CPU. Many x86 CPUs, Intel's among
 them, compute with subnormals in microcode, tens of times slower, and
 there the backward time jumps far more than the graph grows; others,
 such as AMD's Zen 3 and ARM's cores, lose little, and there it grows
 with the graph alone. The line below times this CPU: a matrix product
 in subnormal numbers against the same product in normal numbers.
 */
/// The time of a 128 × 128 × 128 matrix product in subnormal numbers (one
/// operand, every product, sum and result) over the same product in
/// normal numbers (fastest of 30 each): multiply-adds like the backward pass's.
func subnormalSlowdown() -> Double {
    func fastest(_ value: Float) -> Double {
        let n = 128
        let a = Tensor([Float](repeating: value, count: n * n), shape: [n, n])
        let half = Tensor([Float](repeating: 0.5, count: n * n), shape: [n, n])
        var best = Double.infinity
        for _ in 0..<30 {
            let stopwatch = Stopwatch()
            _ = a.matmul(half)
            best = min(best, stopwatch.seconds)
        }
        return best
    }
    // 128 products of 1e-41 · 0.5 sum to 6.4e-40, still below 1.2e-38.
    return fastest(1e-41) / fastest(1e-30)
}
let slowdown = subnormalSlowdown()
print("a matrix product in subnormal numbers takes \(format(slowdown, 1))× the time of one in normal numbers on this CPU: "
      + (slowdown >= 2 ? "slow, so compare the backward times above with the same run flushed below"
                       : "about full speed, so the backward time above grows with the graph alone"))

/*:
 `setFlushDenormal(true)`, PyTorch's `torch.set_flush_denormal(True)`,
 makes the CPU treat subnormals as zero, so no CPU pays for them; the
 same run with it on:
 */
let flushes = setFlushDenormal(true)
thirtyChunks(detach: false, title: "without detached(), subnormals flushed to zero" + (flushes ? ":" : " (not supported on this CPU):"))
setFlushDenormal(false)

/*:
 Without the detach, every chunk adds the previous chunk's LSTM steps to
 the graph — their saved activations, and their embeddings — and the
 backward walks all of them: over an epoch of hundreds of chunks the
 cost of a chunk grows without bound, as does the memory. The gradient
 changes too: it now reaches into earlier chunks, computed with the
 weights as they were then. With the detach every chunk costs what the
 first did. (The decoder over the vocabulary is most of a chunk's graph,
 and it does not pile up: only the state links one chunk to the next.)

 The training step, with the detach, is exercise 8.3. It also clips the
 gradient's norm (Day 7) at every step, before the update, as PyTorch's
 example does: at its learning rate of 20 an LSTM's occasional large
 gradient would otherwise throw the weights far away.

 ## How good is a language model?

 A language model gives every possible next token a probability. Its loss
 is the mean cross-entropy per token, `−log p(the right token)`, and the
 number people report is the *perplexity*, `exp` of that mean: the model
 is as unsure as if it chose uniformly among that many tokens. A model
 that knows nothing scores the vocabulary size; a perfect one scores 1.

 The mean must be per *token* over the whole text. Evaluation goes chunk
 by chunk, and each chunk gives its mean loss; the last chunk is shorter,
 so the mean of the chunk means would weigh its few tokens as much as a
 full chunk's. Exercise 8.4 combines them right. Evaluation carries the
 state across chunks as training does, without a graph (`withNoGrad`), so
 nothing needs detaching.
 */
/// The perplexity of `model` on `streams`, read in chunks of `chunkLength`
/// with the state carried (exercise 8.4 combines the chunks' losses).
/// (`chunkLosses` and `forEachChunk`, in `Course`, walk the chunks with the
/// state carried, cut by exercise 8.2; Day 9 trains with them too.)
func perplexity(of model: LanguageModel, on streams: [[Int]], chunkLength: Int = 35) -> Double {
    let chunkLosses = model.chunkLosses(on: streams, chunkLength: chunkLength, cut: chunk)
    let yours = exercise("8.4", "perplexity from chunk losses", student: { try perplexity(chunkLosses: chunkLosses) },
                         reference: { Solutions.Day8.perplexity(chunkLosses: chunkLosses) })
    let reference = Solutions.Day8.perplexity(chunkLosses: chunkLosses)
    noteDifference("8.4", abs(yours - reference) / reference, what: "(\(yours), not \(reference))")
    return yours
}
print("an untrained model: validation perplexity \(format(perplexity(of: newModel(seed: 1), on: validationStreams), 1)) (the vocabulary has \(vocabulary.count) tokens)")

/*:
 ## What does the chunk length `k` change?

 `k` is how far back the gradient reaches. A longer chunk lets the model
 learn from dependencies up to `k` steps long, but each step of training
 costs more memory (the graph holds `k` steps), and an epoch takes fewer,
 larger optimizer steps. The forward pass is not truncated: the state
 carries everything the model remembers, whatever `k` is.

 The experiment trains the same model from the same seeds for two
 epochs (`--epochs`) with `k` = 5, 10, 20, 35 and 70 (PyTorch's example uses
 35), SGD at learning rate 20 with the norm clipped to 0.25, and reports
 the seconds per epoch, the graph of one chunk (while training), and the
 validation perplexity, as mean ± standard deviation over 3 seeds.
 */
/// One epoch of truncated BPTT over the training streams in chunks of `k` steps, with exercise 8.3.
func trainEpoch(_ model: LanguageModel, optimizer: Optimizer, k: Int, epoch: Int) {
    // A new epoch starts the text again, from zeros; each chunk carries the state on.
    forEachChunk(of: trainStreams, chunkLength: k, cut: chunk) { n, inputs, targets, state in
        let result = exercise("8.3", "one truncated-BPTT step", student: {
            try trainChunk(model, optimizer: optimizer, inputs: inputs, targets: targets, state: state, maxNorm: maxNorm)
        }, reference: {
            Solutions.Day8.trainChunk(model, optimizer: optimizer, inputs: inputs, targets: targets, state: state, maxNorm: maxNorm)
        }, unusable: { Unusable.state($0.state, batch: inputs[0].count) })
        lesson.checkLoss(result.loss, epoch: epoch, batch: n, run: "k = \(k)")
        return result.state
    }
}

/// The graph behind the loss of one training chunk of `k` steps.
func graphOfOneChunk(k: Int) -> GraphSize {
    let (inputs, targets) = chunk(trainStreams, at: 0, length: k)
    let model = newModel(seed: 1)
    return model.meanLoss(model(inputs).scores, targets: targets).graphSize()
}

let chunkLengths = [5, 10, 20, 35, 70], seeds: [UInt64] = [1, 2, 3]
let epochs = lesson.options.epochs
struct ChunkRun { var secondsPerEpoch: Double; var perplexity: Double; var model: LanguageModel }
var results: [Int: [ChunkRun]] = [:]
let progress = ProgressLine("run", total: chunkLengths.count * seeds.count)
for k in chunkLengths {
    for seed in seeds {
        let model = newModel(seed: seed)
        let optimizer = SGD(model.parameters(), learningRate: learningRate)
        let stopwatch = Stopwatch()
        for epoch in 1...epochs { trainEpoch(model, optimizer: optimizer, k: k, epoch: epoch) }
        let seconds = stopwatch.seconds / Double(epochs)
        results[k, default: []].append(ChunkRun(secondsPerEpoch: seconds,
                                                perplexity: perplexity(of: model, on: validationStreams), model: model))
        progress.update(Double(results.values.map(\.count).reduce(0, +)), ["k": k])
    }
}
progress.finish()
print("  k  chunks/epoch  s/epoch  graph of one chunk          validation perplexity (\(seeds.count) seeds)")
var perplexityPlot = LinePlot(title: "Day 8: validation perplexity by chunk length k (mean over seeds)", xLabel: "k (log scale)",
                              yLabel: "validation perplexity", logScaleX: true)
for k in chunkLengths {
    let runs = results[k]!
    let (meanPerplexity, sd) = meanAndSpread(runs.map(\.perplexity))
    let graph = graphOfOneChunk(k: k)
    print("\(String(k).leftPadded(3))  \(String((trainStreams.count - 1 + k - 1) / k).leftPadded(12))  "
          + "\(format(meanAndSpread(runs.map(\.secondsPerEpoch)).mean, 2).leftPadded(7))  "
          + "\(String(graph.nodes).leftPadded(4)) nodes, \(format(Double(graph.bytes) / 1_000_000, 2).leftPadded(5)) MB  "
          + "\(format(meanPerplexity, 1).leftPadded(12)) ± \(format(sd, 1))   (\(runs.map { format($0.perplexity, 1) }.joined(separator: ", ")))")
}
perplexityPlot.addSeries("validation perplexity", x: chunkLengths.map(Double.init),
                         y: chunkLengths.map { meanAndSpread(results[$0]!.map(\.perplexity)).mean })
lesson.writePlot(perplexityPlot, name: "perplexity-by-k")
let bestK = chunkLengths.min { meanAndSpread(results[$0]!.map(\.perplexity)).mean < meanAndSpread(results[$1]!.map(\.perplexity)).mean }!
print("lowest mean validation perplexity: k = \(bestK)")

/*:
 ![Validation perplexity by chunk length, mean over three seeds](figures/perplexity-by-k.svg)

 Read the columns together. The graph of one chunk has the same few
 nodes for every `k` — Torchlet's LSTM layer is one fused node however
 many steps it runs — but its memory grows in proportion to `k`: that is
 what a GPU must hold, and why `k` has a ceiling. The seconds per epoch
 barely change past the shortest chunks: most of the work is the decoder
 over the vocabulary at every token, which costs the same however the
 tokens are chunked.

 The perplexity weighs two things against each other: how far back the
 gradient reaches, and how many updates an epoch makes (the chunks per
 epoch). The sentences here are drawn independently and are 11 tokens
 long on average, so nothing links one sentence to the next: a chunk of
 about a sentence already reaches every dependency there is. Longer
 chunks then mostly mean fewer updates, and in two epochs they fall
 behind. On text whose dependencies reach further, a longer `k` has more
 to gain; `swift run day8 --epochs 6` shows how the ranking moves when
 every `k` gets more updates.

 ## What does the model write?

 The model of the best `k` (its first seed) on the test text, once, and
 then let it write: start from `<eos>`, and at each step draw the next
 token from `softmax(scores / temperature)`, feeding it back in with the
 state carried. A temperature below 1 sharpens the distribution toward
 the likeliest tokens; above 1 it flattens it. The softmax is your Day 1
 exercise 1.2 (log-softmax, then `exp`). The draws come from a seeded
 generator, so the text is the same on every run.
 */
let chosen = results[bestK]![0].model
print("the model of k = \(bestK), seed \(seeds[0]): test perplexity \(format(perplexity(of: chosen, on: testStreams), 1))")

/// Draws `count` tokens from `model`, starting after `<eos>`, at `temperature`.
func sample(_ model: LanguageModel, count: Int, temperature: Float, generator: Generator) -> [String] {
    model.eval()
    defer { model.train() }
    return withNoGrad {
        var token = vocabulary.index(of: "<eos>"), state: LSTMState?, words: [String] = []
        for _ in 0..<count {
            let (scores, newState) = model([[token]], state)                       // [1, 1, V]
            let logits = scores.reshaped(to: [1, vocabulary.count]) / temperature
            let logProbabilities = exercise("1.2", "a stable log-softmax", student: { try stableLogSoftmax(logits) },
                                            reference: { Solutions.Day1.stableLogSoftmax(logits) },
                                            unusable: { Unusable.shape($0, logits.shape) })
            // Draw: walk the cumulative probabilities until they pass a uniform number.
            let u = generator.nextUniform()
            var cumulative: Float = 0
            token = vocabulary.count - 1
            for (index, logProbability) in logProbabilities.scalars.enumerated() {
                cumulative += exp(logProbability)
                if cumulative > u { token = index; break }
            }
            words.append(vocabulary.word(at: token))
            state = newState
        }
        return words
    }
}
for temperature: Float in [0.5, 1.0] {
    let text = sample(chosen, count: 40, temperature: temperature, generator: Generator(seed: lesson.options.seed))
    print("temperature \(format(temperature, 1)): \(text.joined(separator: " ").replacingOccurrences(of: "<eos>", with: "/"))")
}

/*:
 (`/` marks an `<eos>`.) At temperature 0.5 the model keeps to what it is
 surest of; at 1.0 it samples from the distribution it learned, oddities
 included. Every sentence it writes follows the grammar's word order only
 as far as the model has learned it in these few seconds of training.

 ## What did the embedding learn?

 Nobody told the model which words are nouns, yet to predict the next
 word it pays to give words that can follow the same words similar
 embeddings. The model's embedding rows are written out as word vectors
 in the GloVe text format (`word v1 v2 …`, one line per word), the
 format of the big pretrained vector files; Day 10 reads this file to
 start a tagger from what the language model learned. The nearest
 neighbours (largest cosine similarity) of the most frequent words show
 what it holds.

 **Predict, then run.** Will the neighbours of `the` be other
 determiners?

 <details><summary>Answer</summary>

 Some: `your` and `my` are among its five nearest, next to `good`,
 `with` and an invented word, and the neighbours of `book` are not nouns. Two epochs of a
 small model on 13,000 words is a weak teacher; Day 10 measures whether
 its vectors still help a tagger that has few labels.
 </details>
 */
let wordVectors = PretrainedEmbeddings(embedding: chosen.embedding, vocabulary: vocabulary)
do {
    try lesson.outputFolder.create()
    let path = lesson.outputFolder.path(of: "embeddings.txt")
    try wordVectors.write(to: path)
    print("word vectors: \(OutputFolder.displayPath(path)) (\(wordVectors.words.count) words × \(wordVectors.dimension), GloVe text format)")
} catch {
    print("day8: could not write the word vectors: \(error)")
}
var tokenCounts: [String: Int] = [:]
for token in stream[..<trainEnd] { tokenCounts[token, default: 0] += 1 }
let frequentWords = tokenCounts.filter { $0.key.count > 2 && $0.key.allSatisfy(\.isLetter) }
    .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(4).map(\.key)
for word in frequentWords {
    let neighbours = wordVectors.nearest(to: word, count: 5).map { "\($0.word) \(format($0.cosine, 2))" }
    print("  nearest to \(word): " + neighbours.joined(separator: ", "))
}

/*:
 Tomorrow: deeper models — stacked and residual LSTMs, the GRU, and tying
 the embedding to the output layer.
 */
lesson.finish([
    "best_k": bestK,
    "val_ppl_k5": meanAndSpread(results[5]!.map(\.perplexity)).mean,
    "val_ppl_k35": meanAndSpread(results[35]!.map(\.perplexity)).mean,
    "test_ppl": perplexity(of: chosen, on: testStreams),
])
