import Foundation
import Testing
import TestSupport
@testable import Torchlet

/// State dicts: save and load round trip through a file, and errors that
/// name the file and the key.
@Suite struct StateDictTests {
    /// A fresh path in the temporary directory, removed by the caller.
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("torchlet-\(UUID().uuidString).safetensors").path
    }

    @Test func roundTrip() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let saved = LSTM(inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, generator: Generator(seed: 1))
        try saved.save(to: path)
        let loaded = LSTM(inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, generator: Generator(seed: 2))
        #expect(loaded.parameters()[0].scalars != saved.parameters()[0].scalars)
        try loaded.load(from: path)
        for ((name, a), (otherName, b)) in zip(saved.namedParameters(), loaded.namedParameters()) {
            #expect(name == otherName)
            #expect(a.scalars == b.scalars, "\(name) is bit-exact after the round trip")
            #expect(b.requiresGrad)
        }
        let dict = try StateDict.load(from: path)
        #expect(dict.entries.map(\.name) == saved.namedParameters().map(\.name))
        #expect(dict["weight_hh_l1_reverse"]?.shape == [16, 4])
    }

    @Test func mismatchNamesFileAndKey() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Linear(inFeatures: 3, outFeatures: 2, generator: Generator(seed: 0)).save(to: path)
        let wider = Linear(inFeatures: 3, outFeatures: 4, generator: Generator(seed: 0))
        let before = wider.weight.scalars
        let error = #expect(throws: StateDictError.self) { try wider.load(from: path) }
        let text = error.map { String(describing: $0) } ?? ""
        #expect(text.contains(path), "names the file: \(text)")
        #expect(text.contains("weight"), "names the key: \(text)")
        #expect(text.contains("[2, 3]") && text.contains("[4, 3]"), "names both shapes: \(text)")
        #expect(wider.weight.scalars == before, "nothing is changed on error")

        let noBias = Linear(inFeatures: 3, outFeatures: 2, bias: false, generator: Generator(seed: 0))
        let unexpected = #expect(throws: StateDictError.self) { try noBias.load(from: path) }
        #expect(unexpected.map { String(describing: $0) }?.contains("unexpected key bias") == true)
        let missing = #expect(throws: StateDictError.self) {
            try Linear(inFeatures: 3, outFeatures: 2, generator: Generator(seed: 0))
                .loadStateDict(StateDict([("weight", Tensor.zeros([2, 3]))]), source: "checkpoint.json")
        }
        let missingText = missing.map { String(describing: $0) } ?? ""
        #expect(missingText.contains("checkpoint.json") && missingText.contains("missing key bias"), "\(missingText)")
    }

    @Test func missingFileNamesPath() {
        let path = Self.temporaryPath()
        let error = #expect(throws: StateDictError.self) { try StateDict.load(from: path) }
        #expect(error.map { String(describing: $0) } == "\(path): no such file")
        let folder = FileManager.default.temporaryDirectory.path
        let folderError = #expect(throws: StateDictError.self) { try StateDict.load(from: folder) }
        #expect(folderError.map { String(describing: $0) } == "\(folder): is a folder, not a state dict file")
        let module = Linear(inFeatures: 1, outFeatures: 1, generator: Generator(seed: 0))
        let moduleError = #expect(throws: StateDictError.self) { try module.load(from: path) }
        #expect(moduleError.map { String(describing: $0) }?.contains(path) == true)
    }

    @Test func notAStateDict() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("{\"hello\": 1}".utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: StateDictError.self) { try StateDict.load(from: path) }
        let text = error.map { String(describing: $0) } ?? ""
        #expect(text.contains(path) && text.contains("torchlet-state-dict"), "\(text)")
    }
}
