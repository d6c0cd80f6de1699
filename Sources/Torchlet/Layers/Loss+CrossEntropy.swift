/// The cross-entropy loss from raw scores, like `F.cross_entropy`: the same
/// values and gradients as `nllLoss(logits.logSoftmax(dim: 1), …)`, in one
/// fused operation.
///
/// ```
/// loss(x, t) = −log softmax(x)_t = −x_t + log Σ_c exp(x_c)
/// ∂loss/∂x   = softmax(x) − onehot(t)
/// ```
/// Computing log-softmax directly (not `softmax` then `log`) is what keeps
/// this finite for large logits: each row is shifted by its maximum `m`
/// and the loss is `−((x_t − m) − log Σ_c exp(x_c − m))`. Only `m` and the
/// log-sum of each row are saved; backward recomputes the softmax from the
/// logits and writes `w · (softmax − onehot)` directly, where `w` is the
/// row's weight in the result (`1 / counted` for the mean). See
/// `CrossEntropyKernel` for why.
///
/// Targets equal to `ignoreIndex` contribute nothing and are left out of
/// the mean's count (with every target ignored the mean is NaN, as in
/// PyTorch); with `.none` their value is 0.
///
/// - Parameters:
///   - logits: `[N, C]` scores; flatten `[B, T, C]` to `[B·T, C]` first.
///   - targets: `N` class indices; `ignoreIndex` marks padding.
/// - Precondition: every target other than `ignoreIndex` is in `0..<C`.
/// - Complexity: O(N·C), two passes over the logits forward and one backward.
public func crossEntropy(_ logits: Tensor, targets: [Int], ignoreIndex: Int = -100, reduction: Reduction = .mean) -> Tensor {
    precondition(logits.rank == 2, "crossEntropy: logits shape \(logits.shape) should be [N, C] (flatten [B, T, C] to [B·T, C])")
    precondition(logits.shape[0] == targets.count, "crossEntropy: \(targets.count) targets for logits of shape \(logits.shape)")
    let rows = logits.shape[0], classes = logits.shape[1]
    for (row, t) in targets.enumerated() where t != ignoreIndex {
        precondition(
            t >= 0 && t < classes,
            "crossEntropy: target \(t) at row \(row) is out of range 0..<\(classes) for logits of shape \(logits.shape) (ignoreIndex is \(ignoreIndex))")
    }
    // The values used now, like matmul: backward must see these logits.
    let x = logits.scalars
    let (maxima, logSums) = CrossEntropyKernel.rowMaxAndLogSum(x, rows: rows, columns: classes)
    var perRow = [Float](repeating: 0, count: rows)
    var counted = 0
    for (row, t) in targets.enumerated() where t != ignoreIndex {
        perRow[row] = -((x[row * classes + t] - maxima[row]) - logSums[row])
        counted += 1
    }
    // The weight of each row's value in the result.
    let scale: Float = reduction == .mean ? 1 / Float(counted) : 1
    let values: [Float], shape: [Int]
    switch reduction {
    case .none: (values, shape) = (perRow, [rows])
    case .sum: (values, shape) = ([perRow.reduce(0, +)], [])
    case .mean: (values, shape) = ([perRow.reduce(0, +) * scale], [])
    }
    return Tensor.result(op: "crossEntropy", shape: shape, scalars: values, inputs: [logits],
                         savedScalarCount: 2 * rows) { g in
        let weights = targets.indices.map { row -> Float in
            targets[row] == ignoreIndex ? 0 : (reduction == .none ? g[row] : g[0] * scale)
        }
        return [CrossEntropyKernel.gradient(x, rows: rows, columns: classes, max: maxima, logSum: logSums,
                                            targets: targets, weights: weights)]
    }
}
