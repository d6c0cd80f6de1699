/// Running an LSTM over a packed batch.
extension LSTM {
    /// Runs the LSTM over a packed batch of variable-length sequences, like
    /// `nn.LSTM` called with a `PackedSequence`.
    ///
    /// At step `t` only the `batchSizes[t]` sequences still running are
    /// computed, so padding never enters the recurrence: each sequence's
    /// final state is the state after its own last step (and, for the
    /// reverse direction, it starts at its own last step).
    ///
    /// The state is in the caller's batch order. Inside, the batch is in
    /// sorted order, so as in PyTorch the initial state is permuted with
    /// `sortedIndices` and the final state permuted back with
    /// `unsortedIndices`:
    ///
    /// ```
    /// h0 [L·D, B, H] --indexSelect(dim 1, sortedIndices)--> kernel
    ///     --> h_n --indexSelect(dim 1, unsortedIndices)--> [L·D, B, H]
    /// ```
    ///
    /// `batchFirst` does not apply: packed data has no batch dimension.
    ///
    /// - Returns: the last layer's outputs as a packed sequence with the
    ///   input's `batchSizes`, `sortedIndices` and `unsortedIndices` (data
    ///   `[N, D·H]`; unpack it with `padPackedSequence`), and the final
    ///   state `(h_n, c_n)`, each `[numLayers·D, B, H]` in the caller's order.
    /// - Precondition: `input.data` is `[N, inputSize]`; `state` tensors are
    ///   `[numLayers·D, B, H]` with `B = input.batchSizes[0]`.
    public func callAsFunction(_ input: PackedSequence, _ state: LSTMState? = nil) -> (output: PackedSequence, state: LSTMState) {
        precondition(
            input.data.rank == 2 && input.data.shape[1] == inputSize,
            "LSTM: packed data shape \(input.data.shape) should be [\(input.data.shape.first ?? 0), \(inputSize)] "
                + "(rows, inputSize); batchSizes \(input.batchSizes)")
        let expected = [numLayers * numDirections, input.batchSize, hiddenSize]
        var initial = state
        if let state {
            precondition(
                state.h.shape == expected && state.c.shape == expected,
                "LSTM: initial state shapes \(state.h.shape), \(state.c.shape) should be \(expected) "
                    + "for a packed batch of \(input.batchSize) sequences")
            if let sorted = input.sortedIndices {
                initial = (state.h.indexSelect(dim: 1, indices: sorted), state.c.indexSelect(dim: 1, indices: sorted))
            }
        }
        let (data, hSorted, cSorted) = run(input.data, batchSizes: input.batchSizes, batch: input.batchSize, initial)
        var h = hSorted, c = cSorted
        if let unsorted = input.unsortedIndices {
            h = h.indexSelect(dim: 1, indices: unsorted)
            c = c.indexSelect(dim: 1, indices: unsorted)
        }
        return (input.replacing(data: data), (h, c))
    }
}
