extension Checkpoint {
    /// Puts the saved state into freshly made objects (made with the same
    /// shapes and settings as the saved ones): the model's parameters, the
    /// optimizer's buffers and learning rate, the scheduler's counters and
    /// the generator's state. Pass only what you want restored: the model
    /// alone, to evaluate it.
    ///
    /// All or nothing: if any part fails, every object passed is put back
    /// as it was.
    ///
    /// - Throws: `StateDictError` naming the file and the missing,
    ///   unexpected or mismatched key (`optimizer.state.0.exp_avg`,
    ///   `scheduler.gamma`, …), or the part the checkpoint lacks.
    public func restore(
        into model: Module, optimizer: Optimizer? = nil, scheduler: LRScheduler? = nil, generator: Generator? = nil
    ) throws {
        let before = (model.stateDict(), optimizer?.stateDict(), scheduler?.stateDict(), generator?.state)
        do {
            try restorePart("model.", into: model.loadStateDict, from: self.model)
            if let optimizer { try restorePart("optimizer.", into: optimizer.loadStateDict, from: self.optimizer) }
            if let scheduler { try restorePart("scheduler.", into: scheduler.loadStateDict, from: self.scheduler) }
            if let generator {
                guard let generatorState else {
                    throw StateDictError(path: source, key: "generator_state", problem: "missing: the checkpoint has no generator state")
                }
                generator.state = generatorState
            }
        } catch {
            // Loading an object's own state cannot fail.
            try? model.loadStateDict(before.0)
            if let optimizer, let state = before.1 { try? optimizer.loadStateDict(state, source: "") }
            if let scheduler, let state = before.2 { try? scheduler.loadStateDict(state, source: "") }
            if let generator, let state = before.3 { generator.state = state }
            throw error
        }
    }

    /// Loads `part` with `load`, naming the file and the full key
    /// (`prefix` + key) in any error.
    private func restorePart(
        _ prefix: String, into load: (StateDict, String) throws -> Void, from part: StateDict?
    ) throws {
        let name = String(prefix.dropLast())
        guard let part else {
            throw StateDictError(path: source, problem: "the checkpoint has no \(name) state (no \(prefix)… keys)")
        }
        do {
            try load(part, source)
        } catch let error as StateDictError {
            if let key = error.key {
                throw StateDictError(path: source, key: prefix + key, problem: error.problem)
            }
            throw StateDictError(path: source, problem: "\(name): \(error.problem)")
        }
    }
}
