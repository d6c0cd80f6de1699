/*:
 Fill in each function below: delete the `throw TODO(…)` line and write the
 body. Run `swift run day8` to see your code used by the lesson, and
 `swift run grade --day 8` to have it graded (each exercise: passed,
 failed with expected vs. got and a hint, or not attempted). The reference
 solutions are in `Solutions/Day08.swift`; try first, then compare.
 */
import Course
import Foundation
import Torchlet

/// Exercise 8.1: cuts one long stream of token ids into `batchSize`
/// parallel streams and returns them time first, `[T][B]`: row `t` holds
/// step `t` of every stream, and stream `b` (column `b`) is the `b`-th
/// piece of the text, `tokens[b·T ..< (b+1)·T]` with `T = tokens.count /
/// batchSize`. The last `tokens.count % batchSize` tokens are dropped.
///
/// ```
/// batchify([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], batchSize: 3)
/// // [[0, 3, 6],
/// //  [1, 4, 7],
/// //  [2, 5, 8]]     (9 dropped; stream 1 reads 3, 4, 5)
/// ```
///
/// PyTorch's example does it with `data[:T·B].view(B, T).t()`. See "How
/// does one stream become a batch?" in the lesson.
func batchify(_ tokens: [Int], batchSize: Int) throws -> [[Int]] {
    throw TODO("8.1")
}

/// Exercise 8.2: returns the chunk of `source` (`[T][B]`, from `batchify`)
/// that starts at row `start`: inputs are rows `start ..< start + n` and
/// targets the same rows one step later, `start + 1 ... start + n`, where
/// `n = min(chunkLength, T − 1 − start)`, so the last chunk is shorter and
/// no target falls off the end.
///
/// ```
/// // source rows 0...9, start 8, chunkLength 5: n = 1
/// // inputs [row 8], targets [row 9]
/// ```
///
/// PyTorch's `get_batch(source, i)`. See "What does one chunk hold?" in
/// the lesson.
func getBatch(_ source: [[Int]], at start: Int, chunkLength: Int) throws -> (inputs: [[Int]], targets: [[Int]]) {
    throw TODO("8.2")
}

/// Exercise 8.3: one step of truncated backpropagation through time on
/// one chunk; returns the chunk's mean cross-entropy per token and the
/// state to carry into the next chunk.
///
/// 1. Detach the state carried in (`nil` means zeros): its values go on,
///    but the graph of the earlier chunks must not (PyTorch's
///    `repackage_hidden`).
/// 2. Reset the gradients, run `model(inputs, state)`, and take the mean
///    cross-entropy of the scores `[T, B, V]` against `targets` (flattened
///    in the same row order).
/// 3. Backward, clip the gradient norm of all parameters to `maxNorm`
///    with `clipGradNorm`, and take the optimizer step.
///
/// See "Why carry the state, and why detach it?" in the lesson.
func trainChunk(
    _ model: LanguageModel, optimizer: Optimizer, inputs: [[Int]], targets: [[Int]],
    state: LSTMState?, maxNorm: Float
) throws -> (loss: Float, state: LSTMState) {
    throw TODO("8.3")
}

/// Exercise 8.4: the perplexity of a text scored in chunks, from each
/// chunk's mean loss per token and its number of tokens: the exponential
/// of the mean loss per *token* over the whole text.
///
/// ```
/// perplexity = exp(Σ meanLoss · tokenCount / Σ tokenCount)
/// ```
///
/// The last chunk is usually shorter, so the mean of the chunks' means is
/// not the mean per token. See "How good is a language model?" in the
/// lesson.
func perplexity(chunkLosses: [(meanLoss: Float, tokenCount: Int)]) throws -> Double {
    throw TODO("8.4")
}
