/// A multi-layer GRU over whole sequences, like `nn.GRU`.
///
/// Input is `[T, B, inputSize]` (time first, PyTorch's default), or
/// `[B, T, inputSize]` with `batchFirst`, or one unbatched sequence
/// `[T, inputSize]`. It returns the output of the last layer at every step,
/// `[T, B, D·H]` (D = 2 when bidirectional), and the final hidden state `h`
/// (PyTorch's `h_n`), `[numLayers·D, B, H]` — never batch-first, as in
/// PyTorch. A GRU has no cell state: `h` is its whole state.
///
/// Each layer and direction computes, per step (gates in the order r, z, n):
/// ```
/// r  = σ(W_ir x + b_ir + W_hr h + b_hr)
/// z  = σ(W_iz x + b_iz + W_hz h + b_hz)
/// n  = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
/// h' = (1 − z) ⊙ n + z ⊙ h
/// ```
/// The reset gate multiplies `W_hn h + b_hn`, not `h`, as in PyTorch (see
/// `GRUCell`).
///
/// Parameters follow PyTorch's names and layout, per layer `k` and
/// direction: `weight_ih_lk` `[3H, I]` (I = D·H above the first layer),
/// `weight_hh_lk` `[3H, H]`, `bias_ih_lk`, `bias_hh_lk` `[3H]`, with a
/// `_reverse` suffix for the backward direction; all drawn from
/// U(−1/√H, 1/√H).
///
/// ```
/// let gru = GRU(inputSize: 8, hiddenSize: 16, numLayers: 2)
/// let (output, h) = gru(x)        // x [T, B, 8] → output [T, B, 16], h [2, B, 16]
/// ```
public final class GRU: Module {
    /// The parameters, layouts and layer loop shared with `LSTM`.
    let stack: RecurrentStack
    public var inputSize: Int { stack.inputSize }
    public var hiddenSize: Int { stack.hiddenSize }
    public var numLayers: Int { stack.numLayers }
    public var bidirectional: Bool { stack.numDirections == 2 }
    public var batchFirst: Bool { stack.batchFirst }
    /// Dropout on the outputs of every layer but the last, in training mode.
    public let dropout: Float
    let generator: Generator

    /// - Precondition: the sizes are positive and `dropout` is in [0, 1).
    public init(
        inputSize: Int, hiddenSize: Int, numLayers: Int = 1, batchFirst: Bool = false,
        dropout: Float = 0, bidirectional: Bool = false, generator: Generator = .default
    ) {
        stack = RecurrentStack(
            name: "GRU", gates: 3, inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers,
            bidirectional: bidirectional, batchFirst: batchFirst, dropout: dropout, generator: generator)
        self.dropout = dropout
        self.generator = generator
        super.init()
        stack.register(on: self)
    }

    /// The number of directions: 2 when bidirectional, else 1.
    public var numDirections: Int { stack.numDirections }

    /// Runs the GRU over `input`, starting from the hidden state `h0` (zeros
    /// when `nil`), like PyTorch's `output, h_n = gru(input, h0)`.
    ///
    /// A sequence of no steps (`T = 0`) is a loop that never runs: the
    /// output is empty, `[0, B, D·H]` (`[B, 0, D·H]` with `batchFirst`,
    /// `[0, D·H]` unbatched), and `h` is `h0` itself, so gradients reach it
    /// unchanged. (PyTorch 2.13 refuses `T = 0`.)
    ///
    /// - Returns: `output`, the last layer's `h` at every step, and `h`, the
    ///   final hidden state of every layer and direction (PyTorch's `h_n`),
    ///   `[numLayers·D, B, H]` (`[numLayers·D, H]` for unbatched input).
    /// - Precondition: `input` is `[T, B, inputSize]` (`[B, T, inputSize]`
    ///   with `batchFirst`) or `[T, inputSize]`; `h0` is `[numLayers·D, B, H]`
    ///   (`[numLayers·D, H]` for unbatched input).
    public func callAsFunction(_ input: Tensor, _ h0: Tensor? = nil) -> (output: Tensor, h: Tensor) {
        let (x, unbatched) = stack.timeFirst(input)
        let steps = x.shape[0], batch = x.shape[1]
        let initial = unbatched ? h0.map(stack.batchedState) : h0
        if steps == 0 {
            if let initial { stack.checkState([initial], batch: batch) }
            let output = stack.emptyOutput(batch: batch, unbatched: unbatched, inputs: [input] + parameters())
            let shape = unbatched ? [numLayers * numDirections, hiddenSize] : stack.stateShape(batch: batch)
            return (output, h0 ?? .zeros(shape))
        }
        let (data, h) = run(
            x.reshaped(to: [steps * batch, inputSize]), batchSizes: [Int](repeating: batch, count: steps),
            batch: batch, initial)
        let output = stack.callerLayout(data, steps: steps, batch: batch, unbatched: unbatched)
        return (output, unbatched ? h.squeezed(dim: 1) : h)
    }

    /// Runs every layer and direction over packed-layout data `[N, I]` with
    /// the given batch sizes; returns the last layer's outputs `[N, D·H]` and
    /// the final hidden states `[numLayers·D, batch, H]`.
    func run(_ data: Tensor, batchSizes: [Int], batch: Int, _ h0: Tensor?) -> (Tensor, Tensor) {
        if let h0 { stack.checkState([h0], batch: batch) }
        var finalH: [Tensor] = []
        let output = stack.run(data, dropout: dropout, training: isTraining, generator: generator) { input, w, index, reverse in
            let result = GRULayerKernel.run(
                input: input, batchSizes: batchSizes, h0: h0?.selected(dim: 0, index: index) ?? .zeros([batch, hiddenSize]),
                weightIH: w.ih, weightHH: w.hh, biasIH: w.biasIH, biasHH: w.biasHH, reverse: reverse)
            finalH.append(result.h)
            return result.output
        }
        return (output, Tensor(stacking: finalH, dim: 0))
    }
}
