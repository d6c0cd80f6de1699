import Torchlet

/// Single-layer LSTMs run one after another, with dropout between them and,
/// optionally, *residual* (skip) connections: every layer above the first
/// adds its input, the output of the layer below, to its own output.
///
/// ```
/// x₀ = input                                   [T, B, I]
/// yₖ = LSTMₖ(xₖ)  (+ xₖ when residual and k ≥ 1)
/// xₖ₊₁ = dropout(yₖ)                            every layer but the last, in training
/// output = y of the last layer                 [T, B, H]
/// ```
/// The first layer has no skip: its input is not a layer's output but,
/// in a language model, the embedding, whose size and scale are its own
/// (GNMT, too, starts its residual connections above the bottom layers).
/// Without residual connections it computes what `LSTM(numLayers:)` does
/// with the same weights. With them, a layer only has to learn a
/// *correction* to its input, and the gradient reaches the lower layers
/// through the additions as well as through the LSTMs.
///
/// It lives in the course, not in Torchlet, because PyTorch has no
/// residual LSTM and Torchlet keeps to what PyTorch has: a PyTorch user
/// writes it as here, an `nn.Module` holding an `nn.ModuleList` of
/// one-layer `nn.LSTM`s (parameters `layers.0.weight_ih_l0`, …).
/// Time first only, like the language model that uses it.
public final class LSTMStack: Module {
    public let layers: [LSTM]
    public let residual: Bool
    /// Dropout on the outputs of every layer but the last, in training mode.
    public let dropout: Float
    let generator: Generator

    public init(inputSize: Int, hiddenSize: Int, numLayers: Int, residual: Bool, dropout: Float = 0,
                generator: Generator = .default) {
        precondition(numLayers > 0, "LSTMStack: numLayers \(numLayers) must be positive")
        precondition(dropout >= 0 && dropout < 1, "LSTMStack: dropout \(dropout) must be in [0, 1)")
        layers = (0..<numLayers).map {
            LSTM(inputSize: $0 == 0 ? inputSize : hiddenSize, hiddenSize: hiddenSize, generator: generator)
        }
        self.residual = residual
        self.dropout = dropout
        self.generator = generator
        super.init()
        for (k, layer) in layers.enumerated() { registerModule("layers.\(k)", layer) }
    }

    /// Runs the stack over `input` `[T, B, I]` from `state` (zeros when
    /// `nil`); returns the last layer's output `[T, B, H]` and the final
    /// state, `h` and `c` each `[numLayers, B, H]` as `LSTM`'s.
    ///
    /// - Precondition: `state` tensors are `[numLayers, B, H]`.
    public func callAsFunction(_ input: Tensor, _ state: LSTMState? = nil) -> (output: Tensor, state: LSTMState) {
        let hidden = layers[0].hiddenSize
        if let state, input.rank == 3 {
            let expected = [layers.count, input.shape[1], hidden]
            precondition(state.h.shape == expected && state.c.shape == expected,
                         "LSTMStack: state shapes \(state.h.shape), \(state.c.shape) should be \(expected)")
        }
        var x = input, hs: [Tensor] = [], cs: [Tensor] = []
        for (k, layer) in layers.enumerated() {
            let layerState = state.map { ($0.h.narrowed(dim: 0, start: k, length: 1), $0.c.narrowed(dim: 0, start: k, length: 1)) }   // [1, B, H]
            var (y, final) = layer(x, layerState)
            if residual && k > 0 { y = y + x }
            hs.append(final.h)
            cs.append(final.c)
            x = k < layers.count - 1 && dropout > 0
                ? Torchlet.dropout(y, p: dropout, training: isTraining, generator: generator) : y
        }
        return (x, (Tensor(concatenating: hs, dim: 0), Tensor(concatenating: cs, dim: 0)))
    }
}
