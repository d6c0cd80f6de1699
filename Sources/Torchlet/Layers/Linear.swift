import Foundation

/// A fully connected layer `y = x Wᵀ + b`, like `nn.Linear`.
///
/// `weight` is `[outFeatures, inFeatures]` and `bias` is `[outFeatures]`,
/// both drawn from U(−1/√inFeatures, 1/√inFeatures) as PyTorch does.
/// The input may have any number of leading dimensions: `[..., inFeatures]`.
public final class Linear: Module {
    /// `[outFeatures, inFeatures]`. Assigning another tensor of this shape
    /// makes the layer use *that* tensor object from then on, shared with
    /// whoever else holds it: that is how weights are tied, as PyTorch's
    /// `decoder.weight = embedding.weight` does. Tie before creating the
    /// optimizer, which holds the parameters it was given.
    ///
    /// - Precondition: the new tensor has the shape of the old one.
    public var weight: Tensor {
        didSet {
            precondition(weight.shape == oldValue.shape,
                         "Linear: the new weight \(weight.shape) must have the shape of the old, \(oldValue.shape) ([outFeatures, inFeatures])")
            replaceParameter("weight", with: weight)
        }
    }
    public let bias: Tensor?

    public init(inFeatures: Int, outFeatures: Int, bias: Bool = true, generator: Generator = .default) {
        precondition(inFeatures >= 0 && outFeatures >= 0,
                     "Linear: inFeatures (\(inFeatures)) and outFeatures (\(outFeatures)) must not be negative")
        // 1/√inFeatures, and 0 without inputs (PyTorch's bound; 1/√0 would make the bias NaN).
        let bound = inFeatures > 0 ? 1 / Foundation.sqrt(Float(inFeatures)) : 0
        weight = .uniform([outFeatures, inFeatures], low: -bound, high: bound, generator: generator)
        self.bias = bias ? .uniform([outFeatures], low: -bound, high: bound, generator: generator) : nil
        super.init()
        registerParameter("weight", weight)
        if let b = self.bias { registerParameter("bias", b) }
    }

    /// Applies the layer to `input` of shape `[..., inFeatures]` (see
    /// ``linear(_:weight:bias:)``).
    public func callAsFunction(_ input: Tensor) -> Tensor {
        precondition(
            input.rank >= 1 && input.shape.last == weight.shape[1],
            "Linear: input shape \(input.shape) does not end in inFeatures = \(weight.shape[1])")
        return linear(input, weight: weight, bias: bias)
    }
}
