extension Init {
    /// Which fan a Kaiming initializer keeps the variance of, like PyTorch's `mode`.
    public enum FanMode: String, Sendable {
        /// Preserves the variance of the activations in the forward pass (`"fan_in"`).
        case fanIn = "fan_in"
        /// Preserves the variance of the gradients in the backward pass (`"fan_out"`).
        case fanOut = "fan_out"
    }

    /// The fan-in and fan-out of a weight of shape `shape`, as PyTorch's
    /// `_calculate_fan_in_and_fan_out`.
    ///
    /// ```
    /// receptive = shape[2] · shape[3] · …       (1 for a matrix)
    /// fan_in    = shape[1] · receptive           (a Linear weight [out, in]: in)
    /// fan_out   = shape[0] · receptive           (…: out)
    /// ```
    /// A matrix `[rows, cols]` has fan-in `cols` and fan-out `rows`; a
    /// convolution weight `[out, in, k…]` counts each input map once per
    /// kernel position.
    ///
    /// - Precondition: `shape` has at least 2 dimensions.
    public static func fanInAndFanOut(shape: [Int]) -> (fanIn: Int, fanOut: Int) {
        precondition(
            shape.count >= 2,
            "Init: fan in and fan out can not be computed for a tensor of shape \(shape), with fewer than 2 dimensions")
        let receptiveField = shape.dropFirst(2).reduce(1, *)
        return (fanIn: shape[1] * receptiveField, fanOut: shape[0] * receptiveField)
    }

    /// The fan-in and fan-out of `tensor`; see `fanInAndFanOut(shape:)`.
    public static func fanInAndFanOut(_ tensor: Tensor) -> (fanIn: Int, fanOut: Int) {
        fanInAndFanOut(shape: tensor.shape)
    }

    /// The fan that `mode` names, as PyTorch's `_calculate_correct_fan`.
    public static func fan(of tensor: Tensor, mode: FanMode) -> Int {
        let fans = fanInAndFanOut(tensor)
        return mode == .fanIn ? fans.fanIn : fans.fanOut
    }
}
