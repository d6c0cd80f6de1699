import Testing
import TestSupport
@testable import Torchlet

/// SGD (momentum, dampening, Nesterov, weight decay) and Adam
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
}
