/// Element-wise arithmetic with broadcasting: `+`, `-`, `*`, `/` between
/// tensors and with `Float` scalars. Each forward rule sits next to its
/// backward rule.
extension Tensor {
    /// `a + b`, broadcasting. ∂/∂a = 1, ∂/∂b = 1.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let (shape, out) = Broadcasting.apply(a, b, op: "add") { $0 + $1 }
        return result(op: "add", shape: shape, scalars: out, inputs: [a, b]) { g in
            [Broadcasting.reduce(g, from: shape, to: a.shape), Broadcasting.reduce(g, from: shape, to: b.shape)]
        }
    }

    /// `a - b`, broadcasting. ∂/∂a = 1, ∂/∂b = −1.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let (shape, out) = Broadcasting.apply(a, b, op: "sub") { $0 - $1 }
        return result(op: "sub", shape: shape, scalars: out, inputs: [a, b]) { g in
            [Broadcasting.reduce(g, from: shape, to: a.shape),
             Broadcasting.reduce(g.map { -$0 }, from: shape, to: b.shape)]
        }
    }

    /// `a * b`, element-wise with broadcasting. ∂/∂a = b, ∂/∂b = a.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let (shape, out) = Broadcasting.apply(a, b, op: "mul") { $0 * $1 }
        // Snapshots of the values used now, so a later in-place update of a
        // or b cannot change this gradient.
        let aValues = a.detached(), bValues = b.detached()
        return result(op: "mul", shape: shape, scalars: out, inputs: [a, b]) { g in
            let ga = a.requiresGrad ? Broadcasting.apply(Tensor(g, shape: shape), bValues, op: "mul") { $0 * $1 }.scalars : nil
            let gb = b.requiresGrad ? Broadcasting.apply(Tensor(g, shape: shape), aValues, op: "mul") { $0 * $1 }.scalars : nil
            return [ga.map { Broadcasting.reduce($0, from: shape, to: a.shape) },
                    gb.map { Broadcasting.reduce($0, from: shape, to: b.shape) }]
        }
    }

    /// `a / b`, element-wise with broadcasting. ∂/∂a = 1/b, ∂/∂b = −a/b².
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let (shape, out) = Broadcasting.apply(a, b, op: "div") { $0 / $1 }
        let bValues = b.detached()
        return result(op: "div", shape: shape, scalars: out, inputs: [a, b]) { g in
            let gt = Tensor(g, shape: shape)
            let ga = a.requiresGrad ? Broadcasting.apply(gt, bValues, op: "div") { $0 / $1 }.scalars : nil
            var gb: [Float]? = nil
            if b.requiresGrad {
                // −g·a/b² = −g·out/b, computed on the broadcast shape.
                let gOut = zip(g, out).map { -$0 * $1 }
                gb = Broadcasting.apply(Tensor(gOut, shape: shape), bValues, op: "div") { $0 / $1 }.scalars
            }
            return [ga.map { Broadcasting.reduce($0, from: shape, to: a.shape) },
                    gb.map { Broadcasting.reduce($0, from: shape, to: b.shape) }]
        }
    }

    /// `-a`.
    public static prefix func - (a: Tensor) -> Tensor {
        result(op: "neg", shape: a.shape, scalars: a.scalars.map { -$0 }, inputs: [a]) { g in [g.map { -$0 }] }
    }

    /// `a + s` for a scalar `s`.
    public static func + (a: Tensor, s: Float) -> Tensor {
        result(op: "add", shape: a.shape, scalars: a.scalars.map { $0 + s }, inputs: [a]) { g in [g] }
    }

    /// `s + a` for a scalar `s`.
    public static func + (s: Float, a: Tensor) -> Tensor { a + s }

    /// `a - s` for a scalar `s`.
    public static func - (a: Tensor, s: Float) -> Tensor { a + (-s) }

    /// `s - a` for a scalar `s`.
    public static func - (s: Float, a: Tensor) -> Tensor {
        result(op: "sub", shape: a.shape, scalars: a.scalars.map { s - $0 }, inputs: [a]) { g in [g.map { -$0 }] }
    }

    /// `a * s` for a scalar `s`.
    public static func * (a: Tensor, s: Float) -> Tensor {
        result(op: "mul", shape: a.shape, scalars: a.scalars.map { $0 * s }, inputs: [a]) { g in [g.map { $0 * s }] }
    }

    /// `s * a` for a scalar `s`.
    public static func * (s: Float, a: Tensor) -> Tensor { a * s }

    /// `a / s` for a scalar `s`.
    public static func / (a: Tensor, s: Float) -> Tensor { a * (1 / s) }

    /// `s / a` for a scalar `s`. ∂/∂a = −s/a².
    public static func / (s: Float, a: Tensor) -> Tensor {
        let values = a.scalars
        return result(op: "div", shape: a.shape, scalars: values.map { s / $0 }, inputs: [a]) { g in
            [zip(g, values).map { -$0 * s / ($1 * $1) }]
        }
    }
}
