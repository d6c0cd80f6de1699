import Foundation

/// A parity fixture computed by PyTorch: one JSON file under
/// `Tests/TorchletTests/Fixtures/`, written by `scripts/make_fixtures.py`
/// (see its header for the format and the naming conventions).
///
/// ```swift
/// let f = try Fixture.load("lstm_1layer")
/// let hidden = try f.int("hiddenSize")
/// let input = try f.values("input")          // shape + row-major floats
/// let target = try f.indices("target")       // integer tensors live in "ints"
/// ```
///
/// The loader does not know Torchlet's `Tensor`; it only hands out shapes
/// and flat arrays.
public struct Fixture: Sendable {
    /// A float tensor: its shape and its elements in row-major order.
    /// A 0-d tensor has `shape == []` and one element.
    public struct Values: Sendable, Equatable {
        public let shape: [Int]
        public let data: [Float]
        public init(shape: [Int], data: [Float]) {
            self.shape = shape
            self.data = data
        }
        /// The single element of a one-element tensor (for example a scalar loss).
        public var scalar: Float? { data.count == 1 ? data[0] : nil }
    }

    /// An integer tensor (class indices, token ids, lengths), row-major.
    public struct Indices: Sendable, Equatable {
        public let shape: [Int]
        public let data: [Int]
        public init(shape: [Int], data: [Int]) {
            self.shape = shape
            self.data = data
        }
    }

    /// A value of the fixture's `config` object.
    public enum ConfigValue: Sendable, Equatable, CustomStringConvertible {
        case int(Int)
        case double(Double)
        case bool(Bool)
        case string(String)

        public var description: String {
            switch self {
            case .int(let v): return String(v)
            case .double(let v): return String(v)
            case .bool(let v): return String(v)
            case .string(let v): return "\"\(v)\""
            }
        }
    }

