import Testing
import Torchlet

/// Checks autograd against central differences, minitorch style: records an
/// issue at the caller for every input element whose analytic gradient
/// differs from the numeric one.
///
/// The scalar checked is a fixed random projection of the output, so every
/// output element gets its own gradient and a wrong rule cannot hide behind
/// a symmetric sum:
///
/// ```
/// L(x)      = Σ f(x) · w                       w ~ N(0, 1), fixed seed
/// numeric   = (L(x + ε) − L(x − ε)) / 2ε        accumulated in Double
/// agreement: |analytic − numeric| ≤ tolerance · (1 + |numeric|)
/// ```
///
/// Why these defaults: the inputs are float32, so each evaluation of `L`
/// carries a rounding error of about 1e-7 · Σ|f · w|; divided by 2ε = 0.02
/// that is ~1e-5, far below the tolerance. The central difference's own
/// error is ε²/6 · f''' ≈ 2e-5 · f''', negligible for the smooth functions
/// checked. A wrong rule (a missing factor, a sign, a transposed index) is
/// off by O(1) and is caught by a 1e-2 relative-or-absolute tolerance.
/// Keep inputs at least ~3ε away from kinks (relu and abs at 0, clamp
/// bounds), where no derivative exists.
///
/// `f` is evaluated once with gradients and then twice per input element
/// inside `withNoGrad`, so it must be deterministic (pass a freshly seeded
/// `Generator` to anything random, such as dropout).
///
/// - Parameters:
///   - inputs: the tensors to perturb; they are made to require grad, and
///     their `grad` is reset. Their values are restored afterwards.
///   - epsilon: the finite-difference step.
///   - tolerance: the allowed relative-or-absolute difference.
///   - f: the computation; any output shape.
public func checkGradients(
    _ inputs: [Tensor], epsilon: Float = 1e-2, tolerance: Float = 1e-2,
    sourceLocation: SourceLocation = #_sourceLocation, _ f: ([Tensor]) -> Tensor
) {
    let failures = gradientMismatches(inputs, epsilon: epsilon, tolerance: tolerance, f)
    let maxReports = 8
    for message in failures.prefix(maxReports) {
        Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
    }
    if failures.count > maxReports {
        Issue.record("checkGradients: \(failures.count - maxReports) more elements disagree", sourceLocation: sourceLocation)
    }
}

/// The checks of `checkGradients`, returning one readable message per
/// input element whose gradients disagree (empty when all agree).
public func gradientMismatches(
    _ inputs: [Tensor], epsilon: Float = 1e-2, tolerance: Float = 1e-2, _ f: ([Tensor]) -> Tensor
) -> [String] {
    for x in inputs {
        x.requiresGrad = true
        x.zeroGrad()
    }
    let output = f(inputs)
    guard output.requiresGrad else {
        return ["checkGradients: the output does not require grad (no operation was recorded)"]
    }
    let weights = projectionWeights(count: output.count)
    let outputShape = output.shape
    (output * Tensor(weights, shape: output.shape)).sum().backward()

    func loss() -> Double {
        let out = withNoGrad { f(inputs) }
        var total = 0.0
        for (o, w) in zip(out.scalars, weights) { total += Double(o) * Double(w) }
        return total
    }

    var failures: [String] = []
    for (k, x) in inputs.enumerated() {
        if let grad = x.grad, grad.shape != x.shape {
            failures.append("checkGradients: input \(k) has shape \(x.shape) but its gradient has shape \(grad.shape)")
            continue
        }
        let analytic = x.grad?.scalars ?? [Float](repeating: 0, count: x.count)
        for i in 0..<x.count {
            let original = x.scalars[i]
            let plus = original + epsilon, minus = original - epsilon
            x.scalars[i] = plus
            let lPlus = loss()
            x.scalars[i] = minus
            let lMinus = loss()
            x.scalars[i] = original
            // The step actually taken, after float32 rounding of x ± ε.
            let numeric = (lPlus - lMinus) / (Double(plus) - Double(minus))
            let a = Double(analytic[i])
            if !(abs(a - numeric) <= Double(tolerance) * (1 + abs(numeric))) {
                failures.append(
                    "checkGradients: input \(k) (shape \(x.shape)), element \(i) \(multiIndex(i, shape: x.shape)): "
                        + "analytic \(a), numeric \(numeric) (output shape \(outputShape), ε \(epsilon))")
            }
        }
    }
    return failures
}

/// The fixed projection weights for an output of `count` elements.
private func projectionWeights(count: Int) -> [Float] {
    let g = Generator(seed: 0x6772_6164)  // "grad"
    return (0..<count).map { _ in g.nextNormal() }
}

/// The row-major position `i` of `shape` as a multi-index, e.g. `[1, 2]`.
private func multiIndex(_ i: Int, shape: [Int]) -> [Int] {
    var rest = i
    var index = [Int](repeating: 0, count: shape.count)
    for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] > 0 {
        index[d] = rest % shape[d]
        rest /= shape[d]
    }
    return index
}

// MARK: - Random inputs for tests

/// A shape of `rank` dimensions, each in `sizes`, drawn from `generator`.
public func randomShape(rank: Int, sizes: ClosedRange<Int> = 1...4, generator: Generator) -> [Int] {
    (0..<rank).map { _ in sizes.lowerBound + generator.nextInt(below: sizes.count) }
}

/// A tensor with values uniform in `[low, high)`.
public func randomTensor(_ shape: [Int], low: Float = -1, high: Float = 1, generator: Generator) -> Tensor {
    Tensor.uniform(shape, low: low, high: high, generator: generator)
}

/// A tensor whose values are at least `gap` away from zero in magnitude,
/// `|x| ∈ [gap, high)` with a random sign: for functions with a kink at 0.
public func randomTensorAwayFromZero(_ shape: [Int], gap: Float = 0.1, high: Float = 1, generator: Generator) -> Tensor {
    let n = shape.reduce(1, *)
    let values = (0..<n).map { _ -> Float in
        let magnitude = generator.nextUniform(low: gap, high: high)
        return generator.nextUniform() < 0.5 ? -magnitude : magnitude
    }
    return Tensor(values, shape: shape)
}
