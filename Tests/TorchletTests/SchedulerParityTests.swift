import Testing
import TestSupport
@testable import Torchlet

/// Learning-rate schedulers against PyTorch's traces: the learning rate
/// after construction and after every step, and for ReduceLROnPlateau its
/// whole state machine (best, bad epochs, cooldown) after every metric
/// (fixtures from scripts/make_fixtures.py).
@Suite struct SchedulerParityTests {
    /// An SGD over one parameter, for a scheduler to drive.
    static func optimizer(learningRate: Float) -> SGD {
        SGD([Tensor.zeros([1], requiresGrad: true)], learningRate: learningRate)
    }

    /// The learning rate after construction and after each of `steps` steps.
    static func trace(_ optimizer: Optimizer, steps: Int, step: () -> Void) -> [Float] {
        var lrs = [optimizer.learningRate]
        for _ in 0..<steps {
            step()
            lrs.append(optimizer.learningRate)
        }
        return lrs
    }

    @Test func stepLR() throws {
        let f = try Fixture.load("step_lr")
        let optimizer = Self.optimizer(learningRate: try f.float("lr"))
        let scheduler = StepLR(optimizer, stepSize: try f.int("stepSize"), gamma: try f.float("gamma"))
        let lrs = Self.trace(optimizer, steps: try f.int("steps")) { scheduler.step() }
        assertClose(lrs, try f.values("lr").data, tolerance: 1e-6, "StepLR trace")
        #expect(scheduler.lastEpoch == (try f.int("steps")))
        #expect(scheduler.lastLR == optimizer.learningRate)
    }

    @Test func warmupCosineMatchesSequentialLR() throws {
        let f = try Fixture.load("warmup_cosine")
        let optimizer = Self.optimizer(learningRate: try f.float("lr"))
        let scheduler = WarmupCosineLR(
            optimizer, warmupSteps: try f.int("warmupSteps"), totalSteps: try f.int("totalSteps"),
            startFactor: try f.float("startFactor"), minLR: try f.float("minLR"))
        let lrs = Self.trace(optimizer, steps: try f.int("totalSteps")) { scheduler.step() }
        assertClose(lrs, try f.values("lr_sequential").data, tolerance: 1e-5, "SequentialLR(LinearLR, CosineAnnealingLR)")
    }

    /// Start factor 0, and past `totalSteps` (where it holds `minLR`), against
    /// `LambdaLR` with the documented formula.
    @Test func warmupCosineMatchesLambdaLR() throws {
        let f = try Fixture.load("warmup_cosine")
        let optimizer = Self.optimizer(learningRate: try f.float("lr"))
        let scheduler = WarmupCosineLR(
            optimizer, warmupSteps: try f.int("warmupSteps"), totalSteps: try f.int("totalSteps"), minLR: try f.float("minLR"))
        let expected = try f.values("lr_lambda").data
        let lrs = Self.trace(optimizer, steps: expected.count - 1) { scheduler.step() }
        #expect(lrs[0] == 0, "start factor 0: the first step has rate 0")
        assertClose(lrs, expected, tolerance: 1e-5, "LambdaLR with the formula")
    }

    @Test(arguments: ["reduce_lr_on_plateau_min", "reduce_lr_on_plateau_max_abs"])
    func reduceLROnPlateau(_ name: String) throws {
        let f = try Fixture.load(name)
        let optimizer = Self.optimizer(learningRate: try f.float("lr"))
        let scheduler = ReduceLROnPlateau(
            optimizer, mode: try #require(.init(rawValue: try f.string("mode"))), factor: try f.float("factor"),
            patience: try f.int("patience"), threshold: try f.float("threshold"),
            thresholdMode: try #require(.init(rawValue: try f.string("thresholdMode"))), cooldown: try f.int("cooldown"),
            minLR: try f.float("minLR"), eps: try f.float("eps"))
        let (lr, best) = (try f.values("lr").data, try f.values("best").data)
        let (bad, cooldown) = (try f.indices("num_bad_epochs").data, try f.indices("cooldown_counter").data)
        for (epoch, metric) in try f.values("metric").data.enumerated() {
            scheduler.step(metric)
            assertClose([optimizer.learningRate], [lr[epoch]], tolerance: 1e-6, "\(name) lr after metric \(epoch)")
            #expect(scheduler.best == best[epoch], "\(name) best after metric \(epoch)")
            #expect(scheduler.numBadEpochs == bad[epoch], "\(name) num_bad_epochs after metric \(epoch)")
            #expect(scheduler.cooldownCounter == cooldown[epoch], "\(name) cooldown_counter after metric \(epoch)")
            #expect(scheduler.lastEpoch == epoch + 1)
        }
        #expect(Set(lr).count >= 3, "the trace cuts the rate more than once")
    }

    @Test func plateauCountsNaNAsBad() {
        let scheduler = ReduceLROnPlateau(Self.optimizer(learningRate: 1), patience: 0)
        scheduler.step(1)
        scheduler.step(.nan)
        #expect(scheduler.best == 1)
        #expect(scheduler.optimizer.learningRate == 0.1, "one bad epoch beyond patience 0 cuts the rate")
    }
}
