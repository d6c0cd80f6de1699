import Foundation

/// A model's parameters by name, saved to and loaded from a file, like
/// PyTorch's `state_dict()` / `load_state_dict()` with
/// `safetensors.torch.save_file` / `load_file`.
///
/// Files are written in the [safetensors](https://huggingface.co/docs/safetensors)
/// format, the one PyTorch users exchange weights in: a model saved here
/// loads in PyTorch under the same names (`weight_ih_l0`, `lstm.bias_hh_l1`,
/// …), and a file written by PyTorch loads here. Legacy Torchlet JSON files
/// are still read (and written on request, `format: .json`).
///
/// ```swift
/// try model.save(to: "tagger.safetensors")
/// try model.load(from: "tagger.safetensors")
/// ```
///
/// Saving is atomic: the file is written next to the target, flushed to
/// disk and renamed over it, so a failed or interrupted save leaves the
/// previous checkpoint as it was. Loading never crashes: every problem in a
/// file is a `StateDictError` naming the file, the key and what was wrong.
public struct StateDict {
    /// The tensors in the module's parameter order.
    public var entries: [(name: String, tensor: Tensor)]

    /// The safetensors `__metadata__` string map, like the `metadata`
    /// argument of `save_file`. Saving adds `"format": "pt"` unless set.
    public var metadata: [String: String]

    /// Creates a state dict from named tensors.
    public init(_ entries: [(name: String, tensor: Tensor)], metadata: [String: String] = [:]) {
        self.entries = entries
        self.metadata = metadata
    }

    /// The tensor called `name`, if any.
    public subscript(name: String) -> Tensor? {
        entries.first { $0.name == name }?.tensor
    }
}

/// A state dict file format.
public enum StateDictFormat: Sendable {
    /// safetensors: an 8-byte header length, a JSON header, raw
    /// little-endian float32 data. Compact, exact (NaN and infinity
    /// round-trip bit for bit) and readable by PyTorch.
    case safetensors
    /// Torchlet's legacy JSON (`{"format": "torchlet-state-dict", "version": 1,
    /// "tensors": [{"name", "shape", "data"}]}`): readable in any text editor,
    /// about four times larger; refuses NaN and infinity.
    case json
}

extension StateDict {
    /// The bytes of the state dict in `format`.
    ///
    /// - Throws: `StateDictError` naming `path` and the parameter when a
    ///   value cannot be written (NaN or infinity in JSON).
    public func encoded(as format: StateDictFormat = .safetensors, path: String = "state dict") throws -> Data {
        switch format {
        case .safetensors: return safetensorsData()
        case .json: return try legacyJSONData(path: path)
        }
    }

    /// Writes the state dict to `path`, atomically: the previous file at
    /// `path`, if any, stays intact unless the new one is completely written.
    ///
    /// - Throws: `StateDictError` naming the file and the reason.
    public func save(to path: String, format: StateDictFormat = .safetensors) throws {
        try Self.writeAtomically(encoded(as: format, path: path), to: path)
    }

    /// Reads a state dict file: safetensors, or Torchlet's legacy JSON.
    ///
    /// - Throws: `StateDictError` naming the file, the key and what is wrong;
    ///   it never crashes on a damaged or hostile file.
    public static func load(from path: String) throws -> StateDict {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw StateDictError(path: path, problem: "no such file")
        }
        guard !isFolder.boolValue else {
            throw StateDictError(path: path, problem: "is a folder, not a state dict file")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw StateDictError(path: path, problem: "cannot read the file: \(error.localizedDescription)")
        }
        return try StateDict(data: data, path: path)
    }

    /// Reads a state dict from the bytes of a file; `path` names it in errors.
    ///
    /// The format is detected from the first bytes: a JSON file starts with
    /// `{`, a safetensors file with its 8-byte header length.
    public init(data: Data, path: String = "state dict") throws {
        guard !data.isEmpty else {
            throw StateDictError(path: path, problem: "the file is empty (0 bytes); expected a safetensors or Torchlet JSON state dict")
        }
        if Self.startsLikeJSON(data) && !Self.startsLikeSafetensors(data) {
            self = try Self.legacyJSON(data, path: path)
        } else {
            self = try Self.safetensors(data, path: path)
        }
    }

    /// Whether the first non-whitespace byte is `{`.
    static func startsLikeJSON(_ data: Data) -> Bool {
        data.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } == UInt8(ascii: "{")
    }
}

extension Module {
    /// A copy of every parameter by name, like `module.state_dict()`: a
    /// tensor shared under several names (tied weights) appears under each,
    /// as in PyTorch, so a tied model's file loads into a PyTorch model
    /// tied the same way.
    public func stateDict() -> StateDict {
        StateDict(namedParameters(removingDuplicates: false).map { ($0.name, Tensor($0.tensor.scalars, shape: $0.tensor.shape)) })
    }

    /// Copies values from `stateDict` into this module's parameters, in
    /// place, like `module.load_state_dict(strict=True)`.
    ///
    /// - Throws: `StateDictError` naming each missing, unexpected or
    ///   duplicated key, each shape mismatch, and each tensor shared under
    ///   several names (tied) whose names hold different values in the
    ///   file; nothing is changed then.
    public func loadStateDict(_ stateDict: StateDict, source: String = "state dict") throws {
        let own = namedParameters(removingDuplicates: false)
        var problems: [String] = []
        var seen = Set<String>()
        for (name, _) in stateDict.entries where !seen.insert(name).inserted {
            problems.append("duplicate key \(name)")
        }
        for (name, tensor) in own {
            guard let value = stateDict[name] else {
                problems.append("missing key \(name)")
                continue
            }
            if value.shape != tensor.shape {
                problems.append("\(name): shape \(value.shape) in the file, \(tensor.shape) in the model")
            } else if value.scalars.count != tensor.scalars.count {
                problems.append("\(name): \(value.scalars.count) values for shape \(value.shape)")
            }
        }
        // A tied tensor is one object: its names must agree, or loading
        // would keep whichever came last.
        var firstName: [ObjectIdentifier: String] = [:]
        for (name, tensor) in own {
            let id = ObjectIdentifier(tensor)
            guard let first = firstName[id] else { firstName[id] = name; continue }
            if let a = stateDict[first], let b = stateDict[name], a.shape == b.shape,
               !a.scalars.elementsEqual(b.scalars, by: { $0.bitPattern == $1.bitPattern }) {
                problems.append("\(first) and \(name) are one tensor in the model (tied) but differ in the file")
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

    /// Saves this module's parameters to `path` (safetensors unless told), atomically.
    public func save(to path: String, format: StateDictFormat = .safetensors) throws {
        try stateDict().save(to: path, format: format)
    }

    /// Loads this module's parameters from a file written by `save(to:)`
    /// or by PyTorch's `safetensors.torch.save_file(model.state_dict(), path)`.
    ///
    /// - Throws: `StateDictError`; no parameter changes then.
    public func load(from path: String) throws {
        try loadStateDict(StateDict.load(from: path), source: path)
    }
}
