import Foundation
import Testing
import TestSupport
@testable import Torchlet

/// Checkpoints: one safetensors file with the naming scheme of
/// `Checkpoint`, read back exactly; errors that name the file and the key;
/// restoring all or nothing.
@Suite struct CheckpointTests {
    /// A fresh path in the temporary directory, removed by the caller.
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("torchlet-\(UUID().uuidString).ckpt").path
    }

    /// A Linear layer trained two Adam steps under a StepLR, and the checkpoint of it all.
    static func trained(seed: UInt64 = 0) -> (Linear, Adam, StepLR, Generator, Checkpoint) {
        let layer = Linear(inFeatures: 3, outFeatures: 2, generator: Generator(seed: seed))
        let adam = Adam(layer.parameters(), learningRate: 0.1)
        let scheduler = StepLR(adam, stepSize: 1, gamma: 0.5)
        let generator = Generator(seed: seed + 5)
        for _ in 0..<2 {
            adam.zeroGrad()
            mseLoss(layer(Tensor.ones([4, 3])), Tensor.zeros([4, 2])).backward()
            adam.step()
            scheduler.step()
        }
        _ = generator.next()
        return (layer, adam, scheduler, generator,
                Checkpoint(model: layer, optimizer: adam, scheduler: scheduler, epoch: 2, generator: generator))
    }

    @Test func savesOneFileWithTheNamingScheme() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (_, _, _, generator, checkpoint) = Self.trained()
        try checkpoint.save(to: path)
        let file = try StateDict.load(from: path)
        #expect(file.entries.map(\.name) == [
            "model.weight", "model.bias",
            "optimizer.state.0.exp_avg", "optimizer.state.0.exp_avg_sq", "optimizer.state.1.exp_avg", "optimizer.state.1.exp_avg_sq",
        ])
        #expect(file.metadata["torchlet_checkpoint"] == "1")
        #expect(file.metadata["epoch"] == "2")
        #expect(file.metadata["optimizer.lr"] == "0.025")
        #expect(file.metadata["optimizer.state.0.step"] == "2")
        #expect(file.metadata["scheduler.last_epoch"] == "2")
        #expect(file.metadata["generator_state"] == generator.state.map(String.init).joined(separator: ","))

        let loaded = try Checkpoint.load(from: path)
        #expect(loaded.source == path)
        #expect(loaded.epoch == 2)
        #expect(loaded.generatorState == generator.state)
        #expect(loaded.model.entries.map(\.name) == ["weight", "bias"])
        #expect(loaded.model.entries.map(\.tensor.scalars) == checkpoint.model.entries.map(\.tensor.scalars))
        #expect(loaded.optimizer?.metadata == checkpoint.optimizer?.metadata)
        #expect(loaded.optimizer?.entries.map(\.tensor.scalars) == checkpoint.optimizer?.entries.map(\.tensor.scalars))
        #expect(loaded.scheduler?.metadata == checkpoint.scheduler?.metadata)
    }

    @Test func restoresIntoFreshObjects() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (layer, adam, scheduler, generator, checkpoint) = Self.trained()
        try checkpoint.save(to: path)
        let (freshLayer, freshAdam, freshScheduler, freshGenerator, _) = Self.trained(seed: 9)
        try Checkpoint.load(from: path).restore(
            into: freshLayer, optimizer: freshAdam, scheduler: freshScheduler, generator: freshGenerator)
        #expect(freshLayer.parameters().map(\.scalars) == layer.parameters().map(\.scalars))
        #expect(freshAdam.m == adam.m && freshAdam.v == adam.v && freshAdam.steps == adam.steps)
        #expect(freshAdam.learningRate == adam.learningRate)
        #expect(freshScheduler.lastEpoch == scheduler.lastEpoch)
        #expect(freshGenerator.next() == generator.next())
    }

    @Test func aModelStateDictIsNotACheckpoint() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Linear(inFeatures: 2, outFeatures: 2, generator: Generator(seed: 0)).save(to: path)
        let error = #expect(throws: StateDictError.self) { try Checkpoint.load(from: path) }
        #expect(String(describing: error!).contains("\(path): not a Torchlet checkpoint"))
    }

    /// Each change to a saved file, and the text its error must contain
    /// (after the file's path).
    static let damaged: [(change: (inout StateDict) -> Void, message: String)] = [
        ({ $0.entries.removeFirst() }, "model: missing key weight"),
        ({ $0.entries[2].tensor = Tensor.zeros([3, 3]) }, "'optimizer.state.0.exp_avg': shape [3, 3] saved, but parameter 0 has shape [2, 3]"),
        ({ $0.metadata["scheduler.gamma"] = "0.1" }, "'scheduler.gamma': saved as 0.1, but this StepLR has 0.5"),
        ({ $0.metadata["optimizer.state.1.step"] = nil }, "'optimizer.state.1.exp_avg': saved, but state.1.step is missing"),
        ({ $0.metadata["generator_state"] = "1,2,3" }, "'generator_state': '1,2,3' is not four comma-separated 64-bit words"),
        ({ $0.metadata["epoch"] = nil }, "'epoch': missing"),
        ({ $0.entries.append(("extra", Tensor.zeros([1]))) }, "'extra': unexpected tensor"),
        ({ $0.metadata["notes"] = "hi" }, "'notes': unexpected metadata key"),
        ({ $0.metadata = $0.metadata.filter { !$0.key.hasPrefix("scheduler.") } }, "the checkpoint has no scheduler state"),
    ]

    @Test(arguments: damaged.indices)
    func damagedFileNamesFileAndKeyAndChangesNothing(_ index: Int) throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.trained().4.save(to: path)
        var file = try StateDict.load(from: path)
        Self.damaged[index].change(&file)
        try file.save(to: path)

        let (layer, adam, scheduler, generator, _) = Self.trained(seed: 3)
        let before = (layer.parameters().map(\.scalars), adam.m, adam.learningRate, scheduler.lastEpoch, generator.state)
        let error = #expect(throws: StateDictError.self) {
            try Checkpoint.load(from: path).restore(into: layer, optimizer: adam, scheduler: scheduler, generator: generator)
        }
        let text = error.map(String.init(describing:)) ?? ""
        #expect(text.hasPrefix(path + ": "), "names the file: \(text)")
        #expect(text.contains(Self.damaged[index].message), "\(text)")
        #expect(layer.parameters().map(\.scalars) == before.0, "all or nothing: the model is unchanged")
        #expect(adam.m == before.1 && adam.learningRate == before.2, "the optimizer is unchanged")
        #expect(scheduler.lastEpoch == before.3 && generator.state == before.4)
    }

    @Test func restoringOnlyTheModelIsAllowed() throws {
        var checkpoint = Self.trained().4
        checkpoint.optimizer = nil
        checkpoint.scheduler = nil
        checkpoint.generatorState = nil
        let layer = Linear(inFeatures: 3, outFeatures: 2, generator: Generator(seed: 8))
        try checkpoint.restore(into: layer)
        #expect(layer.parameters().map(\.scalars) == checkpoint.model.entries.map(\.tensor.scalars))
        let error = #expect(throws: StateDictError.self) { try checkpoint.restore(into: layer, generator: Generator(seed: 1)) }
        #expect(String(describing: error!).contains("'generator_state': missing"))
    }

    @Test func generatorStateContinuesTheStream() {
        let g = Generator(seed: 42)
        _ = g.nextUniform()
        let saved = g.state
        let expected = (0..<5).map { _ in g.next() }
        let other = Generator(seed: 7)
        other.state = saved
        #expect((0..<5).map { _ in other.next() } == expected)
    }
}
