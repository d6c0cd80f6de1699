/// SGD's state: its learning rate and each parameter's momentum buffer
/// (`state.<k>.momentum_buffer`, once parameter k has taken a step with
/// momentum), as in `torch.optim.SGD.state_dict()`.
extension SGD {
    /// SGD's settings as saved, so that loading can check them.
    private var settings: KeyValuePairs<String, String> {
        ["momentum": momentum.description, "dampening": dampening.description,
         "weight_decay": weightDecay.description, "nesterov": nesterov.description]
    }

    public func stateDict() -> StateDict {
        var state = stateDictHeader(type: "SGD", settings: settings)
        for (k, buffer) in buffers.enumerated() {
            guard let buffer else { continue }
            state.entries.append((Self.stateKey(k, "momentum_buffer"), Tensor(buffer, shape: parameters[k].shape)))
        }
        return state
    }

    public func loadStateDict(_ stateDict: StateDict, source: String = "optimizer state") throws {
        let lr = try checkedLearningRate(
            in: stateDict, type: "SGD", settings: settings, fields: ["momentum_buffer"], source: source)
        learningRate = lr
        buffers = parameters.indices.map { stateDict[Self.stateKey($0, "momentum_buffer")]?.scalars }
    }
}
