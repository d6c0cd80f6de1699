import Foundation

extension Init {
    /// The activation a layer feeds, named as in `torch.nn.init.calculate_gain`.
    ///
    /// The raw value is PyTorch's string (`"leaky_relu"`), so a PyTorch
    /// name maps back with `Nonlinearity(rawValue:)`.
    public enum Nonlinearity: String, CaseIterable, Sendable {
        case linear
        case conv1d, conv2d, conv3d
        case convTranspose1d = "conv_transpose1d"
        case convTranspose2d = "conv_transpose2d"
        case convTranspose3d = "conv_transpose3d"
        case sigmoid
        case tanh
        case relu
        case leakyRelu = "leaky_relu"
        case selu
    }

    /// The recommended gain for `nonlinearity`, exactly as `torch.nn.init.calculate_gain`.
    ///
    /// ```
    /// linear, conv*, conv_transpose*, sigmoid   1
    /// tanh                                      5/3
    /// relu                                      √2
    /// leaky_relu                                √(2 / (1 + slope²)),  slope = param ?? 0.01
    /// selu                                      3/4
    /// ```
    /// The gain scales a standard deviation so that the activation keeps the
    /// variance of its input roughly constant from layer to layer. `param`
    /// is the negative slope of `leakyRelu` and is ignored otherwise, as in
    /// PyTorch.
    public static func calculateGain(_ nonlinearity: Nonlinearity, param: Float? = nil) -> Float {
        switch nonlinearity {
        case .linear, .conv1d, .conv2d, .conv3d, .convTranspose1d, .convTranspose2d, .convTranspose3d, .sigmoid:
            return 1
        case .tanh:
            return 5.0 / 3
        case .relu:
            return Float(2).squareRoot()
        case .leakyRelu:
            let slope = param ?? 0.01
            return (2 / (1 + slope * slope)).squareRoot()
        case .selu:
            // PyTorch's value: chosen for self-normalizing networks (SNNs),
            // not derived from SELU's variance like the others.
            return 3.0 / 4
        }
    }
}
