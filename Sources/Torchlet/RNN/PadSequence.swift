/// Pads sequences of different lengths into one tensor, like
/// `torch.nn.utils.rnn.pad_sequence`.
///
/// Sequence `i` of shape `[L_i, *]` fills column `i` (row `i` with
/// `batchFirst`) from step 0; the steps after `L_i` hold `paddingValue`.
/// `T` is the longest length:
///
/// ```
/// sequences: a = [a0 a1 a2], b = [b0], c = [c0 c1]
///
/// result [T, B, *]        batchFirst: [B, T, *]
///   a0 b0 c0                a0 a1 a2
///   a1 ·  c1                b0 ·  ·
///   a2 ·  ·                 c0 c1 ·
/// ```
///
/// Gradients flow to every sequence (not to the padding).
///
/// - Parameters:
///   - sequences: the sequences, each `[L_i, *]` with the same trailing
///     dimensions `*`; a sequence may be empty (`L_i = 0`).
///   - batchFirst: return `[B, T, *]` instead of `[T, B, *]`.
///   - paddingValue: the value of the padded positions.
/// - Precondition: `sequences` is non-empty; every sequence has rank ≥ 1 and
///   the same trailing dimensions.
public func padSequence(_ sequences: [Tensor], batchFirst: Bool = false, paddingValue: Float = 0) -> Tensor {
    precondition(!sequences.isEmpty, "padSequence: no sequences to pad")
    let first = sequences[0]
    precondition(first.rank >= 1, "padSequence: sequence 0 has shape \(first.shape); sequences must be [length, *]")
    let trailing = Array(first.shape.dropFirst())
    for (i, s) in sequences.enumerated() {
        precondition(
            s.rank >= 1 && Array(s.shape.dropFirst()) == trailing,
            "padSequence: sequence \(i) has shape \(s.shape) but sequence 0 has shape \(first.shape); "
                + "all must be [length] + \(trailing)")
    }
    let width = trailing.reduce(1, *)
    let lengths = sequences.map { $0.shape[0] }
    let steps = lengths.max()!, batch = sequences.count
    var destinations: [Int] = []
    destinations.reserveCapacity(lengths.reduce(0, +))
    for (i, length) in lengths.enumerated() {
        for t in 0..<length { destinations.append(batchFirst ? i * steps + t : t * batch + i) }
    }
    let rows = Tensor(concatenating: sequences.map { $0.reshaped(to: [$0.shape[0], width]) }, dim: 0)
    let padded = rows.scatteredRows(count: steps * batch, at: destinations, fill: paddingValue, op: "padSequence")
    return padded.reshaped(to: (batchFirst ? [batch, steps] : [steps, batch]) + trailing)
}

/// Pads integer sequences (token ids, tags) into one row-major array, the
/// integer twin of `padSequence(_:batchFirst:paddingValue:)`.
///
/// ```swift
/// let (ids, shape) = padSequence([[4, 5, 6], [7]], batchFirst: true, paddingValue: 0)
/// // ids = [4, 5, 6,
/// //        7, 0, 0], shape = [2, 3]
/// ```
///
/// - Returns: `padded`, the values row-major, and its `shape`: `[T, B]`, or
///   `[B, T]` with `batchFirst`, where `T` is the longest length. Pass both
///   to `Embedding` (`embedding(padded, shape: shape)`) or to `Tensor`.
/// - Precondition: `sequences` is non-empty.
public func padSequence(
    _ sequences: [[Int]], batchFirst: Bool = false, paddingValue: Int = 0
) -> (padded: [Int], shape: [Int]) {
    precondition(!sequences.isEmpty, "padSequence: no sequences to pad")
    let steps = sequences.map(\.count).max()!, batch = sequences.count
    var padded = [Int](repeating: paddingValue, count: steps * batch)
    for (i, s) in sequences.enumerated() {
        for (t, v) in s.enumerated() { padded[batchFirst ? i * steps + t : t * batch + i] = v }
    }
    return (padded, batchFirst ? [batch, steps] : [steps, batch])
}
