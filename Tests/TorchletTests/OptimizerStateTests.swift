import Testing
import TestSupport
@testable import Torchlet

/// Optimizer and scheduler state dicts: a state copied into a fresh object
/// continues bit for bit like the original, and a state that does not fit
/// is refused with an error naming the key, changing nothing.
@Suite struct OptimizerStateTests {
    /// A small regression whose parameters `optimizer` trains for `steps`.
    final class Problem {
        let layer: Linear
        let input = Tensor.normal([6, 3], mean: 0, std: 1, generator: Generator(seed: 11))
        let target = Tensor.normal([6, 2], mean: 0, std: 1, generator: Generator(seed: 12))
        init(seed: UInt64) { layer = Linear(inFeatures: 3, outFeatures: 2, generator: Generator(seed: seed)) }

        func train(_ optimizer: Optimizer, steps: Int) {
            for _ in 0..<steps {
                optimizer.zeroGrad()
                mseLoss(layer(input), target).backward()
                optimizer.step()
            }
        }
    }

    static let optimizers: [(name: String, make: ([Tensor]) -> Optimizer)] = [
        ("SGD", { SGD($0, learningRate: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true) }),
        ("Adam", { Adam($0, learningRate: 0.01, weightDecay: 0.01) }),
        ("AdamW", { AdamW($0, learningRate: 0.01) }),
    ]

    @Test(arguments: optimizers.indices)
    func stateRoundTripContinuesExactly(_ index: Int) throws {
        let (name, make) = Self.optimizers[index]
        let straight = Problem(seed: 1), resumed = Problem(seed: 1)
        let a = make(straight.layer.parameters()), b = make(resumed.layer.parameters())
        straight.train(a, steps: 3)
        resumed.train(b, steps: 3)
        a.learningRate = 0.005  // as a scheduler would
        let fresh = make(resumed.layer.parameters())
        try fresh.loadStateDict(a.stateDict(), source: "test")
        #expect(fresh.learningRate == 0.005, "\(name): the learning rate is part of the state")
        straight.train(a, steps: 3)
        resumed.train(fresh, steps: 3)
        #expect(straight.layer.parameters().map(\.scalars) == resumed.layer.parameters().map(\.scalars), "\(name)")
        // Without the state the fresh optimizer restarts its moments, and the runs part.
        let restarted = Problem(seed: 1)
        restarted.train(make(restarted.layer.parameters()), steps: 3)
        restarted.train(make(restarted.layer.parameters()), steps: 3)
        #expect(restarted.layer.parameters().map(\.scalars) != straight.layer.parameters().map(\.scalars), "\(name)")
    }

    @Test func stateNamesFollowPyTorch() {
        let problem = Problem(seed: 2)
        let sgd = SGD(problem.layer.parameters(), learningRate: 0.1, momentum: 0.9)
        #expect(sgd.stateDict().entries.isEmpty, "no buffers before the first step")
        problem.train(sgd, steps: 1)
        #expect(sgd.stateDict().entries.map(\.name) == ["state.0.momentum_buffer", "state.1.momentum_buffer"])
        #expect(sgd.stateDict().metadata["lr"] == "0.1")
        let adam = Adam(problem.layer.parameters())
        problem.train(adam, steps: 2)
        let state = adam.stateDict()
        #expect(state.entries.map(\.name) == ["state.0.exp_avg", "state.0.exp_avg_sq", "state.1.exp_avg", "state.1.exp_avg_sq"])
        #expect(state.metadata["state.1.step"] == "2")
        #expect(state["state.0.exp_avg"]?.shape == [2, 3])
    }

