import Foundation
import Torchlet

/// Reference solutions for Day 6, used as `Solutions.Day6.uniformBounds(…)`.
///
/// Each has the signature of its stub in `Lessons/Day06/Exercises.swift`,
/// without `throws`. Try the exercise first, then compare.
public enum Day6 {
    /// Exercise 6.1: the `Q` of `A = Q R` with a positive diagonal of `R`,
    /// by modified Gram–Schmidt; for a wide `A`, the transposed `Q` of `Aᵀ`.
    ///
    /// ```
    /// q_j = (a_j − Σ_{k<j} (q_k · a_j) q_k) / ‖…‖     R[j][j] = ‖…‖ > 0
    /// ```
    /// Gram–Schmidt's `R[j][j]` is a norm, so positive: exactly PyTorch's
    /// sign convention, with no correction needed.
    ///
    /// - Precondition: `gaussian.count == rows · cols`, linearly independent columns.
    public static func orthogonalMatrix(from gaussian: [Float], rows: Int, cols: Int) -> [Float] {
        precondition(gaussian.count == rows * cols, "orthogonalMatrix: \(gaussian.count) values do not fill \(rows) × \(cols)")
        let wide = rows < cols
        let (m, n) = wide ? (cols, rows) : (rows, cols)
        // Column j of the tall matrix (m × n): column j of A, or row j of a wide A.
        var columns: [[Double]] = (0..<n).map { j in
            (0..<m).map { i in Double(wide ? gaussian[j * cols + i] : gaussian[i * cols + j]) }
        }
        for j in 0..<n {
            // Modified Gram–Schmidt: project out each earlier q from what is left, one at a time.
            for k in 0..<j {
                let dot = zip(columns[k], columns[j]).reduce(0) { $0 + $1.0 * $1.1 }
                for i in 0..<m { columns[j][i] -= dot * columns[k][i] }
            }
            let norm = columns[j].reduce(0) { $0 + $1 * $1 }.squareRoot()
            precondition(norm > 0, "orthogonalMatrix: column \(j) depends on the earlier ones")
            for i in 0..<m { columns[j][i] /= norm }
        }
        // Back to row-major rows × cols: Q (m × n) for a tall A, Qᵀ for a wide one.
        var result = [Float](repeating: 0, count: rows * cols)
        for i in 0..<m {
            for j in 0..<n {
                if wide { result[j * cols + i] = Float(columns[j][i]) } else { result[i * cols + j] = Float(columns[j][i]) }
            }
        }
        return result
    }

    /// Exercise 6.2: the uniform bounds of `xavier_uniform_` (gain 1) and
    /// `kaiming_uniform_` (PyTorch's defaults) for a weight of shape `shape`.
    ///
    /// ```
    /// xavier  = √(6 / (fan_in + fan_out))
    /// kaiming = √2 · √(3 / fan_in) = √(6 / fan_in)
    /// ```
    /// - Precondition: `shape` has at least 2 dimensions.
    public static func uniformBounds(shape: [Int]) -> (xavier: Float, kaiming: Float) {
        precondition(shape.count >= 2, "uniformBounds: a weight has at least 2 dimensions, got \(shape)")
        let receptive = shape.dropFirst(2).reduce(1, *)
        let fanIn = Float(shape[1] * receptive), fanOut = Float(shape[0] * receptive)
        let xavier = (6 / (fanIn + fanOut)).squareRoot()
        let kaiming = Float(2).squareRoot() * (3 / fanIn).squareRoot()
        return (xavier, kaiming)
    }

    /// Exercise 6.3: sets the forget slice `H..<2H` of every `bias_ih…` to
    /// `value` and of every `bias_hh…` to 0, so the effective forget bias is `value`.
    public static func setForgetGateBias(_ lstm: LSTM, to value: Float) {
        for (name, bias) in lstm.namedParameters() {
            let isIH = name.hasPrefix("bias_ih"), isHH = name.hasPrefix("bias_hh")
            guard isIH || isHH else { continue }
            let hidden = bias.count / 4
            for k in hidden..<(2 * hidden) { bias.scalars[k] = isIH ? value : 0 }
        }
    }

    /// Exercise 6.4: registers `h0` and `c0`, zeros `[numLayers, 1, hiddenSize]`,
    /// on `module` once, and returns the forward that broadcasts them to
    /// `[numLayers, B, hiddenSize]`.
    ///
    /// ```
    /// h = h0 + zeros([numLayers, B, hiddenSize])    ∂L/∂h0 = Σ_b ∂L/∂h[:, b, :]
    /// ```
    public static func registerLearnedInitialState(
        on module: Module, numLayers: Int, hiddenSize: Int
    ) -> (_ batchSize: Int) -> LSTMState {
        let h0 = Tensor.zeros([numLayers, 1, hiddenSize]), c0 = Tensor.zeros([numLayers, 1, hiddenSize])
        module.registerParameter("h0", h0)   // created and registered once, so the optimizer updates them
        module.registerParameter("c0", c0)
        return { batchSize in
            let zeros = Tensor.zeros([numLayers, batchSize, hiddenSize])
            return (h0 + zeros, c0 + zeros)
        }
    }
}
