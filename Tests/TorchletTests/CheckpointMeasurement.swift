import Foundation
import Testing
import TestSupport
@testable import Torchlet

/// Size and save/load time of a 10,000-word language model's checkpoint in
/// each format: a measurement, not a check, so it runs only when asked:
///
/// ```sh
/// TORCHLET_MEASURE_CHECKPOINTS=/tmp/ckpt swift test --filter CheckpointMeasurement
/// python3 scripts/check_torchlet_checkpoints.py /tmp/ckpt   # PyTorch loads them
/// ```
///
/// It prints one line per format and leaves the files in the named folder,
/// with an edge-case file, for PyTorch to load. "json (before)" is the writer
/// and reader `StateDict` had before safetensors (`JSONSerialization`,
/// doubles), replicated here.
@Suite struct CheckpointMeasurement {
    static let folder = ProcessInfo.processInfo.environment["TORCHLET_MEASURE_CHECKPOINTS"]

    /// Embedding 10000×128 → LSTM 128→256 → Linear 256→10000 (4.25 M parameters).
    final class LanguageModel: Module {
        override init() {
            super.init()
            let g = Generator(seed: 0)
            registerModule("embedding", Embedding(numEmbeddings: 10_000, embeddingDim: 128, generator: g))
            registerModule("lstm", LSTM(inputSize: 128, hiddenSize: 256, generator: g))
            registerModule("decoder", Linear(inFeatures: 256, outFeatures: 10_000, generator: g))
        }
    }

    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Edge cases for `scripts/check_torchlet_checkpoints.py`: NaN with a
    /// payload, infinities, an empty and a 0-d tensor, names and metadata
    /// that need escaping; `edge.json` holds the expected bit patterns.
    @Test(.enabled(if: folder != nil)) func edgeCasesForPyTorch() throws {
        let folder = try #require(Self.folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let odd: [Float] = [Float(bitPattern: 0x7FC0_1234), .infinity, -.infinity, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        let dict = StateDict([("odd.values", Tensor(odd, shape: [2, 3])), ("empty", Tensor([], shape: [0, 4])),
                              ("scalar", Tensor(2.5)), ("ünïcode \"quoted\"", Tensor([1, 2], shape: [2]))],
                             metadata: ["note": "line\nbreak", "ünï": "cödé"])
        try dict.save(to: folder + "/edge.safetensors")
        let expected: [String: Any] = [
            "metadata": ["format": "pt", "note": "line\nbreak", "ünï": "cödé"],
            "tensors": dict.entries.map { ["name": $0.name, "shape": $0.tensor.shape, "bits": $0.tensor.scalars.map(\.bitPattern)] },
        ]
        try JSONSerialization.data(withJSONObject: expected).write(to: URL(fileURLWithPath: folder + "/edge.json"))
    }

    @Test(.enabled(if: folder != nil)) func checkpointSizeAndTime() throws {
        let folder = try #require(Self.folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let model = LanguageModel()
        let reloaded = LanguageModel()
        func report(_ format: String, _ path: String, save: Double, load: Double) throws {
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
            print(String(format: "checkpoint: format=%@ parameters=%d bytes=%d MB=%.1f save_s=%.3f load_s=%.3f",
                         format, model.parameterCount, size, Double(size) / 1e6, save, load))
        }

        let safetensors = folder + "/lm.safetensors"
        let saveSafetensors = try Self.seconds { try model.save(to: safetensors) }
        let loadSafetensors = try Self.seconds { try reloaded.load(from: safetensors) }
        #expect(reloaded.parameters().map(\.scalars) == model.parameters().map(\.scalars))
        try report("safetensors", safetensors, save: saveSafetensors, load: loadSafetensors)

        let json = folder + "/lm.json"
        let saveJSON = try Self.seconds { try model.save(to: json, format: .json) }
        let loadJSON = try Self.seconds { try reloaded.load(from: json) }
        try report("json", json, save: saveJSON, load: loadJSON)

        let before = folder + "/lm-before.json"
        let saveBefore = try Self.seconds {
            let tensors: [[String: Any]] = model.namedParameters().map {
                ["name": $0.name, "shape": $0.tensor.shape, "data": $0.tensor.scalars.map { Double($0) }]
            }
            let object: [String: Any] = ["format": "torchlet-state-dict", "version": 1, "tensors": tensors]
            try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: before))
        }
        let loadBefore = try Self.seconds {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: before))) as? [String: Any]
            for item in object?["tensors"] as? [[String: Any]] ?? [] {
                _ = Tensor((item["data"] as? [Double] ?? []).map { Float($0) }, shape: item["shape"] as? [Int] ?? [0])
            }
        }
        try report("json-before", before, save: saveBefore, load: loadBefore)
        let loadBeforeNewReader = try Self.seconds { try reloaded.load(from: before) }
        print(String(format: "checkpoint: json-before read by the new reader: load_s=%.3f", loadBeforeNewReader))
    }
}
