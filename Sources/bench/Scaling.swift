import Torchlet

/// One shape of the scaling sweep: lstm_dense's LSTM(64 → H), batch B,
/// T steps, with one of T, B and H moved from lstm_dense's 50, 32 and 128.
struct ScalingShape {
    /// Which of the three is varied: "T", "B" or "H".
    let varied: String
    let steps: Int, batch: Int, hidden: Int
    static let inputSize = 64

    /// The sweep, T then B then H, each from its smallest value (the same
    /// list as scripts/bench_pytorch.py's).
    static let sweep: [ScalingShape] =
        [25, 50, 100, 200, 400].map { ScalingShape(varied: "T", steps: $0, batch: 32, hidden: 128) }
        + [1, 4, 16, 64, 256].map { ScalingShape(varied: "B", steps: 50, batch: $0, hidden: 128) }
        + [32, 64, 128, 256, 512, 1024].map { ScalingShape(varied: "H", steps: 50, batch: 32, hidden: $0) }
}

extension ScalingShape {
    /// The shape as `bench --scaling` prints it: `vary=T T=400 B=32 H=128`.
    var label: String { "vary=\(varied) T=\(steps) B=\(batch) H=\(hidden)" }
}

/// Times forward + backward (as lstm_dense) at each of `shapes` and prints
/// one line per shape:
///
///     bench: scaling vary=T T=400 B=32 H=128 ms=MEDIAN gflops=… threads=N
func runScalingSweep(_ shapes: [ScalingShape], repeats: Int, generator: Generator) {
    for shape in shapes {
        let lstm = LSTM(inputSize: ScalingShape.inputSize, hiddenSize: shape.hidden, generator: generator)
        let input = Tensor.normal([shape.steps, shape.batch, ScalingShape.inputSize], generator: generator)
        let ms = trainingMilliseconds(lstm, input, repeats: repeats, warmup: 1) { x in
            let (output, (h, _)) = lstm(x)
            return (output, h)
        }
        let flops = 3 * lstmFlops(tokens: shape.steps * shape.batch, input: ScalingShape.inputSize, hidden: shape.hidden)
        print("bench: scaling \(shape.label) "
              + "ms=\(String(format: "%.3f", ms)) gflops=\(String(format: "%.1f", flops / (ms * 1e6))) "
              + "threads=\(Parallelism.threadCount)")
    }
}
