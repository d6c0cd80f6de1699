/// Randomly zeroes values during training, like `nn.Dropout`.
///
/// In training mode each value is kept with probability 1 − p and scaled by
/// 1 / (1 − p), so the expected value is unchanged; in eval mode it is the
/// identity.
public final class Dropout: Module {
    public let p: Float
    let generator: Generator

    public init(p: Float = 0.5, generator: Generator = .default) {
        precondition(p >= 0 && p < 1, "Dropout: p = \(p) must be in [0, 1)")
        self.p = p
        self.generator = generator
        super.init()
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        dropout(input, p: p, training: isTraining, generator: generator)
    }
}

/// Dropout as a function, like `F.dropout(input, p, training)`.
public func dropout(_ input: Tensor, p: Float, training: Bool, generator: Generator = .default) -> Tensor {
    precondition((0...1).contains(p), "dropout: p = \(p) must be in [0, 1]")
    guard training && p > 0 else { return input }
    let scale = 1 / (1 - p)
    let mask = Tensor((0..<input.count).map { _ in generator.nextUniform() < p ? 0 : scale }, shape: input.shape)
    return input * mask
}
