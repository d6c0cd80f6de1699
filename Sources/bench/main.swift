// Torchlet's benchmark: fixed shapes, medians over repeated runs after a
// warm-up, one line per case:
//
//     bench: peak gflops=… (16-wide FMA, 1 thread)
//     bench: kernel gflops=… peak_share=…   (only when asked for: `bench kernel`)
//     bench: case=NAME ms=MEDIAN gflops=… threads=N [peak_share=… best_share=… (gemm) or first_loss=… (lm_step)]
//     bench: memory start_rss_mb=… peak_rss_mb=…
//
// With `--lockstep`, each turn prints `bench: turn ms=…`, and a gemm case's
// turns add `peak_gflops=…`, the peak measured again right after the turn.
//
// Run it optimized: `swift run -c release bench [--repeats N] [--threads N] [--lockstep] [--scaling] [--list] [CASE…]`.
// `--list` prints the case names, one per line; an unknown name is an error.
// With `--scaling`, `--list` prints the sweep's shapes and `--point I` runs
// only the I-th (repeatable), so a script can alternate sides shape by shape.
// The peak is one core's FMA loop (Peak.swift), printed before the gemm
// cases (or alone: `bench peak`); gemm lines add their share of it:
// `peak_share` the median run's, `best_share` the fastest run's, the
// statistic the peak itself is (what the core does when nothing
// interrupts it; on a shared machine the two can differ by a fifth).
// `bench kernel` adds the product's micro-kernel alone on operands in L1
// (Peak.swift), with its share of the peak: what the kernel can do when
// no cache misses slow it. The
// memory line is the process's peak resident set, meaningful for one case
// run alone (`bench lstm_large`). `--scaling` times lstm_dense's shape
// against T, B and H instead of the cases (Scaling.swift). `--lockstep`
// (one case, or one `--point`) lets scripts/lockstep.py take turns with
// PyTorch's side, run by run (`lockstepMilliseconds` in Measurement.swift).
// scripts/bench_pytorch.py prints the same cases for PyTorch, and
// scripts/bench_compare.sh runs both and prints the ratios. The shapes, the
// lengths and the tokens here must stay identical to the Python script's.
import Course
import Foundation
import Torchlet

/// Every case, in the order they run (`bench --list`).
let caseNames = ["gemm_128", "gemm_256", "gemm_512", "gemm_1024", "lstm_dense", "lstm_packed", "lstm_dense_nograd",
                 "lstm_packed_nograd", "gru_dense", "gru_packed", "day3_epoch", "lstm_large", "lm_step"]

let startResidentMegabytes = peakResidentMegabytes()
var repeats = 15
var scaling = false, listing = false
var points: [Int] = []
var selected: Set<String> = []
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    if argument == "--repeats", let value = arguments.popFirst(), let n = Int(value), n > 0 {
        repeats = n
    } else if argument == "--threads", let value = arguments.popFirst(), let n = Int(value), n > 0 {
        Parallelism.threadCount = n
    } else if argument == "--lockstep" {
        lockstep = true
    } else if argument == "--scaling" {
        scaling = true
    } else if argument == "--point", let value = arguments.popFirst(), let i = Int(value),
              ScalingShape.sweep.indices.contains(i) {
        points.append(i)
    } else if argument == "--list" {
        listing = true
    } else if argument.hasPrefix("-") {
        FileHandle.standardError.write(
            ("usage: bench [--repeats N] [--threads N] [--lockstep] [--list] [CASE…]\n"
             + "       bench --scaling [--lockstep] [--list] [--point I…]   (I in 0…\(ScalingShape.sweep.count - 1))\n").data(using: .utf8)!)
        exit(2)
    } else if argument == "peak" || argument == "kernel" || caseNames.contains(argument) {
        selected.insert(argument)
    } else {
        FileHandle.standardError.write("bench: no case named '\(argument)' (bench --list shows them)\n".data(using: .utf8)!)
        exit(2)
    }
}
let timesOne = scaling ? points.count == 1 : selected.count == 1 && !selected.contains("peak") && !selected.contains("kernel")
if lockstep && !timesOne {
    FileHandle.standardError.write("bench: --lockstep times one case (or one --point of --scaling) at a time\n".data(using: .utf8)!)
    exit(2)
}
func wanted(_ name: String) -> Bool {
    precondition(name == "peak" || name == "kernel" || caseNames.contains(name), "bench: case \(name) is missing from caseNames")
    return selected.isEmpty || selected.contains(name)
}

if listing {
    print((scaling ? ScalingShape.sweep.map(\.label) : caseNames).joined(separator: "\n"))
    exit(0)
}

