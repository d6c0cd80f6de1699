/*:
 Fill in each function below: delete the `throw TODO(…)` line and write the
 body. Run `swift run day9` to see your code used by the lesson, and
 `swift run grade --day 9` to have it graded (each exercise: passed,
 failed with expected vs. got and a hint, or not attempted). The reference
 solutions are in `Solutions/Day09.swift`; try first, then compare.
 */
import Course
import Foundation
import Torchlet

/// Exercise 9.1: one step of a GRU cell from tensor operations; returns the
/// new hidden state `h'` `[B, H]` from `input` `[B, I]` and `h` `[B, H]`.
///
/// ```
/// r  = σ(x W_irᵀ + b_ir + h W_hrᵀ + b_hr)          reset gate
/// z  = σ(x W_izᵀ + b_iz + h W_hzᵀ + b_hz)          update gate
/// n  = tanh(x W_inᵀ + b_in + r ⊙ (h W_hnᵀ + b_hn))   candidate
/// h' = (1 − z) ⊙ n + z ⊙ h
/// ```
/// `weightIH` `[3H, I]` and `weightHH` `[3H, H]` hold the gates in the
/// order r, z, n (PyTorch's layout), the biases `[3H]` likewise. The reset
/// gate multiplies `h W_hnᵀ + b_hn`, bias included, not `h` itself.
///
/// Do not call `GRUCell` or `GRU`. Hints: `matmul`, `transposed()`,
/// `chunked(into:dim:)`, `sigmoid()`, `tanh()`. See "What is a GRU?" in
/// the lesson.
func gruCellStep(
    _ input: Tensor, _ h: Tensor,
    weightIH: Tensor, weightHH: Tensor, biasIH: Tensor, biasHH: Tensor
) throws -> Tensor {
    throw TODO("9.1")
}

/// Exercise 9.2: runs one-layer LSTMs one after another with residual
/// connections: every layer above the first adds its input (the output of
/// the layer below) to its own output. Returns the last layer's output and
/// the final state, `h` and `c` each `[L, B, H]` (layer `k` in row `k`, as
/// `LSTM`'s).
///
/// ```
/// x₀ = input                                    [T, B, I]
/// x₁ = LSTM₀(x₀, state row 0)                    no skip: x₀ is the embedding
/// xₖ₊₁ = LSTMₖ(xₖ, state row k) + xₖ              k ≥ 1
/// output = x_L
/// ```
/// `state` is `nil` (every layer from zeros) or `h`, `c` each `[L, B, H]`:
/// layer `k` starts from row `k` (`narrowed(dim: 0, start: k, length: 1)`).
/// Collect each layer's final `(h, c)` `[1, B, H]` and join them with
/// `Tensor(concatenating:dim:)`.
///
/// Do not use `LSTMStack`. See "What keeps a deep stack trainable?" in the
/// lesson.
func residualStack(_ layers: [LSTM], _ input: Tensor, _ state: LSTMState?) throws -> (output: Tensor, state: LSTMState) {
    throw TODO("9.2")
}

/// Exercise 9.3: ties the decoder of `model` to its embedding, as PyTorch's
/// `decoder.weight = encoder.weight`: afterwards `model.decoder.weight`
/// *is* `model.embedding.weight`, one tensor object (`===`), so a
/// gradient step on one moves the other and `model.parameters()` lists it
/// once. The decoder keeps its own bias.
///
/// - Precondition: the embedding's `[V, E]` and the decoder's `[V, H]`
///   have one shape (`E == H`). Assigning a tensor of another shape to
///   `decoder.weight` stops with a message that gives both shapes; a
///   message of your own, in the model's terms, is better still.
///
/// Do not copy the values (`scalars`): a copy is two tensors that drift
/// apart at the first step. See "What does tying the weights save?" in
/// the lesson.
func tieWeights(_ model: LanguageModel) throws {
    throw TODO("9.3")
}

/// Exercise 9.4: the number of parameters of a multi-layer recurrent
/// network with `gates` gates (4 for an LSTM, 3 for a GRU) and both biases,
/// as `LSTM(…).parameterCount` and `GRU(…).parameterCount` count them.
///
/// ```
/// per layer and direction: gates·H·(Iₖ + H) + 2·gates·H
/// I₀ = inputSize, Iₖ = D·H above the first layer (D = 2 when bidirectional)
/// ```
/// See "How many parameters does a layer have?" in the lesson.
func recurrentParameterCount(gates: Int, inputSize: Int, hiddenSize: Int, numLayers: Int, bidirectional: Bool) throws -> Int {
    throw TODO("9.4")
}
