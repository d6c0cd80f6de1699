/// How an optimizer's state is named in a `StateDict`: PyTorch's
/// `optimizer.state_dict()`, flattened into tensors and metadata.
///
/// ```
/// metadata  type             "SGD", "Adam" or "AdamW"
///           param_count      the number of parameters
///           lr               the learning rate now (schedulers change it)
///           momentum, …      the settings, checked when loading
///           state.<k>.step   Adam's step count for parameter k
/// tensors   state.<k>.momentum_buffer               SGD
///           state.<k>.exp_avg, state.<k>.exp_avg_sq Adam, AdamW
/// ```
///
/// `k` is the parameter's position in `optimizer.parameters`. As in
/// PyTorch, a parameter has state only once it has taken a step.
extension Optimizer {
    /// The key of parameter `k`'s state `field`: `state.<k>.<field>`.
    static func stateKey(_ k: Int, _ field: String) -> String {
        "state.\(k).\(field)"
    }

    /// A state dict with the optimizer's type, parameter count, learning
    /// rate and `settings` in its metadata, and no tensors yet.
    func stateDictHeader(type: String, settings: KeyValuePairs<String, String>) -> StateDict {
        var state = StateDict(type: type, settings: settings)
        state.setScalar(parameters.count, forKey: "param_count")
        state.setScalar(learningRate, forKey: "lr")
        return state
    }

    /// Checks a saved state against this optimizer, before anything is
    /// changed: its type, parameter count and settings, and that every
    /// tensor is `state.<k>.<field>` with a known field and parameter k's
    /// shape. Returns the saved learning rate.
    ///
    /// - Throws: `StateDictError` naming `source` and the first key that is
    ///   missing, unexpected or mismatched.
    func checkedLearningRate(
        in state: StateDict, type: String, settings: KeyValuePairs<String, String>, fields: Set<String>,
        source: String
    ) throws -> Float {
        try state.checkType(type, settings: settings, source: source)
        let count: Int = try state.scalar("param_count", source: source)
        guard count == parameters.count else {
            throw StateDictError(path: source, key: "param_count",
                                 problem: "saved for \(count) parameters, but this optimizer has \(parameters.count)")
        }
        for (name, tensor) in state.entries {
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0] == "state", let k = Int(parts[1]), parameters.indices.contains(k),
                  fields.contains(String(parts[2]))
            else {
                throw StateDictError(
                    path: source, key: name,
                    problem: "unexpected key for \(type) with \(parameters.count) parameters "
                        + "(expected state.<0..<\(parameters.count)>.<\(fields.sorted().joined(separator: "|"))>)")
            }
            guard tensor.shape == parameters[k].shape else {
                throw StateDictError(
                    path: source, key: name,
                    problem: "shape \(tensor.shape) saved, but parameter \(k) has shape \(parameters[k].shape)")
            }
        }
        return try state.scalar("lr", source: source)
    }
}
