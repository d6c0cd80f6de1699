/// A snapshot of a training run (the model's parameters, the optimizer's
/// state, the scheduler's state, the epoch and a random generator's state)
/// that saves to one file and restores into freshly made objects, so that
/// training resumed from it continues bit for bit as if it had never
/// stopped.
///
/// ```swift
/// // at the end of an epoch, after scheduler.step():
/// try Checkpoint(model: model, optimizer: optimizer, scheduler: scheduler,
///                epoch: epoch + 1, generator: loaderGenerator).save(to: "run.ckpt")
///
/// // later, maybe in another process, with objects made as before:
/// let checkpoint = try Checkpoint.load(from: "run.ckpt")
/// try checkpoint.restore(into: model, optimizer: optimizer, scheduler: scheduler, generator: loaderGenerator)
/// for epoch in checkpoint.epoch..<epochs { … }
/// ```
///
/// The `generator` is the one whose stream training still draws from (a
/// shuffling `DataLoader`'s, or dropout's); the restored one continues
/// where the saved one stopped. The file is safetensors, written
/// atomically like `StateDict.save(to:)`, with this naming scheme:
///
/// ```
/// tensors   model.<name>          the model's parameters: model.lstm.weight_ih_l0, …
///           optimizer.<name>      the optimizer's buffers: optimizer.state.0.exp_avg, …
/// metadata  torchlet_checkpoint   "1", the version of this scheme
///           epoch                 the epoch to resume at
///           generator_state       the generator's four words: "123,456,789,12"
///           optimizer.<key>       the optimizer's numbers: optimizer.lr, optimizer.state.0.step, …
///           scheduler.<key>       the scheduler's numbers: scheduler.last_epoch, …
/// ```
///
/// PyTorch reads the tensors with `safetensors.torch.load_file` and the
/// numbers with `safe_open(path, "pt").metadata()`.
public struct Checkpoint {
    /// The model's parameters.
    public var model: StateDict
    /// The optimizer's state (see `Optimizer+StateDict.swift`), if saved.
    public var optimizer: StateDict?
    /// The scheduler's state, if saved.
    public var scheduler: StateDict?
    /// The epoch to resume at: the number of epochs finished.
    public var epoch: Int
    /// The generator's `state`, if saved.
    public var generatorState: [UInt64]?
    /// Where the checkpoint was loaded from, for error messages.
    public var source = "checkpoint"

    /// The version of the naming scheme, stored as `torchlet_checkpoint`.
    static let version = "1"
}

extension Checkpoint {
    /// Takes a snapshot of everything training needs to resume: copies, so
    /// training may go on before it is saved.
    ///
    /// - Precondition: `epoch >= 0`.
    public init(
        model: Module, optimizer: Optimizer? = nil, scheduler: LRScheduler? = nil, epoch: Int, generator: Generator? = nil
    ) {
        precondition(epoch >= 0, "Checkpoint: epoch \(epoch) must not be negative")
        self.init(
            model: model.stateDict(), optimizer: optimizer?.stateDict(), scheduler: scheduler?.stateDict(),
            epoch: epoch, generatorState: generator?.state)
    }

    /// Writes the checkpoint to `path` as one safetensors file, atomically:
    /// a failed or interrupted save leaves the previous file as it was.
    ///
    /// - Throws: `StateDictError` naming the file and the reason.
    public func save(to path: String) throws {
        var file = StateDict(model.entries.map { ("model." + $0.name, $0.tensor) })
        file.metadata["torchlet_checkpoint"] = Self.version
        file.setScalar(epoch, forKey: "epoch")
        if let generatorState {
            file.metadata["generator_state"] = generatorState.map(String.init).joined(separator: ",")
        }
        for (prefix, part) in [("optimizer.", optimizer), ("scheduler.", scheduler)] {
            guard let part else { continue }
            file.entries += part.entries.map { (prefix + $0.name, $0.tensor) }
            for (key, value) in part.metadata { file.metadata[prefix + key] = value }
        }
        try file.save(to: path)
    }

    /// Reads a checkpoint written by `save(to:)`.
    ///
    /// - Throws: `StateDictError` naming the file and the key that is
    ///   missing or unexpected, or saying that the file is not a checkpoint.
    public static func load(from path: String) throws -> Checkpoint {
        let file = try StateDict.load(from: path)
        guard let version = file.metadata["torchlet_checkpoint"] else {
            throw StateDictError(
                path: path,
                problem: "not a Torchlet checkpoint (no torchlet_checkpoint in its metadata); "
                    + "a model's state dict loads with model.load(from:)")
        }
        guard version == Self.version else {
            throw StateDictError(path: path, key: "torchlet_checkpoint",
                                 problem: "version \(version), but this Torchlet reads version \(Self.version)")
        }
        var parts = ["model.": StateDict([]), "optimizer.": StateDict([]), "scheduler.": StateDict([])]
        for (name, tensor) in file.entries {
            guard let prefix = ["model.", "optimizer."].first(where: name.hasPrefix) else {
                throw StateDictError(path: path, key: name, problem: "unexpected tensor (expected model.… or optimizer.…)")
            }
            parts[prefix]!.entries.append((String(name.dropFirst(prefix.count)), tensor))
        }
        for (key, value) in file.metadata where !["format", "torchlet_checkpoint", "epoch", "generator_state"].contains(key) {
            guard let prefix = ["optimizer.", "scheduler."].first(where: key.hasPrefix) else {
                throw StateDictError(path: path, key: key, problem: "unexpected metadata key")
            }
            parts[prefix]!.metadata[String(key.dropFirst(prefix.count))] = value
        }
        let epoch: Int = try file.scalar("epoch", source: path)
        guard epoch >= 0 else { throw StateDictError(path: path, key: "epoch", problem: "\(epoch) is negative") }
        func saved(_ prefix: String) -> StateDict? {
            let part = parts[prefix]!
            return part.entries.isEmpty && part.metadata.isEmpty ? nil : part
        }
        return Checkpoint(
            model: parts["model."]!, optimizer: saved("optimizer."), scheduler: saved("scheduler."), epoch: epoch,
            generatorState: try generatorState(file.metadata["generator_state"], path: path), source: path)
    }

    /// Parses `generator_state`: four comma-separated words, not all zero.
    private static func generatorState(_ text: String?, path: String) throws -> [UInt64]? {
        guard let text else { return nil }
        let words = text.split(separator: ",", omittingEmptySubsequences: false).compactMap { UInt64($0) }
        guard words.count == 4, words.contains(where: { $0 != 0 }) else {
            throw StateDictError(path: path, key: "generator_state",
                                 problem: "'\(text)' is not four comma-separated 64-bit words, not all zero")
        }
        return words
    }
}
