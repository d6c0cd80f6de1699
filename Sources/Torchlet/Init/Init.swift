/// Initializers that fill a tensor's values in place, like `torch.nn.init`.
///
/// Each function overwrites `tensor.scalars` and returns the same tensor, as
/// PyTorch's `init.uniform_(w)` does. The write bypasses autograd (PyTorch
/// runs its initializers under `no_grad`): no operation is recorded, a
/// parameter stays a leaf with `requiresGrad` unchanged, and the shape never
/// changes. Random values come from `generator`, so every run is
/// reproducible.
///
/// ```swift
/// let cell = LSTMCell(inputSize: 2, hiddenSize: 8)
/// Init.xavierUniform(cell.weightIH)        // fan_in 2, fan_out 32: U(−0.42, 0.42)
/// Init.orthogonalPerGate(cell.weightHH)    // four 8×8 orthogonal blocks
/// Init.zeros(cell.biasHH)
/// ```
public enum Init {
    /// Fills `tensor` with values drawn uniformly from `[low, high)`, like `init.uniform_`.
    ///
    /// ```
    /// w ~ U(low, high)
    /// ```
    /// The values are the ones `Tensor.uniform(tensor.shape, low:high:generator:)`
    /// would draw from the same generator state.
    ///
    /// - Precondition: `low <= high`.
    @discardableResult
    public static func uniform(
        _ tensor: Tensor, low: Float = 0, high: Float = 1, generator: Generator = .default
    ) -> Tensor {
        precondition(low <= high, "Init.uniform: low \(low) must not exceed high \(high)")
        fill(tensor) { generator.nextUniform(low: low, high: high) }
        return tensor
    }

    /// Fills `tensor` with values drawn from a normal distribution, like `init.normal_`.
    ///
    /// ```
    /// w ~ N(mean, std²)
    /// ```
    ///
    /// - Precondition: `std >= 0`.
    @discardableResult
    public static func normal(
        _ tensor: Tensor, mean: Float = 0, std: Float = 1, generator: Generator = .default
    ) -> Tensor {
        precondition(std >= 0, "Init.normal: std \(std) must not be negative")
        fill(tensor) { mean + std * generator.nextNormal() }
        return tensor
    }

    /// Fills `tensor` with `value`, like `init.constant_`.
    ///
    /// ```
    /// w = value
    /// ```
    @discardableResult
    public static func constant(_ tensor: Tensor, value: Float) -> Tensor {
        fill(tensor) { value }
        return tensor
    }

    /// Fills `tensor` with zeros, like `init.zeros_`.
    ///
    /// ```
    /// w = 0
    /// ```
    @discardableResult
    public static func zeros(_ tensor: Tensor) -> Tensor {
        constant(tensor, value: 0)
    }

    /// Fills `tensor` with ones, like `init.ones_`.
    ///
    /// ```
    /// w = 1
    /// ```
    @discardableResult
    public static func ones(_ tensor: Tensor) -> Tensor {
        constant(tensor, value: 1)
    }

    /// Overwrites every value of `tensor`, row-major, with `next()`, in place
    /// (no copy of the storage, no autograd record, the size unchanged).
    static func fill(_ tensor: Tensor, _ next: () -> Float) {
        tensor.scalars.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices { buffer[i] = next() }
        }
    }

    /// Overwrites `tensor`'s values with `values` (same count), in place.
    static func assign(_ tensor: Tensor, _ values: [Float], op: String) {
        precondition(
            values.count == tensor.count,
            "\(op): \(values.count) values for a tensor of shape \(tensor.shape)")
        var index = 0
        fill(tensor) {
            defer { index += 1 }
            return values[index]
        }
    }
}
