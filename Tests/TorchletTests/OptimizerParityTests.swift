import Testing
import TestSupport
@testable import Torchlet

/// SGD (momentum, dampening, Nesterov, weight decay), Adam and AdamW
/// against PyTorch: three to six steps on a small linear regression,
/// comparing the loss, the gradients and the parameters after every step
/// (fixtures from scripts/make_fixtures.py).
@Suite struct OptimizerParityTests {
    /// Runs the fixture's steps with `makeOptimizer` and compares everything.
    func run(_ name: String, _ makeOptimizer: (Fixture, [Tensor]) throws -> Optimizer) throws {
        let f = try Fixture.load(name)
        let layer = Linear(inFeatures: 3, outFeatures: 2, generator: Generator(seed: 0))
        try f.load(into: layer)
        let input = try f.tensor("input"), target = try f.tensor("target")
        let optimizer = try makeOptimizer(f, layer.parameters())
        for step in 0..<(try f.int("steps")) {
            optimizer.zeroGrad()
            let loss = mseLoss(layer(input), target)
            assertClose(loss, try f.tensor("loss\(step)"), "\(name) loss\(step)")
            loss.backward()
            for (p, t) in layer.namedParameters() {
                assertClose(t.grad!, try f.tensor("grad\(step).\(p)"), "\(name) grad\(step).\(p)")
            }
            optimizer.step()
            for (p, t) in layer.namedParameters() {
                assertClose(t, try f.tensor("step\(step + 1).\(p)"), "\(name) step\(step + 1).\(p)")
            }
        }
    }

    @Test(arguments: ["sgd_momentum", "sgd_momentum_wd", "sgd_nesterov", "sgd_nesterov_wd", "sgd_dampening"])
    func sgd(name: String) throws {
        try run(name) { f, parameters in
            SGD(parameters, learningRate: try f.float("lr"), momentum: try f.float("momentum"),
                dampening: try f.float("dampening"), weightDecay: try f.float("weightDecay"),
                nesterov: try f.bool("nesterov"))
        }
    }

    @Test(arguments: ["adam", "adam_wd"])
    func adam(name: String) throws {
        try run(name) { f, parameters in
            Adam(parameters, learningRate: try f.float("lr"), beta1: try f.float("beta1"), beta2: try f.float("beta2"),
                 epsilon: try f.float("eps"), weightDecay: try f.float("weightDecay"))
        }
    }

    @Test(arguments: ["adamw", "adamw_strong_decay"])
    func adamW(name: String) throws {
        try run(name) { f, parameters in
            AdamW(parameters, learningRate: try f.float("lr"), beta1: try f.float("beta1"), beta2: try f.float("beta2"),
                  epsilon: try f.float("eps"), weightDecay: try f.float("weightDecay"))
        }
    }

    /// AdamW's decay is not Adam's: the same settings move the parameters
    /// differently (so the AdamW fixtures pin the decoupled rule), and with
    /// no decay the two are the same optimizer, bit for bit.
    @Test func adamWDiffersFromAdamOnlyThroughDecay() {
        func parameters(after makeOptimizer: ([Tensor]) -> Optimizer) -> [Float] {
            let layer = Linear(inFeatures: 3, outFeatures: 2, generator: Generator(seed: 5))
            let optimizer = makeOptimizer(layer.parameters())
            let input = Tensor.normal([4, 3], mean: 0, std: 1, generator: Generator(seed: 6))
            for _ in 0..<3 {
                optimizer.zeroGrad()
                mseLoss(layer(input), Tensor.zeros([4, 2])).backward()
                optimizer.step()
            }
            return layer.parameters().flatMap(\.scalars)
        }
        let adam = parameters { Adam($0, learningRate: 0.05, weightDecay: 0.1) }
        let adamW = parameters { AdamW($0, learningRate: 0.05, weightDecay: 0.1) }
        #expect(adam != adamW)
        #expect(parameters { Adam($0, learningRate: 0.05) } == parameters { AdamW($0, learningRate: 0.05, weightDecay: 0) })
        #expect(AdamW([Tensor.zeros([1], requiresGrad: true)], learningRate: 0.1).weightDecay == 0.01, "PyTorch's default")
    }
}
