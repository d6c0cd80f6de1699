/// Stochastic gradient descent with optional momentum, dampening, Nesterov
/// momentum and weight decay, exactly as `torch.optim.SGD` computes it.
///
/// ```
/// g = grad + weightDecay · p
/// b = g                                  (first step)
/// b = momentum · b + (1 − dampening) · g (later steps)
/// g = g + momentum · b                   (nesterov)
/// g = b                                  (momentum, not nesterov)
/// p = p − lr · g
/// ```
///
/// Nesterov momentum looks one step ahead: it moves by the gradient plus
/// the momentum buffer once more, rather than by the buffer alone.
///
/// - Precondition: `learningRate`, `momentum` and `weightDecay` are not
///   negative; `nesterov` needs `momentum > 0` and `dampening == 0`, as in
///   PyTorch.
public final class SGD: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Float
    public let momentum: Float
    /// How much of each new gradient is left out of the momentum buffer
    /// (0: all of it goes in). The first step never dampens, as in PyTorch.
    public let dampening: Float
    public let weightDecay: Float
    public let nesterov: Bool
    /// The momentum buffer of each parameter, `nil` until its first step.
    var buffers: [[Float]?]

    public init(
        _ parameters: [Tensor], learningRate: Float, momentum: Float = 0, dampening: Float = 0,
        weightDecay: Float = 0, nesterov: Bool = false
    ) {
        precondition(!parameters.isEmpty, "SGD: got an empty parameter list (was the model's layer registered?)")
        precondition(learningRate >= 0, "SGD: learningRate \(learningRate) must not be negative")
        precondition(momentum >= 0, "SGD: momentum \(momentum) must not be negative")
        precondition(weightDecay >= 0, "SGD: weightDecay \(weightDecay) must not be negative")
        precondition(!nesterov || (momentum > 0 && dampening == 0),
                     "SGD: nesterov needs momentum > 0 and dampening 0, got momentum \(momentum) and dampening \(dampening)")
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        buffers = Array(repeating: nil, count: parameters.count)
    }

    public func step() {
        for (k, p) in parameters.enumerated() {
            guard let grad = p.grad else { continue }
            var g = grad.scalars
            let momentum = momentum, dampening = dampening, weightDecay = weightDecay
            let learningRate = learningRate, nesterov = nesterov
            // Raw buffers: this loop runs over every parameter value at every
            // step, so it avoids per-element exclusivity and bounds checks.
            p.scalars.withUnsafeMutableBufferPointer { x in
                g.withUnsafeMutableBufferPointer { g in
                    if weightDecay != 0 {
                        for i in 0..<g.count { g[i] += weightDecay * x[i] }
                    }
                }
                if momentum != 0 {
                    var b = g  // the first step starts the buffer at g, undamped
                    if var previous = buffers[k] {
                        buffers[k] = nil  // so previous is unique and updates in place
                        previous.withUnsafeMutableBufferPointer { b in
                            g.withUnsafeBufferPointer { g in
                                for i in 0..<b.count { b[i] = momentum * b[i] + (1 - dampening) * g[i] }
                            }
                        }
                        b = previous
                    }
                    buffers[k] = b
                    if nesterov {
                        g.withUnsafeMutableBufferPointer { g in
                            b.withUnsafeBufferPointer { b in
                                for i in 0..<g.count { g[i] += momentum * b[i] }
                            }
                        }
                    } else {
                        g = b
                    }
                }
                g.withUnsafeBufferPointer { g in
                    for i in 0..<g.count { x[i] -= learningRate * g[i] }
                }
            }
        }
    }
}
