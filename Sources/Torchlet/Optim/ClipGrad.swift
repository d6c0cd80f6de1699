import Foundation

/// Scales every gradient by one factor so that their total norm is at most
/// `maxNorm`, exactly as `torch.nn.utils.clip_grad_norm_` does, and returns
/// the total norm before clipping.
///
/// ```
/// total = ‖(‖g₁‖ₚ, ‖g₂‖ₚ, …)‖ₚ     the p-norm of all gradients as one long vector
///       = max |gᵢⱼ|                 for p = ∞
/// c     = min(maxNorm / (total + 1e-6), 1)
/// g     = c · g                     for every gradient
/// ```
///
/// Clipping keeps each step's direction and bounds its length, so one
/// exploding batch in an LSTM cannot throw the parameters far away. Below
/// the threshold `c` is 1 and the gradients are unchanged. Parameters
/// without a gradient are skipped; with none at all the norm is 0.
///
/// A non-finite total norm is not an error, as with PyTorch's default
/// `error_if_nonfinite=False`: an infinite norm makes `c = 0` (finite
/// gradients become 0, infinite ones NaN) and a NaN norm makes every
/// gradient NaN. Check the returned norm (`.isFinite`) to skip such a step.
///
/// ```swift
/// loss.backward()
/// let norm = clipGradNorm(model.parameters(), maxNorm: 1)   // the norm before clipping
/// optimizer.step()
/// ```
///
/// - Parameters:
///   - normType: p, any positive number or `.infinity` (2 by default).
/// - Precondition: `maxNorm >= 0`, `normType > 0`.
/// - Complexity: O(n) in the number of gradient values.
@discardableResult
public func clipGradNorm(_ parameters: [Tensor], maxNorm: Float, normType: Float = 2) -> Float {
    precondition(maxNorm >= 0, "clipGradNorm: maxNorm \(maxNorm) must not be negative")
    precondition(normType > 0, "clipGradNorm: normType \(normType) must be positive (or .infinity)")
    let gradients = parameters.compactMap(\.grad)
    guard !gradients.isEmpty else { return 0 }
    // Like PyTorch: the norm of each gradient, then the norm of those norms.
    let total = vectorNorm(gradients.map { vectorNorm($0.scalars, normType) }, normType)
    let coefficient = maxNorm / (total + 1e-6)
    // Not Swift.min: a NaN coefficient must stay NaN, as torch.clamp keeps it.
    let clamped = coefficient > 1 ? 1 : coefficient
    if clamped != 1 {
        for g in gradients { g.scalars = g.scalars.map { $0 * clamped } }
    }
    return total
}

/// Clamps every gradient value to `[-clipValue, clipValue]`, like
/// `torch.nn.utils.clip_grad_value_`.
///
/// ```
/// g = min(max(g, −clipValue), clipValue)      for each value
/// ```
///
/// Unlike `clipGradNorm`, this changes the direction of the step. NaN
/// values stay NaN; parameters without a gradient are skipped.
///
/// - Precondition: `clipValue >= 0`.
public func clipGradValue(_ parameters: [Tensor], clipValue: Float) {
    precondition(clipValue >= 0, "clipGradValue: clipValue \(clipValue) must not be negative")
    for g in parameters.compactMap(\.grad) {
        g.scalars = g.scalars.map { x in
            if x > clipValue { return clipValue }
            if x < -clipValue { return -clipValue }
            return x  // inside the range, or NaN
        }
    }
}

/// The p-norm of `values`, `(Σ |x|ᵖ)^(1/p)`, or `max |x|` for p = ∞
/// (NaN if any value is NaN), summed in `Double` and rounded once.
func vectorNorm(_ values: [Float], _ p: Float) -> Float {
    if p == .infinity {
        var largest: Float = 0
        for x in values where x.magnitude > largest || x.isNaN { largest = x.magnitude }
        return largest
    }
    var sum: Double = 0
    if p == 2 {
        for x in values { sum += Double(x) * Double(x) }
        return Float(sum.squareRoot())
    }
    for x in values { sum += Foundation.pow(Double(x.magnitude), Double(p)) }
    return Float(Foundation.pow(sum, 1 / Double(p)))
}