    /// Each bad state, and the text its error must contain.
    static let badStates: [(change: (inout StateDict) -> Void, message: String)] = [
        ({ $0.metadata["type"] = "SGD" }, "'type': the state was saved by SGD, not by Adam"),
        ({ $0.metadata["beta1"] = "0.8" }, "'beta1': saved as 0.8, but this Adam has 0.9"),
        ({ $0.metadata["param_count"] = "3" }, "'param_count': saved for 3 parameters, but this optimizer has 2"),
        ({ $0.metadata["lr"] = nil }, "'lr': missing"),
        ({ $0.metadata["lr"] = "fast" }, "'lr': 'fast' is not a valid Float"),
        ({ $0.entries[0].tensor = Tensor.zeros([3, 2]) }, "'state.0.exp_avg': shape [3, 2] saved, but parameter 0 has shape [2, 3]"),
        ({ $0.entries.append(("state.2.exp_avg", Tensor.zeros([2]))) }, "'state.2.exp_avg': unexpected key"),
        ({ $0.entries.append(("state.1.momentum_buffer", Tensor.zeros([2]))) }, "'state.1.momentum_buffer': unexpected key"),
        ({ $0.entries.removeFirst() }, "'state.0.exp_avg': missing, but state.0.step is 1"),
        ({ $0.metadata["state.1.step"] = nil }, "'state.1.exp_avg': saved, but state.1.step is missing"),
    ]

    @Test(arguments: badStates.indices)
    func badStateIsRefusedAndChangesNothing(_ index: Int) throws {
        let problem = Problem(seed: 3)
        let saved = Adam(problem.layer.parameters())
        problem.train(saved, steps: 1)
        var state = saved.stateDict()
        Self.badStates[index].change(&state)
        let target = Adam(problem.layer.parameters(), learningRate: 0.5)
        let error = #expect(throws: StateDictError.self) { try target.loadStateDict(state, source: "run.ckpt") }
        let text = error.map(String.init(describing:)) ?? ""
        #expect(text.hasPrefix("run.ckpt: "), "names the source: \(text)")
        #expect(text.contains(Self.badStates[index].message), "\(text)")
        #expect(target.learningRate == 0.5 && target.steps == [0, 0], "nothing changed")
    }

    @Test func schedulerStatesRoundTrip() throws {
        let makers: [(Optimizer) -> LRScheduler] = [
            { StepLR($0, stepSize: 2, gamma: 0.5) },
            { WarmupCosineLR($0, warmupSteps: 3, totalSteps: 10, minLR: 0.001) },
            { ReduceLROnPlateau($0, patience: 1, cooldown: 1) },
        ]
        let metrics: [Float] = [3, 2, 2.5, 2.4, 2.6, 1, 1.5, 1.5, 1.2, 2]
        for make in makers {
            let a = SGD([Tensor.zeros([1], requiresGrad: true)], learningRate: 0.1), b = SGD([Tensor.zeros([1], requiresGrad: true)], learningRate: 0.1)
            let first = make(a), second = make(b)
            for t in 0..<4 { stepScheduler(first, metric: metrics[t]) }
            try second.loadStateDict(first.stateDict(), source: "test")
            try b.loadStateDict(a.stateDict(), source: "test")
            #expect(second.stateDict().metadata == first.stateDict().metadata)
            for t in 4..<10 {
                stepScheduler(first, metric: metrics[t])
                stepScheduler(second, metric: metrics[t])
                #expect(a.learningRate == b.learningRate, "\(type(of: first)) at step \(t)")
            }
            #expect(second.lastEpoch == 10)
        }
    }

    @Test func schedulerSettingsMustMatch() throws {
        let saved = StepLR(SGD([Tensor.zeros([1], requiresGrad: true)], learningRate: 0.1), stepSize: 2, gamma: 0.5).stateDict()
        let other = StepLR(SGD([Tensor.zeros([1], requiresGrad: true)], learningRate: 0.1), stepSize: 3, gamma: 0.5)
        let error = #expect(throws: StateDictError.self) { try other.loadStateDict(saved, source: "run.ckpt") }
        #expect(String(describing: error!).contains("run.ckpt: 'step_size': saved as 2, but this StepLR has 3"))
        let plateau = ReduceLROnPlateau(SGD([Tensor.zeros([1], requiresGrad: true)], learningRate: 0.1))
        let wrongType = #expect(throws: StateDictError.self) { try plateau.loadStateDict(saved, source: "run.ckpt") }
        #expect(String(describing: wrongType!).contains("saved by StepLR, not by ReduceLROnPlateau"))
    }
}
