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
    public let inputSize: Int
    public let hiddenSize: Int
    public let numLayers: Int
    public let bidirectional: Bool
    public let batchFirst: Bool
    /// Dropout on the outputs of every layer but the last, in training mode.
    public let dropout: Float
    let generator: Generator

    /// The four parameters of one layer and direction.
    struct Weights {
        let ih: Tensor, hh: Tensor, biasIH: Tensor, biasHH: Tensor
    }

    /// `weights[layer][direction]`.
    let weights: [[Weights]]

    public init(
        inputSize: Int, hiddenSize: Int, numLayers: Int = 1, batchFirst: Bool = false,
        dropout: Float = 0, bidirectional: Bool = false, generator: Generator = .default
    ) {
        precondition(inputSize > 0 && hiddenSize > 0 && numLayers > 0,
                     "LSTM: inputSize \(inputSize), hiddenSize \(hiddenSize), numLayers \(numLayers) must be positive")
        precondition(dropout >= 0 && dropout < 1, "LSTM: dropout \(dropout) must be in [0, 1)")
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.numLayers = numLayers
        self.bidirectional = bidirectional
        self.batchFirst = batchFirst
        self.dropout = dropout
        self.generator = generator
        let directions = bidirectional ? 2 : 1
        let bound = 1 / Float(hiddenSize).squareRoot()
        func uniform(_ shape: [Int]) -> Tensor { .uniform(shape, low: -bound, high: bound, generator: generator) }
        weights = (0..<numLayers).map { layer in
            let layerInput = layer == 0 ? inputSize : hiddenSize * directions
            return (0..<directions).map { _ in
                Weights(ih: uniform([4 * hiddenSize, layerInput]), hh: uniform([4 * hiddenSize, hiddenSize]),
                        biasIH: uniform([4 * hiddenSize]), biasHH: uniform([4 * hiddenSize]))
            }
        }
        super.init()
        for (layer, pair) in weights.enumerated() {
            for (direction, w) in pair.enumerated() {
                let suffix = "_l\(layer)" + (direction == 1 ? "_reverse" : "")
                registerParameter("weight_ih" + suffix, w.ih)
                registerParameter("weight_hh" + suffix, w.hh)
                registerParameter("bias_ih" + suffix, w.biasIH)
                registerParameter("bias_hh" + suffix, w.biasHH)
            }
        }
    }

    /// The number of directions: 2 when bidirectional, else 1.
    public var numDirections: Int { bidirectional ? 2 : 1 }

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
        let unbatched = input.rank == 2
        precondition(
            (input.rank == 3 || unbatched) && input.shape.last == inputSize,
            "LSTM: input shape \(input.shape) should be \(batchFirst ? "[batch, seq" : "[seq, batch"), \(inputSize)] or [seq, \(inputSize)]")
        var x = unbatched ? input.unsqueezed(dim: 1) : input
        if batchFirst && !unbatched { x = x.transposed(0, 1) }
        let steps = x.shape[0], batch = x.shape[1]
        let initial = state.map { s -> LSTMState in
            unbatched ? (s.h.unsqueezed(dim: 1), s.c.unsqueezed(dim: 1)) : s
        }
        if steps == 0 {
            return noSteps(input, batch: batch, unbatched: unbatched, state: state, initial: initial)
        }
        let (data, h, c) = run(
            x.reshaped(to: [steps * batch, inputSize]), batchSizes: [Int](repeating: batch, count: steps),
            batch: batch, initial)
        var output = data.reshaped(to: [steps, batch, numDirections * hiddenSize])
        if batchFirst && !unbatched { output = output.transposed(0, 1) }
        if unbatched {
            return (output.squeezed(dim: 1), (h.squeezed(dim: 1), c.squeezed(dim: 1)))
        }
        return (output, (h, c))
    }

    /// The result over a sequence of no steps: an empty output and the
    /// initial state (zeros `[numLayers·D, B, H]` when none is given).
    private func noSteps(
        _ input: Tensor, batch: Int, unbatched: Bool, state: LSTMState?, initial: LSTMState?
    ) -> (output: Tensor, state: LSTMState) {
        checkInitialState(initial, batch: batch)
        let width = numDirections * hiddenSize
        let shape = unbatched ? [0, width] : batchFirst ? [batch, 0, width] : [0, batch, width]
        // Recorded like any LSTM output, so it requires grad when the weights
        // do; it has no values, so no gradient flows back from it.
        let inputs = [input] + parameters()
        let output = Tensor.result(op: "LSTM", shape: shape, scalars: [], inputs: inputs) { _ in
            [[Float]?](repeating: nil, count: inputs.count)
        }
        if let state { return (output, state) }
        let stateShape = unbatched ? [numLayers * numDirections, hiddenSize] : [numLayers * numDirections, batch, hiddenSize]
        return (output, (.zeros(stateShape), .zeros(stateShape)))
    }

    /// Stops with a message unless `state` is `[numLayers·D, batch, H]`.
    private func checkInitialState(_ state: LSTMState?, batch: Int) {
        guard let state else { return }
        let expected = [numLayers * numDirections, batch, hiddenSize]
        precondition(
            state.h.shape == expected && state.c.shape == expected,
            "LSTM: initial state shapes \(state.h.shape), \(state.c.shape) should be \(expected)")
    }

    /// Runs every layer and direction over packed-layout data `[N, I]` with
    /// the given batch sizes; returns the last layer's outputs `[N, D·H]` and
    /// the final states `[numLayers·D, batch, H]`.
    func run(_ data: Tensor, batchSizes: [Int], batch: Int, _ state: LSTMState?) -> (Tensor, Tensor, Tensor) {
        checkInitialState(state, batch: batch)
        var layerInput = data
        var finalH: [Tensor] = [], finalC: [Tensor] = []
        for (layer, pair) in weights.enumerated() {
            var outputs: [Tensor] = []
            for (direction, w) in pair.enumerated() {
                let index = layer * numDirections + direction
                let h0 = state?.h.selected(dim: 0, index: index) ?? .zeros([batch, hiddenSize])
                let c0 = state?.c.selected(dim: 0, index: index) ?? .zeros([batch, hiddenSize])
                let result = LSTMLayerKernel.run(
                    input: layerInput, batchSizes: batchSizes, h0: h0, c0: c0,
                    weightIH: w.ih, weightHH: w.hh, biasIH: w.biasIH, biasHH: w.biasHH, reverse: direction == 1)
                outputs.append(result.output)
                finalH.append(result.h)
                finalC.append(result.c)
            }
            layerInput = outputs.count == 1 ? outputs[0] : Tensor(concatenating: outputs, dim: 1)
            if layer < numLayers - 1 && dropout > 0 {
                layerInput = Torchlet.dropout(layerInput, p: dropout, training: isTraining, generator: generator)
            }
        }
        return (layerInput, Tensor(stacking: finalH, dim: 0), Tensor(stacking: finalC, dim: 0))
    }
}
