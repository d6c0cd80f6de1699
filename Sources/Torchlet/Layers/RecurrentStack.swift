/// The parts `LSTM` and `GRU` share: the parameters of every layer and
/// direction under PyTorch's names, the input layouts they accept, and the
/// loop over layers with dropout between them.
///
/// A layer type adds its gates (4 for the LSTM, 3 for the GRU), its state
/// and its kernel; everything here is the same for both.
struct RecurrentStack {
    /// The four parameters of one layer and direction.
    struct Weights {
        let ih: Tensor, hh: Tensor, biasIH: Tensor, biasHH: Tensor
    }

    /// The layer's name in messages: "LSTM", "GRU".
    let name: String
    let inputSize: Int
    let hiddenSize: Int
    let numLayers: Int
    let numDirections: Int
    let batchFirst: Bool
    /// `weights[layer][direction]`.
    let weights: [[Weights]]

    /// Draws every weight and bias from U(−1/√H, 1/√H): `weight_ih` is
    /// `[gates·H, I]` (I = D·H above the first layer), `weight_hh`
    /// `[gates·H, H]`, the biases `[gates·H]`.
    init(name: String, gates: Int, inputSize: Int, hiddenSize: Int, numLayers: Int, bidirectional: Bool,
         batchFirst: Bool, dropout: Float, generator: Generator) {
        precondition(inputSize > 0 && hiddenSize > 0 && numLayers > 0,
                     "\(name): inputSize \(inputSize), hiddenSize \(hiddenSize), numLayers \(numLayers) must be positive")
        precondition(dropout >= 0 && dropout < 1, "\(name): dropout \(dropout) must be in [0, 1)")
        self.name = name
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.numLayers = numLayers
        self.numDirections = bidirectional ? 2 : 1
        self.batchFirst = batchFirst
        let directions = numDirections
        let bound = 1 / Float(hiddenSize).squareRoot()
        func uniform(_ shape: [Int]) -> Tensor { .uniform(shape, low: -bound, high: bound, generator: generator) }
        weights = (0..<numLayers).map { layer in
            let layerInput = layer == 0 ? inputSize : hiddenSize * directions
            return (0..<directions).map { _ in
                Weights(ih: uniform([gates * hiddenSize, layerInput]), hh: uniform([gates * hiddenSize, hiddenSize]),
                        biasIH: uniform([gates * hiddenSize]), biasHH: uniform([gates * hiddenSize]))
            }
        }
    }

    /// Registers every parameter on `module`: `weight_ih_l0`, …,
    /// `bias_hh_l1_reverse`, in PyTorch's order.
    func register(on module: Module) {
        for (layer, pair) in weights.enumerated() {
            for (direction, w) in pair.enumerated() {
                let suffix = "_l\(layer)" + (direction == 1 ? "_reverse" : "")
                module.registerParameter("weight_ih" + suffix, w.ih)
                module.registerParameter("weight_hh" + suffix, w.hh)
                module.registerParameter("bias_ih" + suffix, w.biasIH)
                module.registerParameter("bias_hh" + suffix, w.biasHH)
            }
        }
    }

    /// The shape of each state tensor: `[numLayers·D, B, H]`.
    func stateShape(batch: Int) -> [Int] { [numLayers * numDirections, batch, hiddenSize] }

