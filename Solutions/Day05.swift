import Torchlet

/// Reference solutions for Day 5, used as `Solutions.Day5.lastValidOutput(…)`.
///
/// Each has the signature of its stub in `Lessons/Day05/Exercises.swift`,
/// without `throws`. Try the exercise first, then compare.
public enum Day5 {
    /// Exercise 5.1: each sequence's output at its last real step,
    /// `output[b, lengths[b] − 1]`, picked with one `gather` along time.
    ///
    /// ```
    /// index[b, 0, h] = lengths[b] − 1        (batch first: gather along dim 1 of [B, T, H])
    /// index[0, b, h] = lengths[b] − 1        (time first:  gather along dim 0 of [T, B, H])
    /// ```
    ///
    /// - Precondition: every length is in `1...T`.
    public static func lastValidOutput(_ output: Tensor, lengths: [Int], batchFirst: Bool) -> Tensor {
        let (batchDim, timeDim) = batchFirst ? (0, 1) : (1, 0)
        let batch = output.shape[batchDim], steps = output.shape[timeDim], hidden = output.shape[2]
        precondition(lengths.count == batch && lengths.allSatisfy { (1...steps).contains($0) },
                     "lastValidOutput: lengths \(lengths) for output \(output.shape)")
        // One index per (sequence, feature): the same last step for every feature of a sequence.
        let index = lengths.flatMap { [Int](repeating: $0 - 1, count: hidden) }
        var indexShape = output.shape
        indexShape[timeDim] = 1
        return output.gather(dim: timeDim, index: index, indexShape: indexShape).squeezed(dim: timeDim)
    }

    /// Exercise 5.2: the sequence vector of a bidirectional LSTM from its
    /// batch-first output `[B, T, 2H]`: the forward half at the last real
    /// step and the backward half at step 0, `[B, 2H]`, which equals `h_n`
    /// of a packed run with its two directions concatenated.
    public static func bidirectionalSequenceVector(_ output: Tensor, lengths: [Int]) -> Tensor {
        let hidden = output.shape[2] / 2
        let forward = output.narrowed(dim: 2, start: 0, length: hidden)
        let backward = output.narrowed(dim: 2, start: hidden, length: hidden)
        // The forward run ends at lengths − 1: gather there, as in 5.1.
        let index = lengths.flatMap { [Int](repeating: $0 - 1, count: hidden) }
        let forwardLast = forward.gather(dim: 1, index: index, indexShape: [lengths.count, 1, hidden]).squeezed(dim: 1)
        let backwardLast = backward.selected(dim: 1, index: 0)                            // the backward run ends at t = 0
        return Tensor(concatenating: [forwardLast, backwardLast], dim: 1)
    }

    /// Exercise 5.3: the mean and the maximum over the real steps of a
    /// batch-first output `[B, T, H]`, each `[B, H]`; padding never counts
    /// in the mean and never wins the max.
    public static func maskedPooling(_ output: Tensor, lengths: [Int]) -> (mean: Tensor, max: Tensor) {
        let steps = output.shape[1]
        let mask = lengthMask(lengths: lengths, maxLength: steps).unsqueezed(dim: -1)        // [B, T, 1]
        let counts = Tensor(lengths.map(Float.init), shape: [lengths.count, 1])
        let mean = (output * mask).sum(dim: 1) / counts
        // Padding gets a score far below any real value, so it never wins (its gradient is 0).
        let max = (output + (mask - 1) * 1e30).max(dim: 1)
        return (mean, max)
    }

    /// Exercise 5.4: attention pooling of a batch-first output `[B, T, H]`
    /// with a query `[H]`: scores `output · query`, a softmax over the real
    /// steps only, and the weighted sum of the outputs. Returns the pooled
    /// `[B, H]` and the weights `[B, T]` (0 at padding).
    public static func attentionPooling(_ output: Tensor, lengths: [Int], query: Tensor) -> (pooled: Tensor, weights: Tensor) {
        let (batch, steps, hidden) = (output.shape[0], output.shape[1], output.shape[2])
        let scores = output.reshaped(to: [batch * steps, hidden]).matmul(query.reshaped(to: [hidden, 1]))
            .reshaped(to: [batch, steps])
        let mask = lengthMask(lengths: lengths, maxLength: steps)
        // Subtract a huge number at padding: exp of it is exactly 0, and the max is a real step's.
        let weights = (scores + (mask - 1) * 1e30).softmax(dim: 1)
        let pooled = (output * weights.unsqueezed(dim: -1)).sum(dim: 1)
        return (pooled, weights)
    }
}
