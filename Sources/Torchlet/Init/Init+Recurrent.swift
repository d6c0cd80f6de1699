extension Init {
    /// Fills each gate's block of a recurrent weight with its own orthogonal matrix.
    ///
    /// ```
    /// weight = [W_i; W_f; W_g; W_o]     [4H, H] for an LSTM (gate order i, f, g, o)
    /// W_gate = orthogonal(H × H, gain)  for each block, drawn in order
    /// ```
    /// `orthogonal` on the whole `[4H, H]` matrix would make its four blocks
    /// jointly orthonormal, so no single block — the matrix one gate
    /// actually multiplies `h` by — is orthogonal. Here every block is:
    /// `W_gateᵀ W_gate = gain² I`. Use `gates: 3` for a GRU's `[3H, H]`.
    ///
    /// ```swift
    /// let lstm = LSTM(inputSize: 2, hiddenSize: 64)
    /// Init.orthogonalPerGate(lstm.namedParameters().first { $0.name == "weight_hh_l0" }!.tensor)
    /// ```
    ///
    /// - Precondition: `weight` is 2-D and its rows split into `gates` equal blocks.
    @discardableResult
    public static func orthogonalPerGate(
        _ weight: Tensor, gates: Int = 4, gain: Float = 1, generator: Generator = .default
    ) -> Tensor {
        precondition(
            weight.rank == 2 && gates > 0 && weight.shape[0] % gates == 0,
            "Init.orthogonalPerGate: shape \(weight.shape) does not split into \(gates) gate blocks [H, H]")
        let blockRows = weight.shape[0] / gates
        let cols = weight.shape[1]
        if weight.count == 0 { return weight }
        var values: [Float] = []
        values.reserveCapacity(weight.count)
        for _ in 0..<gates {
            let gaussian = (0..<(blockRows * cols)).map { _ in generator.nextNormal() }
            values += orthogonalFactor(of: gaussian, rows: blockRows, cols: cols).map { gain * $0 }
        }
        assign(weight, values, op: "Init.orthogonalPerGate")
        return weight
    }

    /// Fills every recurrent weight (`weight_hh…`) of `module` block by block with `orthogonalPerGate`.
    ///
    /// ```
    /// for each parameter named weight_hh, weight_hh_l0, weight_hh_l1_reverse, …:
    ///     orthogonalPerGate(parameter, gates, gain)
    /// ```
    /// Works for `LSTMCell` and `LSTM` (every layer and direction), in the
    /// order of `namedParameters()`; other parameters are untouched.
    ///
    /// - Returns: the names of the parameters it filled.
    @discardableResult
    public static func orthogonalRecurrentWeights(
        of module: Module, gates: Int = 4, gain: Float = 1, generator: Generator = .default
    ) -> [String] {
        var filled: [String] = []
        for (name, tensor) in module.namedParameters() where name.split(separator: ".").last?.hasPrefix("weight_hh") == true {
            orthogonalPerGate(tensor, gates: gates, gain: gain, generator: generator)
            filled.append(name)
        }
        return filled
    }
}
