/// Packs a list of sequences of different lengths, like
/// `torch.nn.utils.rnn.pack_sequence`.
///
/// The same as padding them with `padSequence` and packing the result with
/// `packPaddedSequence`, without building the padded tensor:
///
/// ```
/// sequences (original order): a = [a0 a1 a2], b = [b0], c = [c0 c1]
/// enforceSorted: false  ->  data [a0 c0 b0 a1 c1 a2], batchSizes [3, 2, 1],
///                           sortedIndices [0, 2, 1], unsortedIndices [0, 2, 1]
/// ```
///
/// Gradients flow from `data` back to every sequence.
///
/// - Parameters:
///   - sequences: each `[L_i, *]` with the same trailing dimensions `*`.
///   - enforceSorted: the sequences are already sorted by decreasing length
///     (then `sortedIndices` and `unsortedIndices` are `nil`). Pass `false`
///     to pack them in any order.
/// - Precondition: `sequences` is non-empty; every sequence has at least one
///   step and the same trailing dimensions; with `enforceSorted`, lengths
///   are non-increasing.
public func packSequence(_ sequences: [Tensor], enforceSorted: Bool = true) -> PackedSequence {
    precondition(!sequences.isEmpty, "packSequence: no sequences to pack")
    let first = sequences[0]
    precondition(first.rank >= 1, "packSequence: sequence 0 has shape \(first.shape); sequences must be [length, *]")
    let trailing = Array(first.shape.dropFirst())
    for (i, s) in sequences.enumerated() {
        precondition(
            s.rank >= 1 && Array(s.shape.dropFirst()) == trailing,
            "packSequence: sequence \(i) has shape \(s.shape) but sequence 0 has shape \(first.shape); "
                + "all must be [length] + \(trailing)")
    }
    let lengths = sequences.map { $0.shape[0] }
    let layout = PackedLayout(lengths: lengths, enforceSorted: enforceSorted, function: "packSequence")
    var offsets = [Int](repeating: 0, count: lengths.count)
    for i in 1..<max(lengths.count, 1) { offsets[i] = offsets[i - 1] + lengths[i - 1] }
    let width = trailing.reduce(1, *)
    let rows = Tensor(concatenating: sequences.map { $0.reshaped(to: [$0.shape[0], width]) }, dim: 0)
    let data = rows.indexSelect(dim: 0, indices: layout.positions.map { offsets[$0.batch] + $0.time })
    return layout.packed(data.reshaped(to: [layout.positions.count] + trailing))
}

/// Packs integer sequences (token ids), the integer twin of
/// `packSequence(_:enforceSorted:)`; `data` is `[N]` and holds the values
/// as `Float`, ready for `Embedding`'s packed call.
///
/// ```swift
/// let p = packSequence([[1, 2, 3], [1, 2, 3, 4], [1, 2, 3, 4, 5]], enforceSorted: false)
/// p.data.scalars     // [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5]
/// p.batchSizes       // [3, 3, 3, 2, 1]
/// p.sortedIndices    // [2, 1, 0]
/// p.unsortedIndices  // [2, 1, 0]
/// ```
///
/// - Precondition: `sequences` is non-empty; every sequence has at least one
///   value; every value has magnitude at most 2²⁴ (so `Float` holds it
///   exactly); with `enforceSorted`, lengths are non-increasing.
public func packSequence(_ sequences: [[Int]], enforceSorted: Bool = true) -> PackedSequence {
    let layout = PackedLayout(lengths: sequences.map(\.count), enforceSorted: enforceSorted, function: "packSequence")
    let exact = 1 << 24
    let values = layout.positions.map { p -> Float in
        let v = sequences[p.batch][p.time]
        precondition(
            abs(v) <= exact,
            "packSequence: value \(v) at step \(p.time) of sequence \(p.batch) is beyond ±2^24 and would not be exact as Float")
        return Float(v)
    }
    return layout.packed(Tensor(values, shape: [values.count]))
}

/// Packs a padded batch of sequences, like
/// `torch.nn.utils.rnn.pack_padded_sequence`.
///
/// Only the first `lengths[b]` steps of sequence `b` are kept; the padding
/// is dropped. For `input` `[T, B, *]` with lengths `[3, 1, 2]`:
///
/// ```
/// input [T = 3, B = 3]      packed (enforceSorted: false)
///   a0 b0 c0                data            [a0 c0 b0 | a1 c1 | a2]
///   a1 ·  c1          ->    batchSizes      [3, 2, 1]
///   a2 ·  ·                 sortedIndices   [0, 2, 1]
///                           unsortedIndices [0, 2, 1]
/// ```
///
/// Gradients flow back to the kept positions of `input` (zero at padding).
///
/// - Parameters:
///   - input: `[T, B, *]`, or `[B, T, *]` with `batchFirst`.
///   - lengths: the length of each sequence, in batch order.
///   - batchFirst: `input` is `[B, T, *]`.
///   - enforceSorted: `lengths` are already sorted decreasing (then
///     `sortedIndices` and `unsortedIndices` are `nil`); pass `false` to
///     pack a batch in any order.
/// - Precondition: `input` has rank ≥ 2; `lengths.count` is the batch size;
///   every length is in `1...T`; with `enforceSorted`, `lengths` are sorted
///   decreasing.
public func packPaddedSequence(
    _ input: Tensor, lengths: [Int], batchFirst: Bool = false, enforceSorted: Bool = true
) -> PackedSequence {
    precondition(
        input.rank >= 2,
        "packPaddedSequence: input shape \(input.shape) should be \(batchFirst ? "[batch, seq, *]" : "[seq, batch, *]")")
    let steps = input.shape[batchFirst ? 1 : 0], batch = input.shape[batchFirst ? 0 : 1]
    precondition(
        lengths.count == batch,
        "packPaddedSequence: \(lengths.count) lengths \(lengths) for a batch of \(batch) sequences "
            + "(input shape \(input.shape), batchFirst \(batchFirst))")
    let tooLong = lengths.firstIndex { $0 > steps }
    precondition(
        tooLong == nil,
        "packPaddedSequence: length \(lengths[tooLong ?? 0]) at index \(tooLong ?? 0) exceeds the \(steps) steps "
            + "of input shape \(input.shape) (batchFirst \(batchFirst)); lengths \(lengths)")
    let layout = PackedLayout(lengths: lengths, enforceSorted: enforceSorted, function: "packPaddedSequence")
    let trailing = Array(input.shape.dropFirst(2))
    let rows = input.reshaped(to: [steps * batch, trailing.reduce(1, *)])
    let data = rows.indexSelect(dim: 0, indices: layout.paddedRows(steps: steps, batch: batch, batchFirst: batchFirst))
    return layout.packed(data.reshaped(to: [layout.positions.count] + trailing))
}
