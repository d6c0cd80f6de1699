/// Stochastic gradient descent with optional momentum and weight decay,
/// exactly as `torch.optim.SGD` computes it.
///
/// ```
/// g = grad + weightDecay · p
/// b = g                        (first step)
/// b = momentum · b + g         (later steps)
/// p = p − lr · b               (or lr · g without momentum)
/// ```
public final class SGD: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Float
    public let momentum: Float
    public let weightDecay: Float
    private var buffers: [[Float]?]

    public init(_ parameters: [Tensor], learningRate: Float, momentum: Float = 0, weightDecay: Float = 0) {
        precondition(learningRate >= 0, "SGD: learningRate \(learningRate) must not be negative")
        precondition(momentum >= 0, "SGD: momentum \(momentum) must not be negative")
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        buffers = Array(repeating: nil, count: parameters.count)
    }

    public func step() {
        for (k, p) in parameters.enumerated() {
            guard let grad = p.grad else { continue }
            var g = grad.scalars
            let momentum = momentum, weightDecay = weightDecay, learningRate = learningRate
            // Raw buffers: this loop runs over every parameter value at every
            // step, so it avoids per-element exclusivity and bounds checks.
            p.scalars.withUnsafeMutableBufferPointer { x in
                g.withUnsafeMutableBufferPointer { g in
                    if weightDecay != 0 {
                        for i in 0..<g.count { g[i] += weightDecay * x[i] }
                    }
                }
                if momentum != 0 {
                    if var b = buffers[k] {
                        buffers[k] = nil  // so b is unique and updates in place
                        b.withUnsafeMutableBufferPointer { b in
                            g.withUnsafeBufferPointer { g in
                                for i in 0..<b.count { b[i] = momentum * b[i] + g[i] }
                            }
                        }
                        g = b
                    }
                    buffers[k] = g
                }
                g.withUnsafeBufferPointer { g in
                    for i in 0..<g.count { x[i] -= learningRate * g[i] }
                }
            }
        }
    }
}
