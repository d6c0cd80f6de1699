/// How a loss combines its per-element values, like PyTorch's `reduction`.
public enum Reduction: Sendable {
    /// The mean over the elements that count (not ignored).
    case mean
    /// The sum over all elements.
    case sum
    /// One value per element (0 where the target is ignored).
    case none
}

/// The negative log-likelihood loss, like `F.nll_loss`: from log-probabilities
/// `[N, C]` and class indices `[N]`, the value `−logProbs[n, target[n]]`.
///
/// Targets equal to `ignoreIndex` contribute nothing and are left out of
/// the mean's count (with every target ignored the mean is NaN, as in
/// PyTorch).
///
/// - Precondition: every other target is in `0..<C`.
public func nllLoss(_ logProbs: Tensor, targets: [Int], ignoreIndex: Int = -100, reduction: Reduction = .mean) -> Tensor {
    precondition(logProbs.rank == 2, "nllLoss: input shape \(logProbs.shape) should be [N, C]")
    let n = logProbs.shape[0], classes = logProbs.shape[1]
    precondition(targets.count == n, "nllLoss: \(targets.count) targets for \(n) rows of input \(logProbs.shape)")
    for (row, t) in targets.enumerated() where t != ignoreIndex {
        precondition(t >= 0 && t < classes, "nllLoss: target \(t) at row \(row) is out of range 0..<\(classes) (ignoreIndex is \(ignoreIndex))")
    }
    var perRow = [Float](repeating: 0, count: n)
    var counted = 0
    for (row, t) in targets.enumerated() where t != ignoreIndex {
        perRow[row] = -logProbs.scalars[row * classes + t]
        counted += 1
    }
    // The weight of each row's value in the result.
    let scale: Float = reduction == .mean ? 1 / Float(counted) : 1
    let values: [Float]
    let shape: [Int]
    switch reduction {
    case .none:
        values = perRow; shape = [n]
    case .sum:
        values = [perRow.reduce(0, +)]; shape = []
    case .mean:
        values = [perRow.reduce(0, +) * scale]; shape = []
    }
    return Tensor.result(op: "nllLoss", shape: shape, scalars: values, inputs: [logProbs]) { g in
        var gx = [Float](repeating: 0, count: n * classes)
        for (row, t) in targets.enumerated() where t != ignoreIndex {
            gx[row * classes + t] = -(reduction == .none ? g[row] : g[0] * scale)
        }
        return [gx]
    }
}

/// The mean squared error, like `F.mse_loss`.
public func mseLoss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) -> Tensor {
    precondition(input.shape == target.shape, "mseLoss: input shape \(input.shape) and target shape \(target.shape) differ")
    let squared = (input - target).pow(2)
    switch reduction {
    case .mean: return squared.mean()
    case .sum: return squared.sum()
    case .none: return squared
    }
}
