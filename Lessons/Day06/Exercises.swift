/*:
 Fill in each function below: delete the `throw TODO(…)` line and write the
 body. Run `swift run day6` to see your code used by the lesson, and
 `swift run grade --day 6` to have it graded (each exercise: passed,
 failed with expected vs. got and a hint, or not attempted). The reference
 solutions are in `Solutions/Day06.swift`; try first, then compare.
 */
import Course
import Torchlet

/// Exercise 6.1: the orthogonal matrix that `Init.orthogonal` makes from a
/// Gaussian draw: the `Q` of `A = Q R` whose `R` has a positive diagonal.
///
/// `gaussian` is a `rows × cols` matrix, row-major. For a tall or square
/// matrix (`rows >= cols`) return `Q`, `rows × cols` with orthonormal
/// columns (`QᵀQ = I`), such that `A = Q R` with `R` upper triangular and
/// every `R[j][j] > 0` — PyTorch's sign convention, which makes `Q` a
/// function of `A` alone. For a wide matrix (`rows < cols`) factor `Aᵀ`
/// instead and return that `Q` transposed, `rows × cols` with orthonormal
/// rows.
///
/// ```
/// orthogonalMatrix(from: [3, 0, 4, 5], rows: 2, cols: 2)
/// // [0.6, -0.8, 0.8, 0.6]      (R = [[5, 4], [0, 3]])
/// ```
///
/// Gram–Schmidt (subtract from each column its projections on the earlier
/// `q`s, then divide by the norm that is left) gives a positive diagonal by
/// construction; Householder needs the signs fixed afterwards. Work in
/// `Double` for accuracy. The columns of `A` are linearly independent.
/// Do not call `Init.orthogonal`, `orthogonalFactor` or `orthogonalPerGate`.
/// See "What does orthogonal initialization do?" in the lesson.
func orthogonalMatrix(from gaussian: [Float], rows: Int, cols: Int) throws -> [Float] {
    throw TODO("6.1")
}

/// Exercise 6.2: the bounds `a` of the uniform `U(−a, a)` that
/// `xavier_uniform_` and `kaiming_uniform_` (PyTorch's defaults) use for a
/// weight of the given shape.
///
/// The fans, as PyTorch computes them for a shape `[out, in, k₁, k₂, …]`:
///
/// ```
/// receptive = k₁ · k₂ · …        (1 for a 2-D weight)
/// fan_in    = in  · receptive
/// fan_out   = out · receptive
/// xavier    = √(6 / (fan_in + fan_out))          (gain 1)
/// kaiming   = gain · √(3 / fan_in),  gain = √2   (leaky_relu with a = 0, mode fan_in)
/// ```
///
/// ```
/// uniformBounds(shape: [256, 64])   // (xavier 0.1369, kaiming 0.3062)
/// ```
///
/// `shape` has at least 2 dimensions, all positive. Do not call
/// `fanInAndFanOut`, `xavierStd`, `kaimingStd`, `calculateGain`,
/// `xavierUniform` or `kaimingUniform`.
/// See "What do Xavier and Kaiming compute?" in the lesson.
func uniformBounds(shape: [Int]) throws -> (xavier: Float, kaiming: Float) {
    throw TODO("6.2")
}

/// Exercise 6.3: sets the forget-gate bias of every layer and direction of
/// `lstm` so that the effective forget bias is exactly `value`.
///
/// PyTorch's LSTM adds two biases, `bias_ih` and `bias_hh` (each `[4H]`,
/// gate order i, f, g, o), so the forget gate sees `bias_ih[H..<2H] +
/// bias_hh[H..<2H]`. Set the forget slice `H..<2H` of every `bias_ih…`
/// parameter to `value` and of every `bias_hh…` parameter to 0; leave the
/// other slices and every weight untouched. Parameters are named
/// `bias_ih_l0`, `bias_hh_l0`, `bias_ih_l1_reverse`, …
/// (`lstm.namedParameters()`); write their values in place through
/// `tensor.scalars` (no autograd record, like PyTorch's `with
/// torch.no_grad(): b[H:2*H].fill_(1)`).
///
/// ```
/// setForgetGateBias(lstm, to: 1)   // bias_ih_l0[H..<2H] == 1, bias_hh_l0[H..<2H] == 0
/// ```
///
/// Filling the slice with `value` in *both* biases, as the source article
/// does, makes the effective bias `2 · value`. Do not call `Init.constant`.
/// See "Why set the forget-gate bias to 1?" in the lesson.
func setForgetGateBias(_ lstm: LSTM, to value: Float) throws {
    throw TODO("6.3")
}

/// Exercise 6.4: a learned initial state `(h0, c0)`, registered on `module`
/// once; returns the forward that spreads it over a batch of any size.
///
/// In PyTorch, a module's `__init__` and `forward`:
///
/// ```python
/// self.h0 = nn.Parameter(torch.zeros(num_layers, 1, hidden_size))   # once
/// self.c0 = nn.Parameter(torch.zeros(num_layers, 1, hidden_size))
/// def forward(self, batch_size):
///     return (self.h0.expand(-1, batch_size, -1), self.c0.expand(-1, batch_size, -1))
/// ```
///
/// Here the body of this function is the `__init__`: create `h0` and `c0`,
/// zeros of shape `[numLayers, 1, hiddenSize]`, and register them on
/// `module` as `"h0"` and `"c0"` (`module.registerParameter`, which makes
/// them require grad), so that `module.parameters()` hands them to the
/// optimizer. The function you return is the `forward`: for a batch size
/// `B` it returns `(h, c)`, each `[numLayers, B, hiddenSize]`, every batch
/// row equal to `h0` (`c0`), computed *from the registered tensors* so
/// that gradients flow back into them — add zeros of `[numLayers, B,
/// hiddenSize]` (broadcasting sums the gradient over the batch).
///
/// ```
/// let forward = try registerLearnedInitialState(on: module, numLayers: 1, hiddenSize: 16)
/// forward(32).h.shape   // [1, 32, 16]
/// forward(7).h.shape    // [1, 7, 16]: the last, smaller batch too
/// ```
///
/// Mistakes the check rejects: creating the tensors inside the forward (a
/// fresh tensor every call: nothing is learned), a state not spread over
/// the batch or with a batch dimension fixed at creation, and a detached
/// state (no gradient reaches `h0`).
/// See "What about the initial state?" in the lesson.
func registerLearnedInitialState(on module: Module, numLayers: Int, hiddenSize: Int) throws -> (_ batchSize: Int) -> LSTMState {
    throw TODO("6.4")
}
