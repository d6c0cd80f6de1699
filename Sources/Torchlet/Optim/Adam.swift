import Foundation

/// The Adam optimizer, exactly as `torch.optim.Adam` computes it (weight
/// decay is L2 added to the gradient, not AdamW).
///
/// ```
/// g = grad + weightDecay · p
/// m = β₁ m + (1 − β₁) g
/// v = β₂ v + (1 − β₂) g²
/// p = p − lr / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
/// ```
public final class Adam: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public let weightDecay: Float
    private var m: [[Float]]
    private var v: [[Float]]
    /// Steps taken per parameter: like PyTorch, a parameter without a
    /// gradient on some step does not advance its bias correction.
    private var steps: [Int]

    public init(
        _ parameters: [Tensor], learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999,
        epsilon: Float = 1e-8, weightDecay: Float = 0
    ) {
        precondition(learningRate >= 0, "Adam: learningRate \(learningRate) must not be negative")
        precondition((0..<1).contains(beta1) && (0..<1).contains(beta2), "Adam: betas (\(beta1), \(beta2)) must be in [0, 1)")
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        m = parameters.map { [Float](repeating: 0, count: $0.count) }
        v = m
        steps = [Int](repeating: 0, count: parameters.count)
    }

    public func step() {
        for (k, p) in parameters.enumerated() {
            guard let grad = p.grad else { continue }
            steps[k] += 1
            let correction1 = 1 - Foundation.pow(beta1, Float(steps[k]))
            let correction2Root = (1 - Foundation.pow(beta2, Float(steps[k]))).squareRoot()
            let stepSize = learningRate / correction1
            // Raw buffers: this loop runs over every parameter value at every
            // step, so it avoids per-element exclusivity and bounds checks.
            let beta1 = beta1, beta2 = beta2, epsilon = epsilon, weightDecay = weightDecay
            grad.scalars.withUnsafeBufferPointer { g in
                p.scalars.withUnsafeMutableBufferPointer { x in
                    m[k].withUnsafeMutableBufferPointer { m in
                        v[k].withUnsafeMutableBufferPointer { v in
                            for i in 0..<x.count {
                                let gi = g[i] + weightDecay * x[i]
                                m[i] = beta1 * m[i] + (1 - beta1) * gi
                                v[i] = beta2 * v[i] + (1 - beta2) * gi * gi
                                x[i] -= stepSize * m[i] / (v[i].squareRoot() / correction2Root + epsilon)
                            }
                        }
                    }
                }
            }
        }
    }
}
