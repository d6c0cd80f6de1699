/// A multi-layer LSTM over whole sequences, like `nn.LSTM`.
///
/// Input is `[T, B, inputSize]` (time first, PyTorch's default), or
/// `[B, T, inputSize]` with `batchFirst`, or one unbatched sequence
/// `[T, inputSize]`. It returns the output of the last layer at every step,
/// `[T, B, D·H]` (D = 2 when bidirectional), and the final state `(h_n, c_n)`,
/// each `[numLayers·D, B, H]` — never batch-first, as in PyTorch.
///
/// Parameters follow PyTorch's names and layout, per layer `k` and
/// direction: `weight_ih_lk` `[4H, I]` (I = D·H above the first layer),
/// `weight_hh_lk` `[4H, H]`, `bias_ih_lk`, `bias_hh_lk` `[4H]`, with a
/// `_reverse` suffix for the backward direction; gates in the order i, f, g,
/// o; all drawn from U(−1/√H, 1/√H).
public final class LSTM: Module {
    /// The parameters, layouts and layer loop shared with `GRU`.
    let stack: RecurrentStack
    public var inputSize: Int { stack.inputSize }
    public var hiddenSize: Int { stack.hiddenSize }
    public var numLayers: Int { stack.numLayers }
    public var bidirectional: Bool { stack.numDirections == 2 }
    public var batchFirst: Bool { stack.batchFirst }
    /// Dropout on the outputs of every layer but the last, in training mode.
    public let dropout: Float
    let generator: Generator

    public init(
        inputSize: Int, hiddenSize: Int, numLayers: Int = 1, batchFirst: Bool = false,
        dropout: Float = 0, bidirectional: Bool = false, generator: Generator = .default
    ) {
        stack = RecurrentStack(
            name: "LSTM", gates: 4, inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers,
            bidirectional: bidirectional, batchFirst: batchFirst, dropout: dropout, generator: generator)
        self.dropout = dropout
        self.generator = generator
        super.init()
        stack.register(on: self)
    }

    /// The number of directions: 2 when bidirectional, else 1.
    public var numDirections: Int { stack.numDirections }

    /// Runs the LSTM over `input`, starting from `state` (zeros when `nil`).
    ///
    /// A sequence of no steps (`T = 0`) is a loop that never runs: the
    /// output is empty, `[0, B, D·H]` (`[B, 0, D·H]` with `batchFirst`,
    /// `[0, D·H]` unbatched), and `(h_n, c_n)` is the initial state itself,
    /// so gradients reach a given state unchanged. (PyTorch 2.13 refuses
    /// `T = 0` with "Expected sequence length to be larger than 0 in RNN".)
    ///
    /// - Precondition: `input` is `[T, B, inputSize]` (`[B, T, inputSize]`
    ///   with `batchFirst`) or `[T, inputSize]`; `state` tensors are
    ///   `[numLayers·D, B, H]` (`[numLayers·D, H]` for unbatched input).
    public func callAsFunction(_ input: Tensor, _ state: LSTMState? = nil) -> (output: Tensor, state: LSTMState) {
        let (x, unbatched) = stack.timeFirst(input)
        let steps = x.shape[0], batch = x.shape[1]
        let initial = state.map { s -> LSTMState in
            unbatched ? (stack.batchedState(s.h), stack.batchedState(s.c)) : s
        }
        if steps == 0 {
            if let initial { stack.checkState([initial.h, initial.c], batch: batch) }
            let output = stack.emptyOutput(batch: batch, unbatched: unbatched, inputs: [input] + parameters())
            if let state { return (output, state) }
            let shape = unbatched ? [numLayers * numDirections, hiddenSize] : stack.stateShape(batch: batch)
            return (output, (.zeros(shape), .zeros(shape)))
        }
        let (data, h, c) = run(
            x.reshaped(to: [steps * batch, inputSize]), batchSizes: [Int](repeating: batch, count: steps),
            batch: batch, initial)
        let output = stack.callerLayout(data, steps: steps, batch: batch, unbatched: unbatched)
        if unbatched {
            return (output, (h.squeezed(dim: 1), c.squeezed(dim: 1)))
        }
        return (output, (h, c))
    }

    /// Runs every layer and direction over packed-layout data `[N, I]` with
    /// the given batch sizes; returns the last layer's outputs `[N, D·H]` and
    /// the final states `[numLayers·D, batch, H]`.
    func run(_ data: Tensor, batchSizes: [Int], batch: Int, _ state: LSTMState?) -> (Tensor, Tensor, Tensor) {
        if let state { stack.checkState([state.h, state.c], batch: batch) }
        var finalH: [Tensor] = [], finalC: [Tensor] = []
        let output = stack.run(data, dropout: dropout, training: isTraining, generator: generator) { input, w, index, reverse in
            let h0 = state?.h.selected(dim: 0, index: index) ?? .zeros([batch, hiddenSize])
            let c0 = state?.c.selected(dim: 0, index: index) ?? .zeros([batch, hiddenSize])
            let result = LSTMLayerKernel.run(
                input: input, batchSizes: batchSizes, h0: h0, c0: c0,
                weightIH: w.ih, weightHH: w.hh, biasIH: w.biasIH, biasHH: w.biasHH, reverse: reverse)
            finalH.append(result.h)
            finalC.append(result.c)
            return result.output
        }
        return (output, Tensor(stacking: finalH, dim: 0), Tensor(stacking: finalC, dim: 0))
    }
}