    /// What went wrong while loading or reading a fixture; the message names
    /// the fixture file and, for a missing key, lists the keys that exist.
    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public let message: String
        public var description: String { message }
    }

    public let name: String
    /// The torch version the fixture was generated with.
    public let torchVersion: String
    /// What PyTorch computed, including the loss definition.
    public let description: String
    public let config: [String: ConfigValue]
    public let tensors: [String: Values]
    public let ints: [String: Indices]
    /// The JSON file this fixture was read from.
    public let path: String

    // MARK: Loading

    /// Loads `<repo>/Tests/TorchletTests/Fixtures/<name>.json`, where `<repo>`
    /// is the nearest directory above `filePath` that contains `Package.swift`.
    public static func load(_ name: String, filePath: StaticString = #filePath) throws -> Fixture {
        let directory = try fixturesDirectory(from: "\(filePath)")
        let file = directory.appendingPathComponent(name + ".json")
        return try load(contentsOf: file, name: name)
    }

    /// Loads a fixture from an explicit file.
    public static func load(contentsOf file: URL, name: String? = nil) throws -> Fixture {
        let path = file.path
        let label = name ?? file.deletingPathExtension().lastPathComponent
        guard FileManager.default.fileExists(atPath: path) else {
            let available = (try? FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path))?
                .filter { $0.hasSuffix(".json") }
                .map { String($0.dropLast(5)) }
                .sorted() ?? []
            throw LoadError(message: "fixture '\(label)': no file at \(path)"
                + (available.isEmpty ? "" : "; available fixtures: \(available.joined(separator: ", "))")
                + ". Regenerate with: python3 scripts/make_fixtures.py")
        }
        let bytes: Data
        do {
            bytes = try Data(contentsOf: file)
        } catch {
            throw LoadError(message: "fixture '\(label)': cannot read \(path): \(error)")
        }
        let raw: RawFixture
        do {
            raw = try JSONDecoder().decode(RawFixture.self, from: bytes)
        } catch {
            throw LoadError(message: "fixture '\(label)': \(path) is not a valid fixture file: \(error)")
        }
        var tensors: [String: Values] = [:]
        for (key, entry) in raw.tensors ?? [:] {
            try check(shape: entry.shape, count: entry.data.count, key: key, kind: "tensors", label: label, path: path)
            tensors[key] = Values(shape: entry.shape, data: entry.data.map { Float($0) })
        }
        var ints: [String: Indices] = [:]
        for (key, entry) in raw.ints ?? [:] {
            try check(shape: entry.shape, count: entry.data.count, key: key, kind: "ints", label: label, path: path)
            ints[key] = Indices(shape: entry.shape, data: entry.data)
        }
        return Fixture(
            name: raw.name, torchVersion: raw.torch ?? "?", description: raw.description ?? "",
            config: raw.config ?? [:], tensors: tensors, ints: ints, path: path)
    }

    /// `<repo>/Tests/TorchletTests/Fixtures`, found by walking up from `filePath`
    /// to the first directory that contains `Package.swift`.
    public static func fixturesDirectory(from filePath: String) throws -> URL {
        var directory = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        while true {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory
                    .appendingPathComponent("Tests")
                    .appendingPathComponent("TorchletTests")
                    .appendingPathComponent("Fixtures")
            }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path || directory.path.isEmpty {
                throw LoadError(message: "cannot find the package root (a directory with Package.swift) above \(filePath)")
            }
            directory = parent
        }
    }

    private static func check(shape: [Int], count: Int, key: String, kind: String, label: String, path: String) throws {
        let expected = shape.reduce(1, *)
        if shape.contains(where: { $0 < 0 }) || expected != count {
            throw LoadError(message: "fixture '\(label)' (\(path)): \(kind)[\"\(key)\"] has shape \(shape) "
                + "(\(expected) elements) but \(count) data values")
        }
    }

    // MARK: Reading

    /// The float tensor named `key` (an input, a parameter, an output, "weight.<out>" or "grad.<name>").
    public func values(_ key: String) throws -> Values {
        guard let v = tensors[key] else { throw missing(key, in: "tensors", available: tensors.keys) }
        return v
    }

    /// The integer tensor named `key` (from the fixture's "ints").
    public func indices(_ key: String) throws -> Indices {
        guard let v = ints[key] else { throw missing(key, in: "ints", available: ints.keys) }
        return v
    }

    /// Whether the fixture has a float tensor named `key`.
    public func has(_ key: String) -> Bool { tensors[key] != nil }

    /// The float tensor keys that start with `prefix` (for example "grad."), sorted.
    public func keys(withPrefix prefix: String = "") -> [String] {
        tensors.keys.filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// The raw config value named `key`.
    public func configValue(_ key: String) throws -> ConfigValue {
        guard let v = config[key] else { throw missing(key, in: "config", available: config.keys) }
        return v
    }

    /// An integer config value (a float with an integral value is accepted).
    public func int(_ key: String) throws -> Int {
        switch try configValue(key) {
        case .int(let v): return v
        case .double(let v) where v.rounded() == v && abs(v) < 1e15: return Int(v)
        case let other: throw wrongType(key, "an integer", other)
        }
    }

    /// A numeric config value (an integer is accepted).
    public func double(_ key: String) throws -> Double {
        switch try configValue(key) {
        case .double(let v): return v
        case .int(let v): return Double(v)
        case let other: throw wrongType(key, "a number", other)
        }
    }

    /// A numeric config value as `Float`.
    public func float(_ key: String) throws -> Float { Float(try double(key)) }

    public func bool(_ key: String) throws -> Bool {
        switch try configValue(key) {
        case .bool(let v): return v
        case let other: throw wrongType(key, "a bool", other)
        }
    }

    public func string(_ key: String) throws -> String {
        switch try configValue(key) {
        case .string(let v): return v
        case let other: throw wrongType(key, "a string", other)
        }
    }

    private func missing(_ key: String, in section: String, available: Dictionary<String, some Any>.Keys) -> LoadError {
        let list = available.sorted().joined(separator: ", ")
        return LoadError(message: "fixture '\(name)' (\(path)): no key \"\(key)\" in \(section); "
            + "available: \(list.isEmpty ? "(none)" : list)")
    }

    private func wrongType(_ key: String, _ expected: String, _ got: ConfigValue) -> LoadError {
        LoadError(message: "fixture '\(name)' (\(path)): config[\"\(key)\"] is \(got), expected \(expected)")
    }
}

// MARK: - JSON decoding

private struct RawFixture: Decodable {
    let name: String
    let torch: String?
    let description: String?
    let config: [String: Fixture.ConfigValue]?
    let tensors: [String: RawEntry<Double>]?
    let ints: [String: RawEntry<Int>]?
}

/// Floats are decoded as `Double` and then rounded: the file holds the exact
/// float32 values, so the conversion is exact.
private struct RawEntry<Element: Decodable>: Decodable {
    let shape: [Int]
    let data: [Element]
}

extension Fixture.ConfigValue: Decodable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let v = try? c.decode(Bool.self) {
            self = .bool(v)
        } else if let v = try? c.decode(Int.self) {
            self = .int(v)
        } else if let v = try? c.decode(Double.self) {
            self = .double(v)
        } else if let v = try? c.decode(String.self) {
            self = .string(v)
        } else {
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "config values must be ints, floats, bools or strings")
        }
    }
}
