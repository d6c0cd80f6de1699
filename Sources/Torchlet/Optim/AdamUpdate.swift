/// The arithmetic of one Adam step on one parameter's values (see
/// ``Adam``), eight values at a time and split between threads when large.
///
/// Why not the plain loop: it runs over every parameter value at every step
/// (9.3M values for Day 8's language model), and the compiler kept it one
/// value at a time, with a scalar square root and division per value. The
/// vector operations are the same IEEE operations lane by lane, in the same
/// order (no fused multiply-add), so every value gets the same bits as the
/// plain loop; values are independent, so the result is the same for any
/// thread count. (Measured on the language model's 9.3M values, median of
/// 6 alternating rounds against the plain loop: 0.79× the time on one
/// thread, 0.45× on two, 45–53 ms → 19–23.)
struct AdamUpdate {
    /// `weightDecay` for Adam's L2 term added to the gradient (0 for AdamW).
    var l2: Float
    /// What `p` is first multiplied by: 1 − lr · weightDecay for AdamW, 1
    /// for Adam (which leaves `p` exactly as it is).
    var shrink: Float
    var beta1: Float, beta2: Float, epsilon: Float
    /// lr / (1 − β₁ᵗ).
    var stepSize: Float
    /// √(1 − β₂ᵗ).
    var correction2Root: Float

    typealias V = SIMD8<Float>

    /// Updates `x`, `m` and `v` in place from the gradient `g`, all of
    /// `count` values.
    func apply(
        x: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>,
        m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, count: Int
    ) {
        let width = V.scalarCount
        let parts = count >= Parallelism.minimumValuesToSplit ? Parallelism.threadCount : 1
        let vectors = (count + width - 1) / width
        Parallelism.perform(parts) { part in
            let start = vectors * part / parts * width, end = min(count, vectors * (part + 1) / parts * width)
            var i = start
            while i + width <= end {
                update(x: x + i, g: g + i, m: m + i, v: v + i, lanes: width)
                i += width
            }
            if i < end { update(x: x + i, g: g + i, m: m + i, v: v + i, lanes: end - i) }
        }
    }

    /// The update of `lanes` (1…8) consecutive values: a partial vector is
    /// read into zero-padded lanes and only its `lanes` values are written.
    @inline(__always)
    func update(
        x: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>,
        m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, lanes: Int
    ) {
        var xv = V(), gv = V(), mv = V(), vv = V()
        if lanes == V.scalarCount {
            xv = UnsafeRawPointer(x).loadUnaligned(as: V.self)
            gv = UnsafeRawPointer(g).loadUnaligned(as: V.self)
            mv = UnsafeRawPointer(m).loadUnaligned(as: V.self)
            vv = UnsafeRawPointer(v).loadUnaligned(as: V.self)
        } else {
            for j in 0..<lanes { xv[j] = x[j]; gv[j] = g[j]; mv[j] = m[j]; vv[j] = v[j] }
        }
        let gi = gv + l2 * xv
        mv = beta1 * mv + (1 - beta1) * gi
        vv = beta2 * vv + (1 - beta2) * gi * gi
        xv = xv * shrink - stepSize * mv / (vv.squareRoot() / correction2Root + epsilon)
        if lanes == V.scalarCount {
            UnsafeMutableRawPointer(x).storeBytes(of: xv, as: V.self)
            UnsafeMutableRawPointer(m).storeBytes(of: mv, as: V.self)
            UnsafeMutableRawPointer(v).storeBytes(of: vv, as: V.self)
        } else {
            for j in 0..<lanes { x[j] = xv[j]; m[j] = mv[j]; v[j] = vv[j] }
        }
    }
}
