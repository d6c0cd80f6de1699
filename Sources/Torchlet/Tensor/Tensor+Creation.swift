/// Ways to make a tensor: constants, ranges and seeded random values.
extension Tensor {
    /// A tensor of zeros, like `torch.zeros`.
    public static func zeros(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        full(shape, value: 0, requiresGrad: requiresGrad)
    }

    /// A tensor of ones, like `torch.ones`.
    public static func ones(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        full(shape, value: 1, requiresGrad: requiresGrad)
    }

    /// A tensor filled with `value`, like `torch.full`.
    public static func full(_ shape: [Int], value: Float, requiresGrad: Bool = false) -> Tensor {
        Tensor([Float](repeating: value, count: count(of: shape, in: "full")), shape: shape, requiresGrad: requiresGrad)
    }

    /// The number of values a tensor of `shape` holds; stops, naming `operation`, on a negative dimension or an overflow.
    static func count(of shape: [Int], in operation: String) -> Int {
        precondition(shape.allSatisfy { $0 >= 0 }, "\(operation): negative dimension in shape \(shape)")
        var count = 1
        for size in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            precondition(!overflow, "\(operation): shape \(shape) holds more values than memory can")
            count = product
        }
        return count
    }

    /// The values `0, 1, …` below `end`, like `torch.arange(end)`.
    public static func arange(_ end: Float) -> Tensor {
        arange(0, end)
    }

    /// The values `start, start + step, …` below `end`, like `torch.arange`.
    public static func arange(_ start: Float, _ end: Float, step: Float = 1) -> Tensor {
        precondition(step != 0, "arange: step must not be 0")
        precondition(start.isFinite && end.isFinite && step.isFinite, "arange: start \(start), end \(end) and step \(step) must be finite")
        precondition(step > 0 ? start <= end : start >= end,
                     "arange: from \(start) to \(end) by \(step) goes the wrong way (the end is on the other side of the step's sign)")
        let values = Array(stride(from: start, to: end, by: step))
        return Tensor(values, shape: [values.count])
    }

    /// Values drawn uniformly from `[low, high)`, like `torch.rand` scaled.
    public static func uniform(
        _ shape: [Int], low: Float = 0, high: Float = 1,
        generator: Generator = .default, requiresGrad: Bool = false
    ) -> Tensor {
        let n = count(of: shape, in: "uniform")
        return Tensor((0..<n).map { _ in generator.nextUniform(low: low, high: high) }, shape: shape, requiresGrad: requiresGrad)
    }

    /// Values drawn from a normal distribution, like `torch.randn` scaled.
    public static func normal(
        _ shape: [Int], mean: Float = 0, std: Float = 1,
        generator: Generator = .default, requiresGrad: Bool = false
    ) -> Tensor {
        let n = count(of: shape, in: "normal")
        return Tensor((0..<n).map { _ in mean + std * generator.nextNormal() }, shape: shape, requiresGrad: requiresGrad)
    }

    /// A tensor of zeros with this tensor's shape.
    public func zerosLike() -> Tensor { .zeros(shape) }
}
