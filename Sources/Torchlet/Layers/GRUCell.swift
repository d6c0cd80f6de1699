/// One step of a GRU, like `nn.GRUCell`, written with plain tensor operations
/// so every line can be read (and differentiated) on its own.
///
/// ```
/// r  = σ(x W_irᵀ + b_ir + h W_hrᵀ + b_hr)
/// z  = σ(x W_izᵀ + b_iz + h W_hzᵀ + b_hz)
/// n  = tanh(x W_inᵀ + b_in + r ⊙ (h W_hnᵀ + b_hn))
/// h' = (1 − z) ⊙ n + z ⊙ h
/// ```
/// The reset gate `r` multiplies the whole recurrent term `h W_hnᵀ + b_hn`,
/// bias included, not `h` itself: that is PyTorch's (and cuDNN's) GRU. The
/// variant `tanh(x W_inᵀ + b_in + (r ⊙ h) W_hnᵀ + b_hn)` of the original
/// paper gives different numbers.
///
/// Parameters (PyTorch's names and layout, gates in the order r, z, n):
/// `weight_ih` `[3H, I]`, `weight_hh` `[3H, H]`, `bias_ih` `[3H]`,
/// `bias_hh` `[3H]`, all drawn from U(−1/√H, 1/√H).
public final class GRUCell: RecurrentCell {
    public init(inputSize: Int, hiddenSize: Int, generator: Generator = .default) {
        super.init(name: "GRUCell", gates: 3, inputSize: inputSize, hiddenSize: hiddenSize, generator: generator)
    }

    /// One step: the new hidden state `h'` from input `[B, I]` (or `[I]`) and
    /// the previous hidden state `[B, H]` (or `[H]`; zeros when `nil`).
    ///
    /// - Precondition: `input` is `[B, inputSize]` or `[inputSize]`, and `h`
    ///   is `[B, hiddenSize]` (`[hiddenSize]` for an unbatched input).
    public func callAsFunction(_ input: Tensor, _ h: Tensor? = nil) -> Tensor {
        let (x, unbatched) = batched(input)
        let batch = x.shape[0]
        var hPrev = Tensor.zeros([batch, hiddenSize])
        if let h {
            hPrev = unbatched ? h.unsqueezed(dim: 0) : h
            precondition(
                hPrev.shape == [batch, hiddenSize],
                "GRUCell: h shape \(h.shape) should be \(unbatched ? [hiddenSize] : [batch, hiddenSize])")
        }
        let inputPart = (x.matmul(weightIH.transposed()) + biasIH).chunked(into: 3, dim: 1)
        let hiddenPart = (hPrev.matmul(weightHH.transposed()) + biasHH).chunked(into: 3, dim: 1)
        let r = (inputPart[0] + hiddenPart[0]).sigmoid()
        let z = (inputPart[1] + hiddenPart[1]).sigmoid()
        let n = (inputPart[2] + r * hiddenPart[2]).tanh()
        let hNext = (1 - z) * n + z * hPrev
        return unbatched ? hNext.squeezed(dim: 0) : hNext
    }
}
