import Foundation

/// The binary cross-entropy of raw scores (logits) against 0/1 targets, in
/// one stable step, like `F.binary_cross_entropy_with_logits` and
/// `nn.BCEWithLogitsLoss`.
///
/// ```
/// loss(x, y) = −[y · log σ(x) + (1 − y) · log(1 − σ(x))]
///            = max(x, 0) − x · y + log(1 + exp(−|x|))        (the form computed)
/// ∂loss/∂x   = σ(x) − y
///
/// with posWeight p, w = 1 + (p − 1) · y:
/// loss(x, y) = −[p · y · log σ(x) + (1 − y) · log(1 − σ(x))]
///            = (1 − y) · x + w · (max(−x, 0) + log(1 + exp(−|x|)))
/// ∂loss/∂x   = (1 − y) − w · σ(−x)
/// ```
///
/// Why not `logits.sigmoid()` followed by `log`: in float32 `σ(20)` rounds
/// to exactly 1, so a confident wrong answer (x = 20, y = 0) gives
/// `log(1 − 1) = −∞` and an infinite loss, where the true loss is 20.
/// Below x ≈ −104, `σ(x)` underflows to 0 and `log(0)` fails the same way
/// for y = 1; the gradient through `log(σ(x))` is then `0 · ∞ = NaN`.
/// The form above never takes the log of a small number: `exp(−|x|)` is in
/// `(0, 1]`, so `log(1 + exp(−|x|))` is in `[0, log 2]`, and the large part
/// of the loss, `max(x, 0) − x · y`, is exact.
///
/// ```swift
/// let loss = binaryCrossEntropyWithLogits(Tensor([20, -3]), targets: Tensor([0, 0]), reduction: .none)
/// loss.scalars   // [20.0, 0.0486]  (sigmoid, then log, gives [inf, 0.0486])
/// ```
///
/// - Parameters:
///   - logits: scores of any shape; `σ(x)` is the predicted probability of 1.
///   - targets: the same shape as `logits`, usually 0 or 1 (probabilities
///     between are allowed and differentiable, as in PyTorch).
///   - reduction: `.mean` over all elements (the default), `.sum`, or
///     `.none` for one value per element.
///   - posWeight: the weight of the positive term, broadcast to `logits`
///     (usually one value per class on the last dimension), like
///     `pos_weight`; `#negatives / #positives` balances a rare class.
///     A constant, as in PyTorch: no gradient flows to it.
/// - Precondition: `targets` has the shape of `logits`; `posWeight`
///   broadcasts to it.
public func binaryCrossEntropyWithLogits(
    _ logits: Tensor, targets: Tensor, reduction: Reduction = .mean, posWeight: Tensor? = nil
) -> Tensor {
    precondition(
        logits.shape == targets.shape,
        "binaryCrossEntropyWithLogits: logits shape \(logits.shape) and targets shape \(targets.shape) differ")
    let n = logits.count
    // The positive weight of each element (nil: all 1).
    var weightOffsets: [Int]? = nil
    if let p = posWeight {
        precondition(
            Broadcasting.shape(logits.shape, p.shape, op: "binaryCrossEntropyWithLogits") == logits.shape,
            "binaryCrossEntropyWithLogits: posWeight shape \(p.shape) does not broadcast to logits shape \(logits.shape)")
        weightOffsets = Broadcasting.sourceOffsets(from: p.shape, to: logits.shape)
    }
    let x = logits.scalars, y = targets.scalars
    let p = posWeight?.scalars ?? []
    // softplus(−x) = log(1 + exp(−x)) = max(−x, 0) + log1p(exp(−|x|)), never overflowing.
    var softplusNeg = [Float](repeating: 0, count: n)
    var perElement = [Float](repeating: 0, count: n)
    for i in 0..<n {
        softplusNeg[i] = Swift.max(-x[i], 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x[i])))
        if let offsets = weightOffsets {
            // (1 − y)·x + w·softplus(−x), PyTorch's form with pos_weight.
            perElement[i] = (1 - y[i]) * x[i] + (1 + (p[offsets[i]] - 1) * y[i]) * softplusNeg[i]
        } else {
            perElement[i] = Swift.max(x[i], 0) - x[i] * y[i] + Foundation.log1p(Foundation.exp(-Swift.abs(x[i])))
        }
    }
    let scale: Float = reduction == .mean ? 1 / Float(n) : 1
    let values: [Float], shape: [Int]
    switch reduction {
    case .none: values = perElement; shape = logits.shape
    case .sum: values = [perElement.reduce(0, +)]; shape = []
    case .mean: values = [perElement.reduce(0, +) * scale]; shape = []
    }
    return Tensor.result(op: "binaryCrossEntropyWithLogits", shape: shape, scalars: values, inputs: [logits, targets]) { g in
        var gx = [Float](repeating: 0, count: n), gy = [Float](repeating: 0, count: n)
        for i in 0..<n {
            let upstream = reduction == .none ? g[i] : g[0] * scale
            let pMinusOne: Float = weightOffsets.map { p[$0[i]] - 1 } ?? 0
            // ∂/∂x = (1 − y) − w·σ(−x), which is σ(x) − y when w = 1.
            gx[i] = upstream * ((1 - y[i]) - (1 + pMinusOne * y[i]) * stableSigmoid(-x[i]))
            // ∂/∂y = −x + (p − 1)·softplus(−x).
            gy[i] = upstream * (-x[i] + pMinusOne * softplusNeg[i])
        }
        return [gx, gy]
    }
}
