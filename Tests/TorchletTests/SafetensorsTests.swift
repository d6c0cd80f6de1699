import Foundation
import Testing
import TestSupport
@testable import Torchlet

/// The safetensors format: files PyTorch wrote load into Torchlet, and files
/// Torchlet writes follow the format byte for byte (so PyTorch's
/// `safetensors.torch.load_file` reads them under the same names).
@Suite struct SafetensorsTests {
    /// The embedding → LSTM → linear model of the `state_dict_tagger`
    /// fixture, with PyTorch's submodule names.
    final class Tagger: Module {
        let embedding = Embedding(numEmbeddings: 7, embeddingDim: 3, generator: Generator(seed: 5))
        let lstm = LSTM(inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, generator: Generator(seed: 6))
        let classifier = Linear(inFeatures: 8, outFeatures: 5, generator: Generator(seed: 7))
        override init() {
            super.init()
            registerModule("embedding", embedding)
            registerModule("lstm", lstm)
            registerModule("classifier", classifier)
        }
        func callAsFunction(_ ids: [Int], shape: [Int]) -> Tensor {
            classifier(lstm(embedding(ids, shape: shape)).output)
        }
    }

    static func fixturePath(_ file: String) throws -> String {
        try Fixture.fixturesDirectory(from: #filePath).appendingPathComponent(file).path
    }

    @Test func pytorchFileLoadsUnderTheSameNames() throws {
        let fixture = try Fixture.load("state_dict_tagger")
        let path = try Self.fixturePath("state_dict_tagger.safetensors")
        let dict = try StateDict.load(from: path)
        #expect(dict.metadata == ["format": "pt"])
        let model = Tagger()
        #expect(Set(dict.entries.map(\.name)) == Set(model.namedParameters().map(\.name)))
        for (name, tensor) in dict.entries {
            let expected = try fixture.values(name)
            #expect(tensor.shape == expected.shape, "\(name)")
            #expect(tensor.scalars == expected.data, "\(name) is bit-exact")
        }
        try model.load(from: path)
        let ids = try fixture.indices("ids")
        assertClose(model(ids.data, shape: ids.shape), try fixture.tensor("output"), tolerance: 1e-5,
                    "the loaded model computes what PyTorch computed")
    }

    @Test func pytorchFloat16FileIsRefusedNamingTheKey() throws {
        let path = try Self.fixturePath("state_dict_float16.safetensors")
        let error = #expect(throws: StateDictError.self) { try StateDict.load(from: path) }
        let text = error.map(String.init(describing:)) ?? ""
        #expect(text.contains(path) && text.contains("dtype F16") && text.contains("'bias'"), "\(text)")
    }

    /// A Torchlet-written file, read back by hand against the format: the
    /// header length, the JSON header, the offsets and the raw floats.
    @Test func swiftWrittenFileFollowsTheFormat() throws {
        let model = Tagger()
        let data = try model.stateDict().encoded(as: .safetensors)
        let bytes = [UInt8](data)
        let headerLength = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
        #expect(headerLength % 8 == 0, "the header is padded to a multiple of 8")
        let headerBytes = bytes[8..<(8 + headerLength)]
        #expect(String(decoding: headerBytes, as: UTF8.self).hasSuffix("}") || headerBytes.last == UInt8(ascii: " "))
        let header = try #require(try JSONSerialization.jsonObject(with: Data(headerBytes)) as? [String: Any])
        #expect(header["__metadata__"] as? [String: String] == ["format": "pt"])
        let buffer = Array(bytes[(8 + headerLength)...])
        var total = 0
        for (name, tensor) in model.namedParameters() {
            let entry = try #require(header[name] as? [String: Any], "\(name) is in the header")
            #expect(entry["dtype"] as? String == "F32")
            #expect(entry["shape"] as? [Int] == tensor.shape)
            let offsets = try #require(entry["data_offsets"] as? [Int])
            #expect(offsets == [total, total + 4 * tensor.count], "\(name): tensors are stored in order, back to back")
            let floats = stride(from: offsets[0], to: offsets[1], by: 4).map { i in
                Float(bitPattern: UInt32(buffer[i]) | UInt32(buffer[i + 1]) << 8 | UInt32(buffer[i + 2]) << 16 | UInt32(buffer[i + 3]) << 24)
            }
            #expect(floats == tensor.scalars, "\(name): raw little-endian float32")
            total = offsets[1]
        }
        #expect(header.count == model.namedParameters().count + 1)
        #expect(total == buffer.count, "nothing after the last tensor")
    }

    @Test func roundTripKeepsNaNAndInfinityBitForBit() throws {
        let nan = Float(bitPattern: 0x7FC0_1234)  // a NaN with a payload
        let values: [Float] = [nan, .infinity, -.infinity, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        let dict = StateDict([("odd", Tensor(values, shape: [2, 3])), ("empty", Tensor([], shape: [0, 4])),
                              ("scalar", Tensor(2.5))],
                             metadata: ["note": "quote \" and\nnewline", "ünï": "cödé"])
        let loaded = try StateDict(data: dict.encoded(as: .safetensors))
        #expect(loaded.entries.map(\.name) == ["odd", "empty", "scalar"])
        #expect(loaded["odd"]!.scalars.map(\.bitPattern) == values.map(\.bitPattern))
        #expect(loaded["empty"]!.shape == [0, 4] && loaded["scalar"]!.shape == [])
        #expect(loaded.metadata == ["note": "quote \" and\nnewline", "ünï": "cödé", "format": "pt"])
    }

    @Test func jsonSaveRefusesNaNNamingTheParameter() throws {
        let model = Linear(inFeatures: 2, outFeatures: 2, generator: Generator(seed: 0))
        model.bias!.scalars[1] = .nan
        let path = StateDictTests.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: StateDictError.self) { try model.save(to: path, format: .json) }
        let text = error.map(String.init(describing:)) ?? ""
        #expect(text.contains(path) && text.contains("'bias'") && text.contains("nan at index 1"), "\(text)")
        #expect(!FileManager.default.fileExists(atPath: path))
        try model.save(to: path)  // safetensors keeps it
        #expect(try StateDict.load(from: path)["bias"]!.scalars[1].isNaN)
    }

    /// Files in today's JSON format, as the previous `save(to:)` wrote them
    /// (`JSONSerialization`, doubles), still load.
    @Test func legacyJSONFilesStillLoad() throws {
        let model = Tagger()
        let tensors: [[String: Any]] = model.namedParameters().map {
            ["name": $0.name, "shape": $0.tensor.shape, "data": $0.tensor.scalars.map { Double($0) }]
        }
        let old = try JSONSerialization.data(withJSONObject: ["format": "torchlet-state-dict", "version": 1, "tensors": tensors])
        let path = StateDictTests.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try old.write(to: URL(fileURLWithPath: path))
        let other = Tagger()
        other.lstm.parameters()[0].scalars[0] += 1
        try other.load(from: path)
        for ((name, a), (_, b)) in zip(model.namedParameters(), other.namedParameters()) {
            #expect(a.scalars == b.scalars, "\(name)")
        }
        let written = try model.stateDict().encoded(as: .json)
        #expect(try StateDict(data: written).entries.map(\.tensor.scalars) == model.parameters().map(\.scalars))
    }
}
