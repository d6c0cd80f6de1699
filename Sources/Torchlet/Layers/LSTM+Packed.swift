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
        stack.checkPacked(input)
        // Checked in the caller's order: a state of the wrong batch must not
        // slip through the permutation.
        if let state { stack.checkState([state.h, state.c], batch: input.batchSize, packed: true) }
        let initial = state.map { (input.toSortedOrder($0.h), input.toSortedOrder($0.c)) }
        let (data, h, c) = run(input.data, batchSizes: input.batchSizes, batch: input.batchSize, initial)
        return (input.replacing(data: data), (input.toCallerOrder(h), input.toCallerOrder(c)))
    }
}
