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
public final class GRUCell: Module {
    public let inputSize: Int
    public let hiddenSize: Int
    public let weightIH: Tensor
    public let weightHH: Tensor
    public let biasIH: Tensor
    public let biasHH: Tensor

    public init(inputSize: Int, hiddenSize: Int, generator: Generator = .default) {
        precondition(inputSize > 0 && hiddenSize > 0, "GRUCell: inputSize \(inputSize) and hiddenSize \(hiddenSize) must be positive")
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        let bound = 1 / Float(hiddenSize).squareRoot()
        weightIH = .uniform([3 * hiddenSize, inputSize], low: -bound, high: bound, generator: generator)
        weightHH = .uniform([3 * hiddenSize, hiddenSize], low: -bound, high: bound, generator: generator)
        biasIH = .uniform([3 * hiddenSize], low: -bound, high: bound, generator: generator)
        biasHH = .uniform([3 * hiddenSize], low: -bound, high: bound, generator: generator)
        super.init()
        registerParameter("weight_ih", weightIH)
        registerParameter("weight_hh", weightHH)
        registerParameter("bias_ih", biasIH)
        registerParameter("bias_hh", biasHH)
    }

    /// One step: the new hidden state `h'` from input `[B, I]` (or `[I]`) and
    /// the previous hidden state `[B, H]` (or `[H]`; zeros when `nil`).
    ///
    /// - Precondition: `input` is `[B, inputSize]` or `[inputSize]`, and `h`
    ///   is `[B, hiddenSize]` (`[hiddenSize]` for an unbatched input).
    public func callAsFunction(_ input: Tensor, _ h: Tensor? = nil) -> Tensor {
        let unbatched = input.rank == 1
        let x = unbatched ? input.unsqueezed(dim: 0) : input
        precondition(
            x.rank == 2 && x.shape[1] == inputSize,
            "GRUCell: input shape \(input.shape) should be [batch, \(inputSize)] or [\(inputSize)]")
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