let generator = Generator(seed: 0)

if scaling {
    runScalingSweep(points.isEmpty ? ScalingShape.sweep : points.map { ScalingShape.sweep[$0] },
                    repeats: repeats, generator: generator)
    exit(0)
}

let gemmSizes = [128, 256, 512, 1024].filter { wanted("gemm_\($0)") }
let kernelWanted = selected.contains("kernel")
let peakGigaflops = wanted("peak") || kernelWanted || !gemmSizes.isEmpty ? measuredPeakGigaflops(repeats: repeats) : nil
if let peakGigaflops {
    print("bench: peak gflops=\(String(format: "%.1f", peakGigaflops)) (\(FMAPeak.vectorWidth)-wide FMA, 1 thread)")
}
if kernelWanted, let peakGigaflops {
    let kernel = measuredKernelGigaflops(repeats: repeats)
    print("bench: kernel gflops=\(String(format: "%.1f", kernel)) peak_share=\(String(format: "%.2f", kernel / peakGigaflops))")
}
for n in gemmSizes {
    let a = Tensor.normal([n, n], generator: generator), b = Tensor.normal([n, n], generator: generator)
    let times = timedMilliseconds(repeats: n >= 1024 ? max(3, repeats / 3) : repeats, afterTurn: turnPeakField) {
        _ = a.matmul(b)
    }
    let ms = times[times.count / 2], flops = 2 * Double(n * n * n)
    let share = peakGigaflops.map {
        String(format: " peak_share=%.2f best_share=%.2f", flops / (ms * 1e6) / $0, flops / (times[0] * 1e6) / $0)
    } ?? ""
    report("gemm_\(n)", ms: ms, flops: flops, extra: share)
}

// nn.LSTM(64 → 128), batch 32, 50 steps.
let (steps, batch, inputSize, hidden) = (50, 32, 64, 128)
let lstm = LSTM(inputSize: inputSize, hiddenSize: hidden, generator: generator)
let dense = Tensor.normal([steps, batch, inputSize], generator: generator)
let lengths = packedLengths()
let packedInput = packPaddedSequence(
    Tensor.normal([50, batch, inputSize], generator: generator), lengths: lengths, enforceSorted: false)
let denseTokens = steps * batch, packedTokens = lengths.reduce(0, +)

if wanted("lstm_dense") {
    let ms = trainingMilliseconds(lstm, dense, repeats: repeats) { x in let (output, (h, _)) = lstm(x); return (output, h) }
    report("lstm_dense", ms: ms, flops: 3 * lstmFlops(tokens: denseTokens, input: inputSize, hidden: hidden))
}
if wanted("lstm_packed") {
    let ms = trainingMilliseconds(lstm, packedInput.data, repeats: repeats) { x in
        let (output, (h, _)) = lstm(packedInput.replacing(data: x))
        return (output.data, h)
    }
    report("lstm_packed", ms: ms, flops: 3 * lstmFlops(tokens: packedTokens, input: inputSize, hidden: hidden))
}
if wanted("lstm_dense_nograd") {
    let ms = medianMilliseconds(repeats: repeats) { withNoGrad { _ = lstm(dense) } }
    report("lstm_dense_nograd", ms: ms, flops: lstmFlops(tokens: denseTokens, input: inputSize, hidden: hidden))
}
if wanted("lstm_packed_nograd") {
    let ms = medianMilliseconds(repeats: repeats) { withNoGrad { _ = lstm(packedInput) } }
    report("lstm_packed_nograd", ms: ms, flops: lstmFlops(tokens: packedTokens, input: inputSize, hidden: hidden))
}

// nn.GRU(64 → 128), the same input and lengths as the LSTM cases.
let gru = GRU(inputSize: inputSize, hiddenSize: hidden, generator: generator)
if wanted("gru_dense") {
    let ms = trainingMilliseconds(gru, dense, repeats: repeats) { x in gru(x) }
    report("gru_dense", ms: ms, flops: 3 * gruFlops(tokens: denseTokens, input: inputSize, hidden: hidden))
}
if wanted("gru_packed") {
    let ms = trainingMilliseconds(gru, packedInput.data, repeats: repeats) { x in
        let (output, h) = gru(packedInput.replacing(data: x))
        return (output.data, h)
    }
    report("gru_packed", ms: ms, flops: 3 * gruFlops(tokens: packedTokens, input: inputSize, hidden: hidden))
}

