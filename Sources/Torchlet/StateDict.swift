import Foundation

/// A model's parameters by name, saved to and loaded from a file, like
/// PyTorch's `state_dict()` / `load_state_dict()` with `torch.save`.
///
/// The file is JSON: `{"format": "torchlet-state-dict", "tensors": [{"name",
/// "shape", "data"}]}`, readable by any language.
public struct StateDict {
    /// The tensors in the module's parameter order.
    public var entries: [(name: String, tensor: Tensor)]

    /// Creates a state dict from named tensors.
    public init(_ entries: [(name: String, tensor: Tensor)]) {
        self.entries = entries
    }

    /// The tensor called `name`, if any.
    public subscript(name: String) -> Tensor? {
        entries.first { $0.name == name }?.tensor
    }

    /// Writes the state dict to `path` as JSON.
    public func save(to path: String) throws {
        let tensors: [[String: Any]] = entries.map {
            ["name": $0.name, "shape": $0.tensor.shape, "data": $0.tensor.scalars.map { Double($0) }]
        }
        let object: [String: Any] = ["format": "torchlet-state-dict", "version": 1, "tensors": tensors]
        let data = try JSONSerialization.data(withJSONObject: object)
        do {
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            throw StateDictError(path: path, problem: "cannot write: \(error.localizedDescription)")
        }
    }

    /// Reads a state dict written by `save(to:)`.
    public static func load(from path: String) throws -> StateDict {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StateDictError(path: path, problem: "cannot read the file (missing or unreadable)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              object["format"] as? String == "torchlet-state-dict",
              let tensors = object["tensors"] as? [[String: Any]]
        else {
            throw StateDictError(path: path, problem: "not a Torchlet state dict (expected JSON with format \"torchlet-state-dict\")")
        }
        var entries: [(name: String, tensor: Tensor)] = []
        for (k, item) in tensors.enumerated() {
            guard let name = item["name"] as? String,
                  let shape = item["shape"] as? [Int],
                  let values = item["data"] as? [Double],
                  values.count == shape.reduce(1, *)
            else {
                throw StateDictError(path: path, problem: "tensor #\(k) is malformed (needs name, shape and data of matching size)")
            }
            entries.append((name, Tensor(values.map { Float($0) }, shape: shape)))
        }
        return StateDict(entries)
    }
}

/// A problem with a state dict file or its contents; the description names
/// the file and what was expected.
public struct StateDictError: Error, CustomStringConvertible {
    public let path: String
    public let problem: String
    public var description: String { "\(path): \(problem)" }
}

extension Module {
    /// A copy of every parameter by name, like `module.state_dict()`.
    public func stateDict() -> StateDict {
        StateDict(namedParameters().map { ($0.name, Tensor($0.tensor.scalars, shape: $0.tensor.shape)) })
    }

    /// Copies values from `stateDict` into this module's parameters, in
    /// place, like `module.load_state_dict(strict=True)`.
    ///
    /// - Throws: `StateDictError` naming each missing or unexpected key and
    ///   each shape mismatch; nothing is changed then.
    public func loadStateDict(_ stateDict: StateDict, source: String = "state dict") throws {
        let own = namedParameters()
        var problems: [String] = []
        for (name, tensor) in own {
            guard let value = stateDict[name] else {
                problems.append("missing key \(name)")
                continue
            }
            if value.shape != tensor.shape {
                problems.append("\(name): shape \(value.shape) in the file, \(tensor.shape) in the model")
            }
        }
        let ownNames = Set(own.map(\.name))
        for (name, _) in stateDict.entries where !ownNames.contains(name) {
            problems.append("unexpected key \(name)")
        }
        guard problems.isEmpty else {
            throw StateDictError(path: source, problem: problems.joined(separator: "; "))
        }
        for (name, tensor) in own {
            tensor.scalars = stateDict[name]!.scalars
        }
    }

    /// Saves this module's parameters to `path`.
    public func save(to path: String) throws {
        try stateDict().save(to: path)
    }

    /// Loads this module's parameters from a file written by `save(to:)`.
    public func load(from path: String) throws {
        try loadStateDict(StateDict.load(from: path), source: path)
    }
}
