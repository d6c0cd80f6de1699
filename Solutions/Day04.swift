import Torchlet

/// Reference solutions for Day 4, used as `Solutions.Day4.pack(…)`.
///
/// Each has the signature of its stub in `Lessons/Day04/Exercises.swift`,
/// without `throws` (4.4 keeps it: it calls exercise 1.1, which a student's
/// version calls with `try`). Try the exercise first, then compare.
public enum Day4 {
    /// Exercise 4.1: the batch sizes of a packed batch from its lengths, in
    /// any order: `batchSizes[t]` is the number of sequences longer than `t`.
    ///
    /// ```
    /// lengths [3, 4, 5]  ->  [3, 3, 3, 2, 1]
    /// ```
    public static func batchSizes(lengths: [Int]) -> [Int] {
        let steps = lengths.max() ?? 0
        return (0..<steps).map { t in lengths.filter { $0 > t }.count }
    }

    /// Exercise 4.2: packs scalar sequences in any order, like
    /// `packSequence(_:enforceSorted: false)`.
    ///
    /// - Precondition: every sequence has at least one value.
    public static func pack(_ sequences: [[Float]]) -> (data: [Float], batchSizes: [Int], sortedIndices: [Int]) {
        let lengths = sequences.map(\.count)
        precondition(!lengths.contains(0), "pack: every sequence needs at least one value; lengths \(lengths)")
        // Longest first; a tie keeps the original order (Torchlet's choice; PyTorch's order of ties is unspecified).
        let sortedIndices = lengths.indices.sorted {
            lengths[$0] > lengths[$1] || (lengths[$0] == lengths[$1] && $0 < $1)
        }
        let sizes = batchSizes(lengths: lengths)
        var data: [Float] = []
        data.reserveCapacity(lengths.reduce(0, +))
        // Step by step: at step t the first sizes[t] sequences in sorted order are still running.
        for (t, live) in sizes.enumerated() {
            for k in 0..<live { data.append(sequences[sortedIndices[k]][t]) }
        }
        return (data, sizes, sortedIndices)
    }

    /// Exercise 4.3: unpacks scalar packed data into padded rows in the
    /// original order, like `padPackedSequence(_:batchFirst: true,
    /// paddingValue:totalLength:)`.
    ///
    /// - Precondition: `totalLength`, when given, is at least the longest length.
    public static func unpack(
        data: [Float], batchSizes: [Int], unsortedIndices: [Int], totalLength: Int?, paddingValue: Float
    ) -> (padded: [[Float]], lengths: [Int]) {
        let batch = batchSizes.first ?? 0
        let steps = totalLength ?? batchSizes.count
        precondition(
            steps >= batchSizes.count,
            "unpack: totalLength \(steps) is shorter than the longest sequence, \(batchSizes.count) steps")
        // Deal the packed rows out again: step t holds one value for each of the first batchSizes[t] sorted sequences.
        var sortedRows = [[Float]](repeating: [], count: batch)
        var offset = 0
        for live in batchSizes {
            for k in 0..<live { sortedRows[k].append(data[offset + k]) }
            offset += live
        }
        // Original sequence b sits at sorted position unsortedIndices[b].
        let rows = unsortedIndices.map { sortedRows[$0] }
        let padded = rows.map { $0 + [Float](repeating: paddingValue, count: steps - $0.count) }
        return (padded, rows.map(\.count))
    }

    /// Exercise 4.4: the final state of every sequence of a packed batch, from exercise 1.1's cell step.
    ///
    /// It throws because a student's version calls their own (throwing)
    /// `lstmCellStep`; this one calls the reference through ``lstmCellStep(_:_:weightIH:weightHH:biasIH:biasHH:)``.
    public static func packedFinalState(
        _ packed: PackedSequence, weightIH: Tensor, weightHH: Tensor, biasIH: Tensor, biasHH: Tensor
    ) throws -> LSTMState {
        let hidden = weightHH.shape[1]
        var h = Tensor.zeros([packed.batchSizes[0], hidden]), c = Tensor.zeros([packed.batchSizes[0], hidden])
        var endedH: [Tensor] = [], endedC: [Tensor] = []  // the rows of sequences that ended, later ones first
        var offset = 0
        for size in packed.batchSizes {
            let running = h.shape[0]
            if size < running {  // sorted positions size..<running ended at the previous step
                endedH.insert(h.narrowed(dim: 0, start: size, length: running - size), at: 0)
                endedC.insert(c.narrowed(dim: 0, start: size, length: running - size), at: 0)
                h = h.narrowed(dim: 0, start: 0, length: size)
                c = c.narrowed(dim: 0, start: 0, length: size)
            }
            let x = packed.data.narrowed(dim: 0, start: offset, length: size)
            (h, c) = try lstmCellStep(x, (h, c), weightIH: weightIH, weightHH: weightHH, biasIH: biasIH, biasHH: biasHH)
            offset += size
        }
        let sortedH = Tensor(concatenating: [h] + endedH, dim: 0), sortedC = Tensor(concatenating: [c] + endedC, dim: 0)
        guard let unsorted = packed.unsortedIndices else { return (sortedH, sortedC) }
        return (sortedH.indexSelect(dim: 0, indices: unsorted), sortedC.indexSelect(dim: 0, indices: unsorted))
    }

    /// Exercise 1.1's reference under the name exercise 4.4 calls, so that 4.4 reads as a student writes it.
    static func lstmCellStep(
        _ input: Tensor, _ state: LSTMState, weightIH: Tensor, weightHH: Tensor, biasIH: Tensor, biasHH: Tensor
    ) throws -> LSTMState {
        Day1.lstmCellStep(input, state, weightIH: weightIH, weightHH: weightHH, biasIH: biasIH, biasHH: biasHH)
    }
}
