// Torchlet's benchmark: fixed shapes, medians over repeated runs after a
// warm-up, one line per case:
//
//     bench: case=NAME ms=MEDIAN gflops=… threads=N
//
// Run it optimized: `swift run -c release bench [--repeats N] [--threads N] [CASE…]`.
// scripts/bench_pytorch.py prints the same cases for PyTorch, and
// scripts/bench_compare.sh runs both and prints the ratios. The shapes and
// the lengths rule here must stay identical to the Python script's.
import Foundation
import Torchlet

/// A tiny linear congruential generator shared with scripts/bench_pytorch.py,
/// so both sides draw the same lengths without sharing a random library.
struct SharedLCG {
    var state: UInt64
    mutating func next() -> Int {
        state = (state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407) & 0xFFFF_FFFF_FFFF_FFFF
        return Int(state >> 33)
    }
}

/// The lengths of the packed case: 32 values in 5…50 from seed 0.
func packedLengths() -> [Int] {
    var lcg = SharedLCG(state: 0)
    return (0..<32).map { _ in 5 + lcg.next() % 46 }
}

/// The lengths of the Day 3 epoch: 2,000 sentences, mostly 3…16 tokens and
/// one in five 3…60 (a long tail).
func epochLengths() -> [Int] {
    var lcg = SharedLCG(state: 3)
    return (0..<2_000).map { _ in
        lcg.next() % 5 == 0 ? 3 + lcg.next() % 58 : 3 + lcg.next() % 14
    }
}

/// The median time in milliseconds of `body` over `repeats` runs after `warmup`.
func medianMilliseconds(repeats: Int, warmup: Int = 2, _ body: () -> Void) -> Double {
    for _ in 0..<warmup { body() }
    var times: [Double] = []
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    times.sort()
    return times[times.count / 2]
}

func report(_ name: String, ms: Double, flops: Double? = nil) {
    let gflops = flops.map { String(format: "%.1f", $0 / (ms * 1e6)) } ?? "-"
    print("bench: case=\(name) ms=\(String(format: "%.3f", ms)) gflops=\(gflops) threads=\(Parallelism.threadCount)")
}

/// LSTM FLOPs for one forward pass over `tokens` rows: the two matrix
/// products per row (input and recurrent), 2·4H·(I + H) each.
func lstmFlops(tokens: Int, input: Int, hidden: Int) -> Double {
    2 * Double(tokens) * Double(4 * hidden) * Double(input + hidden)
}

/// GRU FLOPs for one forward pass over `tokens` rows: 2·3H·(I + H) each.
func gruFlops(tokens: Int, input: Int, hidden: Int) -> Double {
    2 * Double(tokens) * Double(3 * hidden) * Double(input + hidden)
}

var repeats = 15
var selected: Set<String> = []
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    if argument == "--repeats", let value = arguments.popFirst(), let n = Int(value), n > 0 {
        repeats = n
    } else if argument == "--threads", let value = arguments.popFirst(), let n = Int(value), n > 0 {
        Parallelism.threadCount = n
    } else if argument.hasPrefix("-") {
        FileHandle.standardError.write("usage: bench [--repeats N] [--threads N] [CASE…]\n".data(using: .utf8)!)
        exit(2)
    } else {
        selected.insert(argument)
    }
}
func wanted(_ name: String) -> Bool { selected.isEmpty || selected.contains(name) }

let generator = Generator(seed: 0)

for n in [128, 256, 512, 1024] where wanted("gemm_\(n)") {
    let a = Tensor.normal([n, n], generator: generator), b = Tensor.normal([n, n], generator: generator)
    let ms = medianMilliseconds(repeats: n >= 1024 ? max(3, repeats / 3) : repeats) { _ = a.matmul(b) }
    report("gemm_\(n)", ms: ms, flops: 2 * Double(n * n * n))
}

// nn.LSTM(64 → 128), batch 32, 50 steps.
let (steps, batch, inputSize, hidden) = (50, 32, 64, 128)
let lstm = LSTM(inputSize: inputSize, hiddenSize: hidden, generator: generator)
let dense = Tensor.normal([steps, batch, inputSize], generator: generator)
let lengths = packedLengths()
let packedInput = packPaddedSequence(
    Tensor.normal([50, batch, inputSize], generator: generator), lengths: lengths, enforceSorted: false)
let denseTokens = steps * batch, packedTokens = lengths.reduce(0, +)

/// The median time of forward + backward through a recurrent layer: `run`
/// maps a fresh leaf copy of `input` to the output rows and the final `h`,
/// and the loss is the sum of both.
func trainingMilliseconds(_ module: Module, _ input: Tensor, _ run: (Tensor) -> (output: Tensor, h: Tensor)) -> Double {
    medianMilliseconds(repeats: repeats) {
        let x = Tensor(input.scalars, shape: input.shape, requiresGrad: true)
        let (output, h) = run(x)
        (output.sum() + h.sum()).backward()
        module.zeroGrad()
    }
}

if wanted("lstm_dense") {
    let ms = trainingMilliseconds(lstm, dense) { x in let (output, (h, _)) = lstm(x); return (output, h) }
    report("lstm_dense", ms: ms, flops: 3 * lstmFlops(tokens: denseTokens, input: inputSize, hidden: hidden))
}
if wanted("lstm_packed") {
    let ms = trainingMilliseconds(lstm, packedInput.data) { x in
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
    let ms = trainingMilliseconds(gru, dense) { x in gru(x) }
    report("gru_dense", ms: ms, flops: 3 * gruFlops(tokens: denseTokens, input: inputSize, hidden: hidden))
}
if wanted("gru_packed") {
    let ms = trainingMilliseconds(gru, packedInput.data) { x in
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