    /// `input` time-first, `[T, B, I]`, and whether it was one unbatched
    /// sequence `[T, I]` (then `B = 1`).
    func timeFirst(_ input: Tensor) -> (x: Tensor, unbatched: Bool) {
        let unbatched = input.rank == 2
        precondition(
            (input.rank == 3 || unbatched) && input.shape.last == inputSize,
            "\(name): input shape \(input.shape) should be \(batchFirst ? "[batch, seq" : "[seq, batch"), \(inputSize)] or [seq, \(inputSize)]")
        var x = unbatched ? input.unsqueezed(dim: 1) : input
        if batchFirst && !unbatched { x = x.transposed(0, 1) }
        return (x, unbatched)
    }

    /// The last layer's outputs `[T·B, D·H]` in the caller's layout:
    /// `[T, B, D·H]`, `[B, T, D·H]` with `batchFirst`, or `[T, D·H]`.
    func callerLayout(_ data: Tensor, steps: Int, batch: Int, unbatched: Bool) -> Tensor {
        let output = data.reshaped(to: [steps, batch, numDirections * hiddenSize])
        if unbatched { return output.squeezed(dim: 1) }
        return batchFirst ? output.transposed(0, 1) : output
    }

    /// The output over a sequence of no steps, in the caller's layout.
    ///
    /// It is recorded like any output, so it requires grad when `inputs`
    /// do; it has no values, so no gradient flows back from it.
    func emptyOutput(batch: Int, unbatched: Bool, inputs: [Tensor]) -> Tensor {
        let width = numDirections * hiddenSize
        let shape = unbatched ? [0, width] : batchFirst ? [batch, 0, width] : [0, batch, width]
        return Tensor.result(op: name, shape: shape, scalars: [], inputs: inputs) { _ in
            [[Float]?](repeating: nil, count: inputs.count)
        }
    }

    /// An unbatched input's state `[numLayers·D, H]` with the batch of one
    /// inserted, `[numLayers·D, 1, H]`; stops with a message naming the
    /// unbatched shape when it is another.
    func batchedState(_ state: Tensor) -> Tensor {
        let expected = [numLayers * numDirections, hiddenSize]
        precondition(state.shape == expected,
                     "\(name): initial state shape \(state.shape) should be \(expected) for an unbatched input [seq, \(inputSize)]")
        return state.unsqueezed(dim: 1)
    }

    /// Stops with a message unless every state tensor is `[numLayers·D, batch, H]`.
    func checkState(_ state: [Tensor], batch: Int, packed: Bool = false) {
        let expected = stateShape(batch: batch)
        let shapes = state.map { "\($0.shape)" }.joined(separator: ", ")
        precondition(
            state.allSatisfy { $0.shape == expected },
            "\(name): initial state shape\(state.count > 1 ? "s" : "") \(shapes) should be \(expected)"
                + (packed ? " for a packed batch of \(batch) sequences" : ""))
    }

    /// Stops with a message unless a packed input's data is `[N, inputSize]`.
    func checkPacked(_ input: PackedSequence) {
        precondition(
            input.data.rank == 2 && input.data.shape[1] == inputSize,
            "\(name): packed data shape \(input.data.shape) should be [\(input.data.shape.first ?? 0), \(inputSize)] "
                + "(rows, inputSize); batchSizes \(input.batchSizes)")
    }

    /// Runs every layer and direction over packed-layout data `[N, I]`:
    /// `layer(input, weights, index, reverse)` runs one of them (`index` =
    /// layer·D + direction, the state's row), the next layer reads the
    /// directions' outputs side by side, and `dropout` applies between
    /// layers in training. Returns the last layer's outputs `[N, D·H]`.
    func run(
        _ data: Tensor, dropout: Float, training: Bool, generator: Generator,
        layer: (_ input: Tensor, _ weights: Weights, _ index: Int, _ reverse: Bool) -> Tensor
    ) -> Tensor {
        var layerInput = data
        for (k, pair) in weights.enumerated() {
            let outputs = pair.enumerated().map { direction, w in
                layer(layerInput, w, k * numDirections + direction, direction == 1)
            }
            layerInput = outputs.count == 1 ? outputs[0] : Tensor(concatenating: outputs, dim: 1)
            if k < numLayers - 1 && dropout > 0 {
                layerInput = Torchlet.dropout(layerInput, p: dropout, training: training, generator: generator)
            }
        }
        return layerInput
    }
}

extension PackedSequence {
    /// `state` `[L·D, B, H]` from the caller's batch order into the packed
    /// (sorted) order the kernels run in: `indexSelect` with `sortedIndices`.
    func toSortedOrder(_ state: Tensor) -> Tensor {
        sortedIndices.map { state.indexSelect(dim: 1, indices: $0) } ?? state
    }

    /// A final state back in the caller's batch order: `indexSelect` with
    /// `unsortedIndices`.
    func toCallerOrder(_ state: Tensor) -> Tensor {
        unsortedIndices.map { state.indexSelect(dim: 1, indices: $0) } ?? state
    }
}
