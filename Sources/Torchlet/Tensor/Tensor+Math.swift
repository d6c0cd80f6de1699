import Foundation

/// Element-wise functions: `exp`, `log`, `tanh`, `sigmoid`, `relu`, `sqrt`,
/// `pow`, `abs`, `clamped`. Each forward rule sits next to its backward rule.
extension Tensor {
    /// Applies `f` to every value; `derivative(x, y)` gives ∂y/∂x from the
    /// input `x` and the output `y`, whichever is cheaper to use. `op` names
    /// the operation for anomaly detection.
    @inline(__always)
    func unary(_ op: String, _ f: (Float) -> Float, derivative: @escaping (Float, Float) -> Float) -> Tensor {
        var out = [Float](repeating: 0, count: count)
        scalars.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<o.count { o[i] = f(x[i]) }
            }
        }
        let input = scalars  // the values used now, not after a later in-place update
        return Tensor.result(op: op, shape: shape, scalars: out, inputs: [self]) { g in
            var gx = [Float](repeating: 0, count: g.count)
            for i in 0..<g.count { gx[i] = g[i] * derivative(input[i], out[i]) }
            return [gx]
        }
    }

    /// eˣ. ∂/∂x = eˣ.
    public func exp() -> Tensor { unary("exp", Foundation.exp) { _, y in y } }

    /// The natural logarithm. ∂/∂x = 1/x.
    public func log() -> Tensor { unary("log", Foundation.log) { x, _ in 1 / x } }

    /// The hyperbolic tangent. ∂/∂x = 1 − tanh²(x).
    public func tanh() -> Tensor { unary("tanh", Foundation.tanh) { _, y in 1 - y * y } }

    /// The logistic function 1 / (1 + e⁻ˣ). ∂/∂x = σ(x)(1 − σ(x)).
    public func sigmoid() -> Tensor { unary("sigmoid", stableSigmoid) { _, y in y * (1 - y) } }

    /// max(0, x). ∂/∂x = 1 where x > 0, else 0 (as in PyTorch).
    public func relu() -> Tensor { unary("relu", { Swift.max(0, $0) }) { x, _ in x > 0 ? 1 : 0 } }

    /// √x. ∂/∂x = 1 / (2√x).
    public func sqrt() -> Tensor { unary("sqrt", Foundation.sqrt) { _, y in 0.5 / y } }

    /// |x|. ∂/∂x = sign(x) (0 at 0, as in PyTorch).
    public func abs() -> Tensor { unary("abs", Swift.abs) { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) } }

    /// xᵖ. ∂/∂x = p·xᵖ⁻¹.
    public func pow(_ p: Float) -> Tensor {
        unary("pow", { Foundation.pow($0, p) }) { x, _ in p * Foundation.pow(x, p - 1) }
    }

    /// Values limited to `[low, high]`, like `torch.clamp`. ∂/∂x = 1 inside,
    /// 0 outside.
    public func clamped(min low: Float, max high: Float) -> Tensor {
        precondition(low <= high, "clamped: min \(low) is greater than max \(high)")
        return unary("clamped", { Swift.min(Swift.max($0, low), high) }) { x, _ in x >= low && x <= high ? 1 : 0 }
    }
}

/// The logistic function in its two-branch stable form.
///
/// ```
/// σ(x) = 1 / (1 + e⁻ˣ)      for x ≥ 0
/// σ(x) = eˣ / (1 + eˣ)      for x < 0
/// ```
/// Each branch only exponentiates a non-positive number, so nothing
/// overflows for large |x|.
@inline(__always)
public func stableSigmoid(_ x: Float) -> Float {
    if x >= 0 {
        return 1 / (1 + Foundation.exp(-x))
    }
    let e = Foundation.exp(x)
    return e / (1 + e)
}
