import Foundation
import Testing
import TestSupport
@testable import Torchlet

/// Exact resume: training 6 epochs straight and training 3, saving a
/// checkpoint, restoring it into fresh objects (made from other seeds, so
/// everything must come from the file) and training 3 more give the same
/// parameters, bit for bit, for each optimizer and scheduler.
@Suite struct ResumeTests {
    /// A tiny LSTM regressor: the last output of a one-layer LSTM, then Linear.
    final class Regressor: Module {
        let lstm: LSTM
        let head: Linear

        init(seed: UInt64) {
            let generator = Generator(seed: seed)
            lstm = LSTM(inputSize: 3, hiddenSize: 5, generator: generator)
            head = Linear(inFeatures: 5, outFeatures: 1, generator: generator)
            super.init()
            registerModule("lstm", lstm)
            registerModule("head", head)
        }

        /// [steps, batch, 3] → [batch, 1].
        func callAsFunction(_ input: Tensor) -> Tensor {
            let (output, _) = lstm(input)
            return head(output.selected(dim: 0, index: output.size(0) - 1))
        }
    }

    typealias Sample = (sequence: Tensor, target: Float)

    /// 22 random sequences of 4 steps (so the last batch of 4 is short),
    /// each with the sum of its first feature as the target.
    static func samples() -> [Sample] {
        let generator = Generator(seed: 21)
        return (0..<22).map { _ in
            let sequence = Tensor.normal([4, 3], mean: 0, std: 1, generator: generator)
            return (sequence, stride(from: 0, to: 12, by: 3).reduce(0) { $0 + sequence.scalars[$1] })
        }
    }

    /// The optimizer and scheduler a run trains with.
    enum Recipe: String, CaseIterable, CustomTestStringConvertible {
        case sgdMomentumStepLR, adamStepLR, adamWWarmupCosine, sgdNesterovPlateau
        var testDescription: String { rawValue }
    }

    /// One training run: a model, its optimizer and scheduler, and a
    /// shuffling loader driven by its own generator.
    final class Run {
        let model: Regressor
        let optimizer: Optimizer
        let scheduler: LRScheduler
        let generator: Generator
        let loader: DataLoader<[Sample], (input: Tensor, target: Tensor)>

        init(_ recipe: Recipe, modelSeed: UInt64, loaderSeed: UInt64, samples: [Sample]) {
            model = Regressor(seed: modelSeed)
            let parameters = model.parameters()
            switch recipe {
            case .sgdMomentumStepLR:
                optimizer = SGD(parameters, learningRate: 0.05, momentum: 0.9, weightDecay: 1e-3)
                scheduler = StepLR(optimizer, stepSize: 2, gamma: 0.5)
            case .adamStepLR:
                optimizer = Adam(parameters, learningRate: 0.01)
                scheduler = StepLR(optimizer, stepSize: 2, gamma: 0.5)
            case .adamWWarmupCosine:
                optimizer = AdamW(parameters, learningRate: 0.01, weightDecay: 0.05)
                scheduler = WarmupCosineLR(optimizer, warmupSteps: 2, totalSteps: 6, startFactor: 0.1, minLR: 1e-3)
            case .sgdNesterovPlateau:
                optimizer = SGD(parameters, learningRate: 0.05, momentum: 0.8, nesterov: true)
                scheduler = ReduceLROnPlateau(optimizer, patience: 0, threshold: 0.3, cooldown: 1)
            }
            generator = Generator(seed: loaderSeed)
            loader = DataLoader(samples, batchSize: 4, shuffle: true, generator: generator) { batch in
                (Tensor(stacking: batch.map(\.sequence), dim: 1), Tensor(batch.map(\.target), shape: [batch.count, 1]))
            }
        }

