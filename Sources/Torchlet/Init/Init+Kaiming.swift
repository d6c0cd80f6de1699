extension Init {
    /// The standard deviation of Kaiming (He) initialization for a fan and a gain.
    ///
    /// ```
    /// std = gain / √fan
    /// ```
    /// With `gain = calculateGain(.relu) = √2` this is He et al. (2015)'s
    /// `√(2 / fan)`, which keeps the variance through ReLU layers.
    ///
    /// - Precondition: `fan > 0`.
    public static func kaimingStd(fan: Int, gain: Float) -> Float {
        precondition(fan > 0, "Init: Kaiming initialization needs a positive fan, got \(fan)")
        return gain / Float(fan).squareRoot()
    }

    /// Fills `tensor` from a uniform distribution with Kaiming's variance, like `init.kaiming_uniform_`.
    ///
    /// ```
    /// gain  = calculateGain(nonlinearity, param: a)
    /// w ~ U(−bound, bound),   bound = gain · √(3 / fan) = √3 · std
    /// ```
    /// `fan` is fan-in or fan-out as `mode` says. PyTorch's defaults,
    /// `a = 0` with `leakyRelu`, give the ReLU gain √2. A tensor with no
    /// values is left alone, before any check (PyTorch warns and does nothing).
    ///
    /// - Parameters:
    ///   - a: the negative slope of the leaky ReLU that follows (used only by `.leakyRelu`).
    ///   - mode: `.fanIn` keeps the forward variance, `.fanOut` the backward one.
    /// - Precondition: `tensor` has at least 2 dimensions (or no values).
    @discardableResult
    public static func kaimingUniform(
        _ tensor: Tensor, a: Float = 0, mode: FanMode = .fanIn, nonlinearity: Nonlinearity = .leakyRelu,
        generator: Generator = .default
    ) -> Tensor {
        if tensor.count == 0 { return tensor }
        let bound = Float(3).squareRoot() * kaimingStd(of: tensor, a: a, mode: mode, nonlinearity: nonlinearity)
        return uniform(tensor, low: -bound, high: bound, generator: generator)
    }

    /// Fills `tensor` from a normal distribution with Kaiming's variance, like `init.kaiming_normal_`.
    ///
    /// ```
    /// gain  = calculateGain(nonlinearity, param: a)
    /// w ~ N(0, std²),   std = gain / √fan
    /// ```
    /// Parameters and defaults as in `kaimingUniform`.
    ///
    /// - Precondition: `tensor` has at least 2 dimensions (or no values).
    @discardableResult
    public static func kaimingNormal(
        _ tensor: Tensor, a: Float = 0, mode: FanMode = .fanIn, nonlinearity: Nonlinearity = .leakyRelu,
        generator: Generator = .default
    ) -> Tensor {
        if tensor.count == 0 { return tensor }
        return normal(tensor, mean: 0, std: kaimingStd(of: tensor, a: a, mode: mode, nonlinearity: nonlinearity),
                      generator: generator)
    }

    /// Kaiming's standard deviation for `tensor`: the gain of `nonlinearity` (with `a`) over √fan in `mode`.
    static func kaimingStd(of tensor: Tensor, a: Float, mode: FanMode, nonlinearity: Nonlinearity) -> Float {
        kaimingStd(fan: fan(of: tensor, mode: mode), gain: calculateGain(nonlinearity, param: a))
    }
}
