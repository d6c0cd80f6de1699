import Foundation

/// The Adam optimizer, exactly as `torch.optim.Adam` computes it (weight
/// decay is L2 added to the gradient; `AdamW` decouples it).
///
/// ```
/// g = grad + weightDecay · p
/// m = β₁ m + (1 − β₁) g
/// v = β₂ v + (1 − β₂) g²
/// p = p − lr / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
/// ```
///
/// - Precondition: `learningRate` and `weightDecay` are not negative; both
///   betas are in [0, 1).
public class Adam: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public let weightDecay: Float
    /// Whether weight decay shrinks the parameters directly (AdamW) rather
    /// than adding `weightDecay · p` to the gradient (Adam).
    public let decoupledWeightDecay: Bool
    /// The first moments (m), one array per parameter.
    var m: [[Float]]
    /// The second moments (v), one array per parameter.
    var v: [[Float]]
    /// Steps taken per parameter: like PyTorch, a parameter without a
    /// gradient on some step does not advance its bias correction.
    var steps: [Int]

    public convenience init(
        _ parameters: [Tensor], learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999,
        epsilon: Float = 1e-8, weightDecay: Float = 0
    ) {
        self.init(parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                  weightDecay: weightDecay, decoupledWeightDecay: false)
    }

    /// The initializer Adam and AdamW share, like PyTorch's
    /// `Adam(…, decoupled_weight_decay=)`.
    init(
        _ parameters: [Tensor], learningRate: Float, beta1: Float, beta2: Float, epsilon: Float,
        weightDecay: Float, decoupledWeightDecay: Bool
    ) {
        let name = decoupledWeightDecay ? "AdamW" : "Adam"
        precondition(!parameters.isEmpty, "\(name): got an empty parameter list (was the model's layer registered?)")
        precondition(learningRate >= 0, "\(name): learningRate \(learningRate) must not be negative")
        precondition(epsilon >= 0, "\(name): epsilon \(epsilon) must not be negative")
        precondition((0..<1).contains(beta1) && (0..<1).contains(beta2), "\(name): betas (\(beta1), \(beta2)) must be in [0, 1)")
        precondition(weightDecay >= 0, "\(name): weightDecay \(weightDecay) must not be negative")
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        m = parameters.map { [Float](repeating: 0, count: $0.count) }
        v = m
        steps = [Int](repeating: 0, count: parameters.count)
    }

    public func step() {
        // Adam adds the decay to the gradient; AdamW first shrinks p by
        // (1 − lr · weightDecay). Multiplying by 1 leaves p exactly as it is.
        let l2 = decoupledWeightDecay ? 0 : weightDecay
        let shrink = decoupledWeightDecay ? 1 - learningRate * weightDecay : 1
        for (k, p) in parameters.enumerated() {
            guard let grad = p.grad else { continue }
            steps[k] += 1
            let correction1 = 1 - Foundation.pow(beta1, Float(steps[k]))
            let correction2Root = (1 - Foundation.pow(beta2, Float(steps[k]))).squareRoot()
            let update = AdamUpdate(
                l2: l2, shrink: shrink, beta1: beta1, beta2: beta2, epsilon: epsilon,
                stepSize: learningRate / correction1, correction2Root: correction2Root)
            grad.scalars.withUnsafeBufferPointer { g in
                p.scalars.withUnsafeMutableBufferPointer { x in
                    guard x.count > 0 else { return }
                    m[k].withUnsafeMutableBufferPointer { m in
                        v[k].withUnsafeMutableBufferPointer { v in
                            update.apply(x: x.baseAddress!, g: g.baseAddress!, m: m.baseAddress!, v: v.baseAddress!,
                                         count: x.count)
                        }
                    }
                }
            }
        }
    }
}
