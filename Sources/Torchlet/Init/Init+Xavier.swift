extension Init {
    /// The standard deviation of Xavier (Glorot) initialization for the given fans.
    ///
    /// ```
    /// std = gain · √(2 / (fan_in + fan_out))
    /// ```
    /// The average of the forward (`1/fan_in`) and backward (`1/fan_out`)
    /// variance conditions of Glorot & Bengio (2010).
    public static func xavierStd(fanIn: Int, fanOut: Int, gain: Float = 1) -> Float {
        gain * (2 / Float(fanIn + fanOut)).squareRoot()
    }

    /// Fills `tensor` from a uniform distribution with Xavier's variance, like `init.xavier_uniform_`.
    ///
    /// ```
    /// w ~ U(−a, a),   a = gain · √(6 / (fan_in + fan_out)) = √3 · std
    /// ```
    /// (A uniform U(−a, a) has standard deviation a/√3.) The fans come from
    /// `fanInAndFanOut(shape:)`.
    ///
    /// - Precondition: `tensor` has at least 2 dimensions.
    @discardableResult
    public static func xavierUniform(_ tensor: Tensor, gain: Float = 1, generator: Generator = .default) -> Tensor {
        let (fanIn, fanOut) = fanInAndFanOut(tensor)
        let bound = Float(3).squareRoot() * xavierStd(fanIn: fanIn, fanOut: fanOut, gain: gain)
        return uniform(tensor, low: -bound, high: bound, generator: generator)
    }

    /// Fills `tensor` from a normal distribution with Xavier's variance, like `init.xavier_normal_`.
    ///
    /// ```
    /// w ~ N(0, std²),   std = gain · √(2 / (fan_in + fan_out))
    /// ```
    ///
    /// - Precondition: `tensor` has at least 2 dimensions.
    @discardableResult
    public static func xavierNormal(_ tensor: Tensor, gain: Float = 1, generator: Generator = .default) -> Tensor {
        let (fanIn, fanOut) = fanInAndFanOut(tensor)
        return normal(tensor, mean: 0, std: xavierStd(fanIn: fanIn, fanOut: fanOut, gain: gain), generator: generator)
    }
}
