import Course
import Torchlet

/// Reference solutions for Day 2, used as `Solutions.Day2.minibatches(…)`.
///
/// Each has the signature of its stub in `Lessons/Day02/Exercises.swift`,
/// without `throws`. Try the exercise first, then compare.
public enum Day2 {
    /// Exercise 2.1: `k` consecutive folds of `0..<count` with scikit-learn's
    /// sizes (the first `count % k` folds one larger); each fold validates
    /// once while the others, in increasing order, train.
    public static func kFoldSplits(count: Int, k: Int) -> [(train: [Int], validation: [Int])] {
        precondition(k >= 2 && k <= count, "kFoldSplits: k \(k) must be in 2...\(count)")
        var splits: [(train: [Int], validation: [Int])] = []
        var start = 0
        for fold in 0..<k {
            let size = count / k + (fold < count % k ? 1 : 0)
            let end = start + size
            splits.append((train: Array(0..<start) + Array(end..<count), validation: Array(start..<end)))
            start = end
        }
        return splits
    }

    /// Exercise 2.2: one epoch of shuffled batches of positions; with
    /// `dropLast` a short last batch is left out.
    public static func minibatches(count: Int, batchSize: Int, dropLast: Bool, generator: Generator) -> [[Int]] {
        precondition(count >= 0 && batchSize > 0, "minibatches: count \(count) and batchSize \(batchSize)")
        // Shuffle first, cut second: which samples end up in the dropped
        // remainder changes every epoch, so none is left out for good.
        let order = generator.permutation(count)
        var batches: [[Int]] = []
        var start = 0
        while start < count {
            let end = min(start + batchSize, count)
            if end - start < batchSize && dropLast { break }
            batches.append(Array(order[start..<end]))
            start = end
        }
        return batches
    }

    /// Exercise 2.3: the mean loss per token over `batches`, in eval mode and
    /// without recording a graph; the model's mode is restored afterwards.
    public static func evaluate(_ model: Module, batches: [TaggingBatch], loss: (TaggingBatch) -> Tensor) -> Float {
        let wasTraining = model.isTraining
        model.eval()
        defer { model.train(wasTraining) }
        var total = 0.0, tokens = 0
        withNoGrad {
            for batch in batches {
                // The batch loss is a mean over its tokens: weigh it by them.
                total += Double(loss(batch).item) * Double(batch.tokenCount)
                tokens += batch.tokenCount
            }
        }
        return Float(total / Double(tokens))
    }
}