        /// Trains the epochs `epochs`: every batch clipped, one scheduler step per epoch.
        func train(epochs: Range<Int>) {
            for _ in epochs {
                var epochLoss: Float = 0
                for (input, target) in loader {
                    optimizer.zeroGrad()
                    let loss = mseLoss(model(input), target)
                    loss.backward()
                    clipGradNorm(model.parameters(), maxNorm: 1)
                    optimizer.step()
                    epochLoss += loss.item
                }
                stepScheduler(scheduler, metric: epochLoss)
            }
        }

        /// Everything that must match after resuming: parameters, optimizer
        /// and scheduler state, the generator's stream.
        var everything: (parameters: [[Float]], optimizer: [String: [Float]], metadata: [String: String], generator: [UInt64]) {
            let optimizerState = optimizer.stateDict(), schedulerState = scheduler.stateDict()
            return (model.parameters().map(\.scalars),
                    Dictionary(uniqueKeysWithValues: optimizerState.entries.map { ($0.name, $0.tensor.scalars) }),
                    optimizerState.metadata.merging(schedulerState.metadata.map { ("scheduler." + $0.key, $0.value) }) { a, _ in a },
                    generator.state)
        }
    }

    /// Trains 3 epochs, checkpoints, restores into a run made from other
    /// seeds (restoring the parts `restoring` names), and trains 3 more.
    func resumedRun(_ recipe: Recipe, restoring: (optimizer: Bool, generator: Bool) = (true, true)) throws -> Run {
        let samples = Self.samples()
        let first = Run(recipe, modelSeed: 1, loaderSeed: 7, samples: samples)
        first.train(epochs: 0..<3)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("torchlet-resume-\(UUID().uuidString).ckpt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Checkpoint(model: first.model, optimizer: first.optimizer, scheduler: first.scheduler, epoch: 3,
                       generator: first.generator).save(to: path)

        let resumed = Run(recipe, modelSeed: 99, loaderSeed: 123, samples: samples)
        let checkpoint = try Checkpoint.load(from: path)
        try checkpoint.restore(
            into: resumed.model, optimizer: restoring.optimizer ? resumed.optimizer : nil, scheduler: resumed.scheduler,
            generator: restoring.generator ? resumed.generator : nil)
        #expect(checkpoint.epoch == 3)
        resumed.train(epochs: checkpoint.epoch..<6)
        return resumed
    }

    @Test(arguments: Recipe.allCases)
    func resumeIsBitIdentical(_ recipe: Recipe) throws {
        let straight = Run(recipe, modelSeed: 1, loaderSeed: 7, samples: Self.samples())
        straight.train(epochs: 0..<6)
        let resumed = try resumedRun(recipe).everything, expected = straight.everything
        for (k, (a, b)) in zip(resumed.parameters, expected.parameters).enumerated() {
            #expect(a == b, "parameter \(straight.model.namedParameters()[k].name) is bit-identical")
        }
        #expect(resumed.optimizer == expected.optimizer, "optimizer buffers")
        #expect(resumed.metadata == expected.metadata, "learning rate, steps and scheduler counters")
        #expect(resumed.generator == expected.generator, "the loader's generator")
    }

    /// The test above can fail: the learning rate moves across the resume
    /// point, and leaving out the optimizer's or the generator's state
    /// gives other parameters.
    @Test func resumeNeedsEveryPart() throws {
        let straight = Run(.adamStepLR, modelSeed: 1, loaderSeed: 7, samples: Self.samples())
        var lrs: [Float] = []
        for epoch in 0..<6 {
            lrs.append(straight.optimizer.learningRate)
            straight.train(epochs: epoch..<(epoch + 1))
        }
        #expect(lrs == [0.01, 0.01, 0.005, 0.005, 0.0025, 0.0025])
        let withoutGenerator = try resumedRun(.adamStepLR, restoring: (optimizer: true, generator: false))
        let withoutOptimizer = try resumedRun(.adamStepLR, restoring: (optimizer: false, generator: true))
        #expect(withoutGenerator.everything.parameters != straight.everything.parameters)
        #expect(withoutOptimizer.everything.parameters != straight.everything.parameters)
    }
}
