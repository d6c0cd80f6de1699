import Course
import Foundation
import Torchlet

/// Reference solutions for Day 8, used as `Solutions.Day8.batchify(…)`.
///
/// Each has the signature of its stub in `Lessons/Day08/Exercises.swift`,
/// without `throws`. Try the exercise first, then compare.
public enum Day8 {
    /// Exercise 8.1: cuts one stream of token ids into `batchSize` parallel
    /// streams, `[T][B]`: stream `b` is column `b` and holds the `b`-th
    /// piece of the text, `tokens[b·T ..< (b+1)·T]`; the remainder is dropped.
    ///
    /// PyTorch's `batchify`: `data[:T·B].view(B, T).t()`.
    public static func batchify(_ tokens: [Int], batchSize: Int) -> [[Int]] {
        let steps = tokens.count / batchSize
        return (0..<steps).map { t in (0..<batchSize).map { b in tokens[b * steps + t] } }
    }

    /// Exercise 8.2: the chunk of `source` that starts at row `start`: up
    /// to `chunkLength` rows of inputs, and the same rows one step later as
    /// targets (the last chunk is shorter).
    ///
    /// PyTorch's `get_batch`: `seq_len = min(k, len(source) − 1 − i)`.
    public static func getBatch(_ source: [[Int]], at start: Int, chunkLength: Int) -> (inputs: [[Int]], targets: [[Int]]) {
        let length = min(chunkLength, source.count - 1 - start)
        return (Array(source[start..<start + length]), Array(source[start + 1...start + length]))
    }

    /// Exercise 8.3: one step of truncated backpropagation through time:
    /// detach the state carried in, run the chunk, take the mean
    /// cross-entropy per token, backward, clip the gradient norm to
    /// `maxNorm`, step; returns the loss and the state to carry on.
    public static func trainChunk(
        _ model: LanguageModel, optimizer: Optimizer, inputs: [[Int]], targets: [[Int]],
        state: LSTMState?, maxNorm: Float
    ) -> (loss: Float, state: LSTMState) {
        // repackage_hidden: the values go on, the graph of earlier chunks stays behind.
        let carried = state.map { ($0.h.detached(), $0.c.detached()) }
        optimizer.zeroGrad()
        let (scores, newState) = model(inputs, carried)                           // [T, B, V]
        let tokens = inputs.count * inputs[0].count
        let loss = crossEntropy(scores.reshaped(to: [tokens, model.vocabularySize]), targets: targets.flatMap { $0 })
        loss.backward()
        clipGradNorm(model.parameters(), maxNorm: maxNorm)                       // every step, before the update
        optimizer.step()
        return (loss.item, newState)
    }

    /// Exercise 8.4: the perplexity of chunks given each chunk's mean loss
    /// per token and its number of tokens: `exp(Σ loss·n / Σ n)`.
    public static func perplexity(chunkLosses: [(meanLoss: Float, tokenCount: Int)]) -> Double {
        var total = 0.0, tokens = 0
        for chunk in chunkLosses {
            total += Double(chunk.meanLoss) * Double(chunk.tokenCount)
            tokens += chunk.tokenCount
        }
        return exp(total / Double(tokens))
    }
}
