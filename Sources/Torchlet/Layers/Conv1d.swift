import Foundation

/// A one-dimensional convolution over sequences, like `nn.Conv1d` with
/// `stride=1`, `dilation=1`, `groups=1` and zero padding.
///
/// ```
/// out[b, o, t] = bias[o] + Σ_c Σ_j weight[o, c, j] · x̃[b, c, t + j]
///
/// x̃  = input with `padding` zeros on both ends of the length dimension
/// L_out = L + 2·padding − kernelSize + 1
/// ```
///
/// Shapes are PyTorch's: `weight` is `[outChannels, inChannels, kernelSize]`,
/// `bias` is `[outChannels]`, the input `[B, inChannels, L]` and the output
/// `[B, outChannels, L_out]` (channels before length, so a batch of embedded
/// sequences `[B, L, E]` needs `transposed(1, 2)` first, as in PyTorch).
/// Only stride 1 is implemented: that is what a character CNN over words
/// uses, and it keeps the output one position per input position (with
/// `padding = (kernelSize − 1) / 2` and an odd kernel, `L_out = L`).
///
/// Initialization is PyTorch's default, `kaiming_uniform_(weight, a=√5)`,
/// which is the same bound as for the bias:
///
/// ```
/// fan_in = inChannels · kernelSize
/// weight, bias ~ U(−1/√fan_in, 1/√fan_in)     (gain √(2/(1+5)) = √(1/3); √3 · gain / √fan_in = 1/√fan_in)
/// ```
///
/// How it computes: the input is *unfolded* into one row per output
/// position holding the `inChannels · kernelSize` values the kernel sees
/// there (`im2col`), and one matrix product with the flattened weight
/// computes every output at once on the fast GEMM. The unfold's backward
/// adds each row's gradient back onto the input positions it was read
/// from (`col2im`); the product's backward is `matmul`'s own.
///
/// ```swift
/// let conv = Conv1d(inChannels: 8, outChannels: 16, kernelSize: 3, padding: 1)
/// conv(Tensor.zeros([4, 8, 10])).shape   // [4, 16, 10]
/// ```
public final class Conv1d: Module {
    public let weight: Tensor
    public let bias: Tensor?
    /// The zeros added at each end of the length dimension.
    public let padding: Int

    /// - Precondition: every size is positive and `padding >= 0`.
    public init(
        inChannels: Int, outChannels: Int, kernelSize: Int, padding: Int = 0, bias: Bool = true,
        generator: Generator = .default
    ) {
        precondition(
            inChannels > 0 && outChannels > 0 && kernelSize > 0,
            "Conv1d: inChannels \(inChannels), outChannels \(outChannels) and kernelSize \(kernelSize) must be positive")
        precondition(padding >= 0, "Conv1d: padding \(padding) must not be negative")
        weight = Tensor.zeros([outChannels, inChannels, kernelSize])
        Init.kaimingUniform(weight, a: Float(5).squareRoot(), generator: generator)
        let bound = 1 / Float(inChannels * kernelSize).squareRoot()
        self.bias = bias ? .uniform([outChannels], low: -bound, high: bound, generator: generator) : nil
        self.padding = padding
        super.init()
        registerParameter("weight", weight)
        if let b = self.bias { registerParameter("bias", b) }
    }

    public var inChannels: Int { weight.shape[1] }
    public var outChannels: Int { weight.shape[0] }
    public var kernelSize: Int { weight.shape[2] }

    /// Convolves `input` `[B, inChannels, L]` into `[B, outChannels, L_out]`.
    ///
    /// - Precondition: `input` is 3-D with `inChannels` channels, and
    ///   `L + 2·padding >= kernelSize` (at least one output position).
    public func callAsFunction(_ input: Tensor) -> Tensor {
        precondition(
            input.rank == 3,
            "Conv1d: input shape \(input.shape) should be 3-D [batch, channels, length]; "
                + "for one sequence [channels, length] use unsqueezed(dim: 0)")
        precondition(
            input.shape[1] == inChannels,
            "Conv1d: input shape \(input.shape) has \(input.shape[1]) channels in dimension 1, expected inChannels = \(inChannels) "
                + "(is the input [batch, length, channels]? use transposed(1, 2))")
        let (batch, length) = (input.shape[0], input.shape[2])
        let outLength = length + 2 * padding - kernelSize + 1
        precondition(
            outLength >= 1,
            "Conv1d: input length \(length) with padding \(padding) on each side is shorter than the kernel size \(kernelSize)")
        let columns = unfolded(input, outLength: outLength)                            // [B·L_out, C_in·k]
        var out = columns.matmul(weight.reshaped(to: [outChannels, -1]).transposed())  // [B·L_out, C_out]
        if let bias { out = out + bias }
        return out.reshaped(to: [batch, outLength, outChannels]).transposed(1, 2)      // [B, C_out, L_out]
    }

    /// The `im2col` rows of `input`: row `b·L_out + t` holds `x̃[b, c, t + j]`
    /// at column `c·k + j`, the layout of a `[C_out, C_in, k]` weight
    /// flattened to `[C_out, C_in·k]`. Padding positions read 0.
    func unfolded(_ input: Tensor, outLength: Int) -> Tensor {
        let (batch, channels, length) = (input.shape[0], input.shape[1], input.shape[2])
        let k = kernelSize, pad = padding
        let width = channels * k
        // The input offset each column entry reads, or -1 for a padding zero;
        // forward and backward share it, so they cannot disagree.
        var source = [Int](repeating: -1, count: batch * outLength * width)
        for b in 0..<batch {
            for t in 0..<outLength {
                for c in 0..<channels {
                    for j in 0..<k {
                        let position = t + j - pad
                        if position >= 0 && position < length {
                            source[(b * outLength + t) * width + c * k + j] = (b * channels + c) * length + position
                        }
                    }
                }
            }
        }
        let x = input.scalars
        let values = source.map { $0 < 0 ? 0 : x[$0] }
        let n = input.count
        return Tensor.result(op: "Conv1d.unfold", shape: [batch * outLength, width], scalars: values, inputs: [input]) { g in
            var gx = [Float](repeating: 0, count: n)
            for (i, s) in source.enumerated() where s >= 0 { gx[s] += g[i] }
            return [gx]
        }
    }
}
