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
            if weightDecay != 0 {
                for i in 0..<g.count { g[i] += weightDecay * p.scalars[i] }
            }
            if momentum != 0 {
                if var b = buffers[k] {
                    for i in 0..<g.count { b[i] = momentum * b[i] + g[i] }
                    g = b
                }
                buffers[k] = g
            }
            for i in 0..<g.count { p.scalars[i] -= learningRate * g[i] }
        }
    }
}
