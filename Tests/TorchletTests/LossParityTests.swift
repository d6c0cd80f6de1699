import Testing
import TestSupport
@testable import Torchlet

/// Losses and softmax against PyTorch, from fixtures made by
/// scripts/make_fixtures.py.
@Suite struct LossParityTests {
    static func reduction(_ name: String) -> Reduction {
        switch name {
        case "sum": return .sum
        case "none": return .none
        default: return .mean
        }
    }

    @Test(arguments: ["cross_entropy_mean", "cross_entropy_sum", "cross_entropy_none", "cross_entropy_ignore_pad"])
    func crossEntropy(name: String) throws {
        let f = try Fixture.load(name)
        let logits = try f.tensor("logits", requiresGrad: true)
        let reduction = Self.reduction(try f.string("reduction"))
        let output = Torchlet.crossEntropy(
            logits, targets: try f.indices("target").data, ignoreIndex: try f.int("ignoreIndex"), reduction: reduction)
        assertClose(output, try f.tensor("output"), "\(name) output")
        let loss = reduction == .none ? try f.loss([("output", output)]) : output
        assertClose(loss, try f.tensor("loss"), "\(name) loss")
        loss.backward()
        assertClose(logits.grad!, try f.tensor("grad.logits"), "\(name) grad.logits")
    }

    @Test func nllLossMean() throws {
        let f = try Fixture.load("nll_loss_mean")
        let logits = try f.tensor("logits", requiresGrad: true)
        let logProbs = logits.logSoftmax(dim: 1)
        assertClose(logProbs, try f.tensor("log_probs"), "log_probs")
        let output = nllLoss(logProbs, targets: try f.indices("target").data, ignoreIndex: try f.int("ignoreIndex"))
        assertClose(output, try f.tensor("output"), "output")
        output.backward()
        assertClose(logits.grad!, try f.tensor("grad.logits"), "grad.logits")
    }

    @Test(arguments: ["log_softmax", "softmax", "log_softmax_dim0", "softmax_dim0"])
    func softmax(name: String) throws {
        let f = try Fixture.load(name)
        let input = try f.tensor("input", requiresGrad: true)
        let dim = try f.int("dim")
        let output = name.hasPrefix("log_") ? input.logSoftmax(dim: dim) : input.softmax(dim: dim)
        assertClose(output, try f.tensor("output"), "\(name) output")
        let loss = try f.loss([("output", output)])
        assertClose(loss, try f.tensor("loss"), "\(name) loss")
        loss.backward()
        assertClose(input.grad!, try f.tensor("grad.input"), "\(name) grad.input")
    }
}

/// `binaryCrossEntropyWithLogits` against `F.binary_cross_entropy_with_logits`,
/// including logits of ±30, a soft label and `pos_weight`.
@Suite struct BinaryCrossEntropyParityTests {
    @Test(arguments: ["bce_with_logits_mean", "bce_with_logits_sum", "bce_with_logits_none", "bce_with_logits_pos_weight"])
    func binaryCrossEntropyWithLogits(name: String) throws {
        let f = try Fixture.load(name)
        let logits = try f.tensor("logits", requiresGrad: true)
        let targets = try f.tensor("targets", requiresGrad: true)
        let reduction = LossParityTests.reduction(try f.string("reduction"))
        let posWeight = try f.bool("posWeight") ? try f.tensor("pos_weight") : nil
        let output = Torchlet.binaryCrossEntropyWithLogits(logits, targets: targets, reduction: reduction, posWeight: posWeight)
        assertClose(output, try f.tensor("output"), "\(name) output")
        let loss = reduction == .none ? try f.loss([("output", output)]) : output
        assertClose(loss, try f.tensor("loss"), "\(name) loss")
        loss.backward()
        assertClose(logits.grad!, try f.tensor("grad.logits"), "\(name) grad.logits")
        assertClose(targets.grad!, try f.tensor("grad.targets"), "\(name) grad.targets")
    }
}
