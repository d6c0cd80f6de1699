/// Adam's and AdamW's state: the learning rate and, for each parameter
/// that has taken a step, its step count (`state.<k>.step`) and moments
/// (`state.<k>.exp_avg` = m, `state.<k>.exp_avg_sq` = v), as in
/// `torch.optim.Adam.state_dict()`.
extension Adam {
    /// "Adam" or "AdamW".
    private var typeName: String { decoupledWeightDecay ? "AdamW" : "Adam" }

    /// The settings as saved, so that loading can check them.
    private var settings: KeyValuePairs<String, String> {
        ["beta1": beta1.description, "beta2": beta2.description, "eps": epsilon.description,
         "weight_decay": weightDecay.description]
    }

    public func stateDict() -> StateDict {
        var state = stateDictHeader(type: typeName, settings: settings)
        for k in parameters.indices where steps[k] > 0 {
            let shape = parameters[k].shape
            state.setScalar(steps[k], forKey: Self.stateKey(k, "step"))
            state.entries.append((Self.stateKey(k, "exp_avg"), Tensor(m[k], shape: shape)))
            state.entries.append((Self.stateKey(k, "exp_avg_sq"), Tensor(v[k], shape: shape)))
        }
        return state
    }

    public func loadStateDict(_ stateDict: StateDict, source: String = "optimizer state") throws {
        let lr = try checkedLearningRate(
            in: stateDict, type: typeName, settings: settings, fields: ["exp_avg", "exp_avg_sq"], source: source)
        // Read everything first, so that a missing key changes nothing.
        var (newM, newV, newSteps) = (m, v, steps)
        for k in parameters.indices {
            let stepKey = Self.stateKey(k, "step")
            let step: Int = stateDict.metadata[stepKey] == nil ? 0 : try stateDict.scalar(stepKey, source: source)
            guard step >= 0 else {
                throw StateDictError(path: source, key: stepKey, problem: "step \(step) is negative")
            }
            newSteps[k] = step
            newM[k] = try savedMoment("exp_avg", of: k, step: step, in: stateDict, source: source)
            newV[k] = try savedMoment("exp_avg_sq", of: k, step: step, in: stateDict, source: source)
        }
        (learningRate, m, v, steps) = (lr, newM, newV, newSteps)
    }

    /// Parameter k's saved moment `field`: present exactly when it has
    /// taken a step (zeros before, as a fresh optimizer has).
    private func savedMoment(_ field: String, of k: Int, step: Int, in state: StateDict, source: String) throws -> [Float] {
        let key = Self.stateKey(k, field)
        switch (state[key], step) {
        case (nil, 0): return [Float](repeating: 0, count: parameters[k].count)
        case (let tensor?, 1...): return tensor.scalars  // its shape was checked with the settings
        case (nil, _): throw StateDictError(path: source, key: key, problem: "missing, but state.\(k).step is \(step)")
        case (_?, _): throw StateDictError(path: source, key: key, problem: "saved, but state.\(k).step is missing")
        }
    }
}
