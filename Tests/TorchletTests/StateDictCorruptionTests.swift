import Foundation
import Testing
import TestSupport
@testable import Torchlet

/// Damaged and hostile state dict files: each is a `StateDictError` that
/// names the file, the key where one applies, and what is wrong; none
/// crashes, and a failed load changes no weight.
@Suite struct StateDictCorruptionTests {
    /// A safetensors file with `header` (unpadded) and `data` bytes.
    static func safetensors(header: String, data: [UInt8] = []) -> Data {
        let headerBytes = Array(header.utf8)
        let bytes = withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { Array($0) }
        return Data(bytes + headerBytes + data)
    }

    static func entry(_ name: String, dtype: String = "F32", shape: String, offsets: String) -> String {
        "\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":\(offsets)}"
    }

    /// The description of the error that loading `data` throws, or a note that it did not throw.
    static func loadError(_ data: Data, path: String = "ckpt.safetensors") -> String {
        do {
            _ = try StateDict(data: data, path: path)
            return "loaded without an error"
        } catch let error as StateDictError {
            return error.description
        } catch {
            return "not a StateDictError: \(error)"
        }
    }

    static let bytes24 = [UInt8](repeating: 0, count: 24)

    @Test(arguments: [
        (safetensors(header: "{}").prefix(5), "ckpt.safetensors: truncated: 5 bytes"),
        (Data([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x7B, 0x7D]), "bad header length 9223372036854775807"),
        (safetensors(header: "{}").dropLast(), "truncated: the header length says 2 bytes, but only 1 follow"),
        (safetensors(header: "{\(entry("w", shape: "[-16,-3]", offsets: "[0,0]"))}"),
         "'w': shape [-16, -3] has a negative dimension"),
        (safetensors(header: "{\(entry("w", shape: "[4611686018427387904,4]", offsets: "[0,16]"))}"),
         "'w': shape [4611686018427387904, 4] has more elements than fit in memory (overflow)"),
        (safetensors(header: "{\(entry("w", shape: "[2305843009213693952]", offsets: "[0,16]"))}"),
         "'w': shape [2305843009213693952] has more elements than fit in memory (overflow)"),
        (safetensors(header: "{\(entry("w", shape: "[99999999999999999999]", offsets: "[0,0]"))}"),
         "'w': shape is missing or not a list of integers"),
        (safetensors(header: "{\(entry("w", shape: "[2,3]", offsets: "[0,20]"))}", data: bytes24),
         "'w': count mismatch: shape [2, 3] needs 6 float32 values (24 bytes), data_offsets [0, 20] hold 20 bytes"),
        (safetensors(header: "{\(entry("w", shape: "[2,3]", offsets: "[0,24]"))}", data: Array(bytes24.prefix(10))),
         "'w': truncated: data_offsets [0, 24] end past the data section, which has 10 bytes"),
        (safetensors(header: "{\(entry("w", shape: "[2,3]", offsets: "[8,-16]"))}", data: bytes24),
         "'w': data_offsets [8, -16] is not a range"),
        (safetensors(header: "{\(entry("a", shape: "[4]", offsets: "[0,16]")),\(entry("b", shape: "[2]", offsets: "[8,16]"))}", data: bytes24),
         "'b': data_offsets [8, 16] overlap another tensor"),
        (safetensors(header: "{\(entry("a", shape: "[2]", offsets: "[8,16]"))}", data: Array(bytes24.prefix(16))),
         "'a': data_offsets [8, 16] leave a gap after byte 0"),
        (safetensors(header: "{\(entry("a", shape: "[2]", offsets: "[0,8]"))}", data: bytes24),
         "16 bytes after the last tensor's data"),
        (safetensors(header: "{\(entry("w", dtype: "F64", shape: "[3]", offsets: "[0,24]"))}", data: bytes24),
         "'w': dtype F64 is not supported; Torchlet reads F32"),
        (safetensors(header: "{\(entry("w", shape: "[2]", offsets: "[0,8]")),\(entry("w", shape: "[2]", offsets: "[8,16]"))}", data: Array(bytes24.prefix(16))),
         "duplicate key 'w'"),
        (safetensors(header: "{\"w\":[1,2]}"), "'w': the entry is an array"),
        (safetensors(header: "{\"__metadata__\":{\"a\":1}}"), "__metadata__ 'a' is a number, expected a string"),
        (safetensors(header: "[1,2]"), "the header is an array, expected a JSON object"),
        (safetensors(header: "{\"w\":"), "the header is not valid JSON: at byte 13: expected a JSON value, found the end"),
        (Data(), "the file is empty (0 bytes)"),
    ] as [(Data, String)])
    func safetensorsProblemIsNamed(file: Data, expected: String) {
        let text = Self.loadError(file)
        #expect(text.hasPrefix("ckpt.safetensors: ") && text.contains(expected), "\(text)")
    }

    static func legacy(_ tensors: String, version: String = "1") -> Data {
        Data("{\"format\":\"torchlet-state-dict\",\"version\":\(version),\"tensors\":[\(tensors)]}".utf8)
    }

    @Test(arguments: [
        (legacy("{\"name\":\"w\",\"shape\":[1],\"data\":[0]}", version: "99"), "ckpt.json: version 99 is not supported"),
        (legacy("{\"name\":\"w\",\"shape\":[1],\"data\":[0]},{\"name\":\"w\",\"shape\":[1],\"data\":[1]}"),
         "ckpt.json: 'w': duplicate key"),
        (legacy("{\"name\":\"w\",\"shape\":[2],\"data\":[0, 1e300]}"), "ckpt.json: 'w': value 1e+300 at index 1 does not fit in float32"),
        (legacy("{\"name\":\"w\",\"shape\":[-16,-3],\"data\":[]}"), "ckpt.json: 'w': shape [-16, -3] has a negative dimension"),
        (legacy("{\"name\":\"w\",\"shape\":[4611686018427387904,4],\"data\":[]}"), "'w': shape [4611686018427387904, 4] has more elements"),
        (legacy("{\"name\":\"w\",\"shape\":[2,2],\"data\":[1,2,3]}"), "'w': count mismatch: shape [2, 2] needs 4 values, data has 3"),
        (legacy("{\"name\":\"w\",\"shape\":[2],\"data\":[1,\"2\"]}"), "ckpt.json: not valid JSON: at byte"),
        (legacy("{\"name\":\"w\",\"shape\":[1],\"data\":[1]}").dropLast(3), "ckpt.json: not valid JSON: at byte 89: expected ',' or '}' in an object, found the end"),
        (Data("{\"hello\": 1}".utf8), "not a Torchlet state dict"),
        (Data("{\"a\": 1, \"a\": 2}".utf8), "duplicate key 'a'"),
        (Data(String(repeating: "[", count: 10_000).utf8), "bad header length"),
        (Data(("{\"a\":" + String(repeating: "[", count: 10_000)).utf8), "nesting deeper than 64 levels"),
    ] as [(Data, String)])
    func legacyJSONProblemIsNamed(file: Data, expected: String) {
        let text = Self.loadError(file, path: "ckpt.json")
        #expect(text.hasPrefix("ckpt.json: ") && text.contains(expected), "\(text)")
    }

    @Test func failedLoadChangesNoWeight() throws {
        let model = LSTM(inputSize: 3, hiddenSize: 4, generator: Generator(seed: 3))
        let before = model.parameters().map(\.scalars)
        var data = try LSTM(inputSize: 3, hiddenSize: 4, generator: Generator(seed: 4)).stateDict().encoded()
        data.removeLast(4)  // the last bias value is missing
        let path = StateDictTests.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try data.write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: StateDictError.self) { try model.load(from: path) }
        #expect(error.map(String.init(describing:))?.contains("'bias_hh_l0': truncated") == true, "\(String(describing: error))")
        #expect(model.parameters().map(\.scalars) == before)
        let duplicated = StateDict(model.stateDict().entries + [("bias_hh_l0", Tensor.zeros([16]))])
        let duplicateError = #expect(throws: StateDictError.self) { try model.loadStateDict(duplicated) }
        #expect(duplicateError.map(String.init(describing:))?.contains("duplicate key bias_hh_l0") == true)
        #expect(model.parameters().map(\.scalars) == before)
    }
}
