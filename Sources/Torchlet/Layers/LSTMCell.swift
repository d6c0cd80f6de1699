/// The hidden and cell state of an LSTM, `(h, c)` as in PyTorch.
public typealias LSTMState = (h: Tensor, c: Tensor)

/// One step of an LSTM, like `nn.LSTMCell`, written with plain tensor
/// operations so every line can be read (and differentiated) on its own.
///
/// ```
/// gates = x W_ihᵀ + b_ih + h W_hhᵀ + b_hh        [B, 4H], in the order i, f, g, o
/// i = σ(gates_i)   f = σ(gates_f)   g = tanh(gates_g)   o = σ(gates_o)
/// c' = f ⊙ c + i ⊙ g
/// h' = o ⊙ tanh(c')
/// ```
/// Parameters (PyTorch's names and layout): `weight_ih` `[4H, I]`,
/// `weight_hh` `[4H, H]`, `bias_ih` `[4H]`, `bias_hh` `[4H]`, all drawn from
/// U(−1/√H, 1/√H).
public final class LSTMCell: RecurrentCell {
    public init(inputSize: Int, hiddenSize: Int, generator: Generator = .default) {
        super.init(name: "LSTMCell", gates: 4, inputSize: inputSize, hiddenSize: hiddenSize, generator: generator)
    }

    /// One step: the new `(h, c)` from input `[B, I]` (or `[I]`) and the
    /// previous state (zeros when `nil`).
    public func callAsFunction(_ input: Tensor, _ state: LSTMState? = nil) -> LSTMState {
        let (x, unbatched) = batched(input)
        let batch = x.shape[0]
        var h = Tensor.zeros([batch, hiddenSize])
        var c = Tensor.zeros([batch, hiddenSize])
        if let state {
            h = unbatched ? state.h.unsqueezed(dim: 0) : state.h
            c = unbatched ? state.c.unsqueezed(dim: 0) : state.c
            precondition(
                h.shape == [batch, hiddenSize] && c.shape == [batch, hiddenSize],
                "LSTMCell: state shapes \(state.h.shape), \(state.c.shape) should be [\(batch), \(hiddenSize)]")
        }
        let gates = x.matmul(weightIH.transposed()) + biasIH + h.matmul(weightHH.transposed()) + biasHH
        let chunks = gates.chunked(into: 4, dim: 1)
        let i = chunks[0].sigmoid()
        let f = chunks[1].sigmoid()
        let g = chunks[2].tanh()
        let o = chunks[3].sigmoid()
        let cNext = f * c + i * g
        let hNext = o * cNext.tanh()
        return unbatched ? (hNext.squeezed(dim: 0), cNext.squeezed(dim: 0)) : (hNext, cNext)
    }
}
