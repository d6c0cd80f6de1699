import Course
import Torchlet

/// Reference solutions for Day 10, used as `Solutions.Day10.bucketedBatches(…)`.
///
/// Each has the signature of its stub in `Lessons/Day10/Exercises.swift`,
/// without `throws`. Try the exercise first, then compare.
public enum Day10 {
    /// Exercise 10.1: shuffle, sort within buckets, cut into batches, shuffle the batches.
    public static func bucketedBatches(lengths: [Int], batchSize: Int, bucketSize: Int, generator: Generator) -> [[Int]] {
        let order = generator.permutation(lengths.count)
        var batches: [[Int]] = []
        for bucketStart in stride(from: 0, to: order.count, by: bucketSize) {
            let bucket = order[bucketStart..<min(bucketStart + bucketSize, order.count)].sorted { lengths[$0] < lengths[$1] }
            for start in stride(from: 0, to: bucket.count, by: batchSize) {
                batches.append(Array(bucket[start..<min(start + batchSize, bucket.count)]))
            }
        }
        let shuffled = generator.permutation(batches.count)
        return shuffled.map { batches[$0] }
    }

    /// Exercise 10.2: embed, convolve over the characters, and max over each word's real characters.
    public static func characterFeatures(chars: [[Int]], embedding: Embedding, conv: Conv1d) -> Tensor {
        let longest = chars.map(\.count).max()!
        let ids = chars.flatMap { $0 + [Int](repeating: 0, count: longest - $0.count) }
        let maps = conv(embedding(ids, shape: [chars.count, longest]).transposed(1, 2))   // [N, F, W]
        // 0 at a real character, −1e9 at padding: padding can never be the max.
        let penalty = chars.flatMap { word in (0..<longest).map { $0 < word.count ? Float(0) : -1e9 } }
        return (maps + Tensor(penalty, shape: [chars.count, 1, longest])).max(dim: 2)   // [N, F]
    }

    /// Exercise 10.3: per-label precision (column), recall (row) and F1; 0 instead of 0/0.
    public static func perTagScores(confusion: [[Int]]) -> [(precision: Double, recall: Double, f1: Double)] {
        confusion.indices.map { t in
            let hits = Double(confusion[t][t])
            let predicted = Double(confusion.reduce(0) { $0 + $1[t] }), actual = Double(confusion[t].reduce(0, +))
            let precision = predicted > 0 ? hits / predicted : 0, recall = actual > 0 ? hits / actual : 0
            return (precision, recall, precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0)
        }
    }

    /// Exercise 10.4: train every sampled point, keep the best on validation, test it once.
    public static func randomSearch(
        trials: Int, sample: () -> Hyperparameters, train: (Hyperparameters) -> Double, test: (_ trial: Int) -> Double
    ) -> (best: Hyperparameters, validationAccuracies: [Double], testAccuracy: Double) {
        var best: (point: Hyperparameters, trial: Int, accuracy: Double)?
        var accuracies: [Double] = []
        for trial in 0..<trials {
            let point = sample()
            let accuracy = train(point)
            accuracies.append(accuracy)
            if best == nil || accuracy > best!.accuracy { best = (point, trial, accuracy) }
        }
        return (best!.point, accuracies, test(best!.trial))
    }
}
