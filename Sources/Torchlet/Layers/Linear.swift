import Foundation

/// A fully connected layer `y = x Wᵀ + b`, like `nn.Linear`.
///
/// `weight` is `[outFeatures, inFeatures]` and `bias` is `[outFeatures]`,
/// both drawn from U(−1/√inFeatures, 1/√inFeatures) as PyTorch does.
/// The input may have any number of leading dimensions: `[..., inFeatures]`.
public final class Linear: Module {
    public let weight: Tensor
    public let bias: Tensor?

    public init(inFeatures: Int, outFeatures: Int, bias: Bool = true, generator: Generator = .default) {
        let bound = 1 / Foundation.sqrt(Float(inFeatures))
        weight = .uniform([outFeatures, inFeatures], low: -bound, high: bound, generator: generator)
        self.bias = bias ? .uniform([outFeatures], low: -bound, high: bound, generator: generator) : nil
        super.init()
        registerParameter("weight", weight)
        if let b = self.bias { registerParameter("bias", b) }
    }

    /// Applies the layer to `input` of shape `[..., inFeatures]`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        precondition(
            input.rank >= 1 && input.shape.last == weight.shape[1],
            "Linear: input shape \(input.shape) does not end in inFeatures = \(weight.shape[1])")
        let flat = input.rank == 2 ? input : input.reshaped(to: [-1, weight.shape[1]])
        var out = flat.matmul(weight.transposed())
        if let bias { out = out + bias }
        return input.rank == 2 ? out : out.reshaped(to: Array(input.shape.dropLast()) + [weight.shape[0]])
    }
}