// A Day 3 epoch: a padded-batch tagger (vocabulary 600, embedding 32,
// hidden 64, 12 tags), batches of 32, cross-entropy ignoring padding, Adam.
if wanted("day3_epoch") {
    let (vocabulary, tags, embeddingDim, taggerHidden, batchSize) = (600, 12, 32, 64, 32)
    let sentenceLengths = epochLengths()
    var lcg = SharedLCG(state: 7)
    let words = sentenceLengths.map { n in (0..<n).map { _ in 1 + lcg.next() % (vocabulary - 1) } }
    let labels = sentenceLengths.map { n in (0..<n).map { _ in lcg.next() % tags } }
    let embedding = Embedding(numEmbeddings: vocabulary, embeddingDim: embeddingDim, paddingIndex: 0, generator: generator)
    let tagger = LSTM(inputSize: embeddingDim, hiddenSize: taggerHidden, batchFirst: true, generator: generator)
    let classifier = Linear(inFeatures: taggerHidden, outFeatures: tags, generator: generator)
    let optimizer = Adam(embedding.parameters() + tagger.parameters() + classifier.parameters(), learningRate: 1e-3)
    let ms = medianMilliseconds(repeats: max(3, repeats / 5), warmup: 1) {
        for start in stride(from: 0, to: words.count, by: batchSize) {
            let rows = Array(start..<min(start + batchSize, words.count))
            let t = rows.map { sentenceLengths[$0] }.max()!
            var ids: [Int] = [], targets: [Int] = []
            for r in rows {
                ids += words[r] + [Int](repeating: 0, count: t - words[r].count)
                targets += labels[r] + [Int](repeating: -100, count: t - labels[r].count)
            }
            optimizer.zeroGrad()
            let (output, _) = tagger(embedding(ids, shape: [rows.count, t]))
            let logits = classifier(output).reshaped(to: [-1, tags])
            crossEntropy(logits, targets: targets, ignoreIndex: -100).backward()
            optimizer.step()
        }
    }
    report("day3_epoch", ms: ms)
}

// nn.LSTM(256 → 512, num_layers=2), batch 64, 100 steps: a model of the
// size a user trains, where the matrix products dominate.
if wanted("lstm_large") {
    let (steps, batch, inputSize, hidden) = (100, 64, 256, 512)
    let large = LSTM(inputSize: inputSize, hiddenSize: hidden, numLayers: 2, generator: generator)
    let input = Tensor.normal([steps, batch, inputSize], generator: generator)
    let ms = trainingMilliseconds(large, input, repeats: max(3, repeats / 5), warmup: 1) { x in
        let (output, (h, _)) = large(x)
        return (output, h)
    }
    let forward = lstmFlops(tokens: steps * batch, input: inputSize, hidden: hidden)
        + lstmFlops(tokens: steps * batch, input: hidden, hidden: hidden)
    report("lstm_large", ms: ms, flops: 3 * forward)
}

// Day 8's word-level language model: Embedding(10,000 → 256) → LSTM(256 →
// 512) → Linear(512 → 10,000), mean cross-entropy of the next token over 35
// steps × 64 streams, backward, one Adam step. The line adds the first
// step's loss, which starts near ln(10,000) ≈ 9.21 on both sides.
if wanted("lm_step") {
    let (vocabulary, steps, batch, embeddingDim, hidden) = (10_000, 35, 64, 256, 512)
    let tokens = languageModelTokens(steps: steps, batch: batch, vocabulary: vocabulary)
    let inputs = Array(tokens[0..<steps]), targets = Array(tokens[1...steps])
    let model = LanguageModel(vocabularySize: vocabulary, embeddingDim: embeddingDim, hiddenSize: hidden, generator: generator)
    let optimizer = Adam(model.parameters(), learningRate: 1e-3)
    var firstLoss: Float?
    let ms = medianMilliseconds(repeats: max(3, repeats / 5), warmup: 1) {
        optimizer.zeroGrad()
        let loss = model.meanLoss(model(inputs).scores, targets: targets)
        if firstLoss == nil { firstLoss = loss.item }
        loss.backward()
        optimizer.step()
    }
    let decoder = 2 * Double(steps * batch) * Double(hidden) * Double(vocabulary)
    let forward = lstmFlops(tokens: steps * batch, input: embeddingDim, hidden: hidden) + decoder
    report("lm_step", ms: ms, flops: 3 * forward, extra: String(format: " first_loss=%.3f", firstLoss!))
}

print("bench: memory start_rss_mb=\(String(format: "%.1f", startResidentMegabytes)) "
      + "peak_rss_mb=\(String(format: "%.1f", peakResidentMegabytes()))")
