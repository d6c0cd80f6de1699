import Foundation

/// Torchlet's legacy JSON state dict files, still read and written on request.
///
/// ```
/// {"format": "torchlet-state-dict", "version": 1,
///  "tensors": [{"name": "weight", "shape": [2, 3], "data": [0.1, …]}, …]}
/// ```
///
/// JSON has no NaN or infinity: saving refuses them, naming the parameter,
/// and reading refuses a number that float32 cannot hold (such as `1e300`),
/// naming the key, rather than turning it into infinity.
extension StateDict {
    /// The JSON file format's name, in its `"format"` member.
    static let legacyFormatName = "torchlet-state-dict"
    /// The only JSON format version there is.
    static let legacyVersion = 1

    /// The legacy JSON bytes; values are written in the shortest form that
    /// reads back to the same float32.
    func legacyJSONData(path: String) throws -> Data {
        var text = "{\"format\":\"\(Self.legacyFormatName)\",\"version\":\(Self.legacyVersion),\"tensors\":["
        for (k, (name, tensor)) in entries.enumerated() {
            if let index = tensor.scalars.firstIndex(where: { !$0.isFinite }) {
                throw StateDictError(
                    path: path, key: name,
                    problem: "value \(tensor.scalars[index]) at index \(index) cannot be written as JSON; save as safetensors (the default), which keeps it")
            }
            if k > 0 { text += "," }
            text += "{\"name\":\(Self.jsonString(name)),\"shape\":\(tensor.shape),\"data\":["
            text += tensor.scalars.lazy.map { $0.description }.joined(separator: ",")
            text += "]}"
        }
        text += "]}"
        return Data(text.utf8)
    }

    /// Parses a legacy JSON file, checking every field before any tensor is made.
    static func legacyJSON(_ data: Data, path: String) throws -> StateDict {
        func fail(_ problem: String, key: String? = nil) -> StateDictError {
            StateDictError(path: path, key: key, problem: problem)
        }
        let root: JSONValue
        do {
            root = try data.withUnsafeBytes { raw throws(JSONSyntaxError) in
                try JSONParser.parse(raw.bindMemory(to: UInt8.self))
            }
        } catch let error as JSONSyntaxError {
            throw fail("not valid JSON: at byte \(error.offset): \(error.message)")
        }
        guard root["format"]?.string == legacyFormatName, case .array(let items)? = root["tensors"] else {
            throw fail("not a Torchlet state dict (expected safetensors, or JSON with format \"\(legacyFormatName)\" and a \"tensors\" array)")
        }
        if let version = root["version"] {
            guard case .number(_, let exact) = version, exact == legacyVersion else {
                throw fail("version \(Self.describe(version)) is not supported; this Torchlet reads version \(legacyVersion)")
            }
        }
        var entries: [(name: String, tensor: Tensor)] = []
        var names = Set<String>()
        for (k, item) in items.enumerated() {
            guard case .object = item, let name = item["name"]?.string else {
                throw fail("tensor #\(k) has no \"name\" string")
            }
            guard names.insert(name).inserted else { throw fail("duplicate key (tensor #\(k))", key: name) }
            guard let shape = item["shape"]?.integers else { throw fail("shape is missing or not a list of integers", key: name) }
            let count = try elementCount(of: shape, key: name, path: path)
            let values: [Double]
            switch item["data"] {
            case .numbers(let numbers, _)?: values = numbers
            case .array(let array)? where array.isEmpty: values = []
            default: throw fail("data is missing or not a list of numbers", key: name)
            }
            guard values.count == count else {
                throw fail("count mismatch: shape \(shape) needs \(count) values, data has \(values.count)", key: name)
            }
            let scalars = values.map { Float($0) }
            if let index = scalars.firstIndex(where: { !$0.isFinite }) {
                throw fail("value \(values[index]) at index \(index) does not fit in float32 (largest: \(Float.greatestFiniteMagnitude))", key: name)
            }
            entries.append((name, Tensor(scalars, shape: shape)))
        }
        return StateDict(entries)
    }

    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .number(let x, let exact): return exact.map(String.init) ?? String(x)
        case .string(let s): return "\"\(s)\""
        default: return value.kind
        }
    }
}
