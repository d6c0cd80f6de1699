import Torchlet

/// Reference solutions for Day 3, used as `Solutions.Day3.padBatch(…)`.
///
/// Each has the signature of its stub in `Lessons/Day03/Exercises.swift`,
/// without `throws`. Try the exercise first, then compare.
public enum Day3 {
    /// Exercise 3.1: pads sequences to the longest one, batch first, and
    /// returns the real lengths.
    public static func padBatch(_ sequences: [[Int]], paddingValue: Int) -> (padded: [[Int]], lengths: [Int]) {
        let lengths = sequences.map(\.count)
        let longest = lengths.max() ?? 0
        let padded = sequences.map { $0 + [Int](repeating: paddingValue, count: longest - $0.count) }
        return (padded, lengths)
    }

    /// Exercise 3.2: a `[B, T]` mask, 1 at the real tokens and 0 at padding.
    public static func mask(lengths: [Int], maxLength: Int) -> Tensor {
        var values = [Float](repeating: 0, count: lengths.count * maxLength)
        for (b, length) in lengths.enumerated() {
            for t in 0..<length { values[b * maxLength + t] = 1 }
        }
        return Tensor(values, shape: [lengths.count, maxLength])
    }

    /// Exercise 3.3: the mean cross-entropy over the positions where `mask` is 1.
    public static func maskedCrossEntropy(logits: Tensor, targets: [Int], mask: Tensor) -> Tensor {
        // Padding targets may hold any class; the mask alone decides what counts.
        let perPosition = crossEntropy(logits, targets: targets, reduction: .none)  // [N]
        return (perPosition * mask).sum() / mask.sum()
    }

    /// Exercise 3.4: token accuracy over the real tokens of a padded batch.
    public static func maskedAccuracy(logits: Tensor, targets: [Int], lengths: [Int]) -> Double {
        let (batch, steps) = (logits.shape[0], logits.shape[1])
        let predictions = logits.argmax(dim: -1)  // B·T predictions, row-major [B, T]
        var correct = 0, counted = 0
        for b in 0..<batch {
            for t in 0..<lengths[b] {
                counted += 1
                if predictions[b * steps + t] == targets[b * steps + t] { correct += 1 }
            }
        }
        return counted == 0 ? .nan : Double(correct) / Double(counted)
    }
}
