/// Unpacks a packed sequence into a padded tensor and the lengths, like
/// `torch.nn.utils.rnn.pad_packed_sequence`; the inverse of
/// `packPaddedSequence`.
///
/// Rows come back in the original batch order (through `unsortedIndices`),
/// and the steps after each sequence's end hold `paddingValue`:
///
/// ```
/// data [a0 c0 b0 | a1 c1 | a2]           result [T, B, *]     lengths
/// batchSizes [3, 2, 1]             ->      a0 b0 c0             [3, 1, 2]
/// sortedIndices [0, 2, 1]                  a1 ·  c1
///                                          a2 ·  ·
/// ```
///
/// Gradients flow back to `sequence.data` (padding gets none).
///
/// - Parameters:
///   - sequence: the packed batch.
///   - batchFirst: return `[B, T, *]` instead of `[T, B, *]`.
///   - paddingValue: the value of the padded positions.
///   - totalLength: pad to this many steps instead of the longest length
///     (useful to get back the exact `T` of a padded input).
/// - Returns: the padded tensor and each sequence's length, in the original
///   batch order.
/// - Precondition: `totalLength`, when given, is at least the longest
///   length.
public func padPackedSequence(
    _ sequence: PackedSequence, batchFirst: Bool = false, paddingValue: Float = 0, totalLength: Int? = nil
) -> (Tensor, lengths: [Int]) {
    let longest = sequence.batchSizes.count
    if let totalLength {
        precondition(
            totalLength >= longest,
            "padPackedSequence: expected totalLength to be at least the length of the longest sequence in the input, "
                + "but got totalLength \(totalLength) and a longest length of \(longest)")
    }
    let steps = totalLength ?? longest, batch = sequence.batchSize
    let layout = PackedLayout(sequence)
    let trailing = Array(sequence.data.shape.dropFirst())
    let rows = sequence.data.reshaped(to: [layout.positions.count, trailing.reduce(1, *)])
    let padded = rows.scatteredRows(
        count: steps * batch, at: layout.paddedRows(steps: steps, batch: batch, batchFirst: batchFirst), fill: paddingValue,
        op: "padPackedSequence")
    return (padded.reshaped(to: (batchFirst ? [batch, steps] : [steps, batch]) + trailing), sequence.lengths)
}
