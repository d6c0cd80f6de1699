/// What every one-step recurrent cell (`LSTMCell`, `GRUCell`) shares: its
/// four parameters in PyTorch's names and layout — `gates` blocks of `H`
/// rows each — drawn from U(−1/√H, 1/√H), and the check of its input.
///
/// Not made on its own: a cell subclasses it and says how many gates it has.
public class RecurrentCell: Module {
    public let inputSize: Int
    public let hiddenSize: Int
    /// `[gates·H, I]`, registered as `weight_ih`.
    public let weightIH: Tensor
    /// `[gates·H, H]`, registered as `weight_hh`.
    public let weightHH: Tensor
    /// `[gates·H]`, registered as `bias_ih`.
    public let biasIH: Tensor
    /// `[gates·H]`, registered as `bias_hh`.
    public let biasHH: Tensor
    /// The cell's name in error messages, such as `"LSTMCell"`.
    let name: String

    init(name: String, gates: Int, inputSize: Int, hiddenSize: Int, generator: Generator) {
        precondition(inputSize > 0 && hiddenSize > 0, "\(name): inputSize \(inputSize) and hiddenSize \(hiddenSize) must be positive")
        self.name = name
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        let bound = 1 / Float(hiddenSize).squareRoot()
        weightIH = .uniform([gates * hiddenSize, inputSize], low: -bound, high: bound, generator: generator)
        weightHH = .uniform([gates * hiddenSize, hiddenSize], low: -bound, high: bound, generator: generator)
        biasIH = .uniform([gates * hiddenSize], low: -bound, high: bound, generator: generator)
        biasHH = .uniform([gates * hiddenSize], low: -bound, high: bound, generator: generator)
        super.init()
        registerParameter("weight_ih", weightIH)
        registerParameter("weight_hh", weightHH)
        registerParameter("bias_ih", biasIH)
        registerParameter("bias_hh", biasHH)
    }

    /// The input as a batch `[B, I]`, and whether it came unbatched as `[I]`;
    /// stops with a message naming the shape otherwise.
    func batched(_ input: Tensor) -> (x: Tensor, unbatched: Bool) {
        let unbatched = input.rank == 1
        let x = unbatched ? input.unsqueezed(dim: 0) : input
        precondition(
            x.rank == 2 && x.shape[1] == inputSize,
            "\(name): input shape \(input.shape) should be [batch, \(inputSize)] or [\(inputSize)]")
        return (x, unbatched)
    }
}
