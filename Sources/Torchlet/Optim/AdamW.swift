/// Adam with decoupled weight decay (Loshchilov & Hutter), exactly as
/// `torch.optim.AdamW` computes it: the decay shrinks the parameters
/// directly instead of passing through the moments.
///
/// ```
/// p = p − lr · weightDecay · p                  (decoupled decay first)
/// m = β₁ m + (1 − β₁) g
/// v = β₂ v + (1 − β₂) g²
/// p = p − lr / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
/// ```
///
/// With Adam's L2 decay, a parameter with large gradients is decayed less
/// (the decay is divided by √v like the gradient); AdamW decays every
/// parameter at the same rate. The default `weightDecay` is 0.01, as in
/// PyTorch. Like `torch.optim.AdamW`, it is an `Adam` with
/// `decoupledWeightDecay` set, sharing Adam's step.
///
/// - Precondition: `learningRate` and `weightDecay` are not negative; both
///   betas are in [0, 1).
public final class AdamW: Adam {
    public init(
        _ parameters: [Tensor], learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999,
        epsilon: Float = 1e-8, weightDecay: Float = 0.01
    ) {
        super.init(parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                   weightDecay: weightDecay, decoupledWeightDecay: true)
    }
}
