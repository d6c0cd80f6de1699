/// Running a GRU over a packed batch.
extension GRU {
    /// Runs the GRU over a packed batch of variable-length sequences, like
    /// `nn.GRU` called with a `PackedSequence`.
    ///
    /// As for `LSTM`: at step `t` only the `batchSizes[t]` sequences still
    /// running are computed, each sequence's final state is the state after
    /// its own last step (the reverse direction starts at its own last
    /// step), and the state is in the caller's batch order (permuted with
    /// `sortedIndices` on the way in and `unsortedIndices` on the way out).
    /// `batchFirst` does not apply.
    ///
    /// - Returns: the last layer's outputs as a packed sequence with the
    ///   input's `batchSizes`, `sortedIndices` and `unsortedIndices` (data
    ///   `[N, D·H]`), and the final hidden state `h` (PyTorch's `h_n`),
    ///   `[numLayers·D, B, H]` in the caller's order.
    /// - Precondition: `input.data` is `[N, inputSize]`; `h0` is
    ///   `[numLayers·D, B, H]` with `B = input.batchSizes[0]`.
    public func callAsFunction(_ input: PackedSequence, _ h0: Tensor? = nil) -> (output: PackedSequence, h: Tensor) {
        stack.checkPacked(input)
        // Checked in the caller's order: a state of the wrong batch must not
        // slip through the permutation.
        if let h0 { stack.checkState([h0], batch: input.batchSize, packed: true) }
        let (data, h) = run(input.data, batchSizes: input.batchSizes, batch: input.batchSize, h0.map(input.toSortedOrder))
        return (input.replacing(data: data), input.toCallerOrder(h))
    }
}
