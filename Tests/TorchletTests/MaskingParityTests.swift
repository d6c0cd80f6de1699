import Testing
import TestSupport
@testable import Torchlet

/// Masked softmax, masked max pooling and the "last valid output" gather
/// against PyTorch, from fixtures made by scripts/make_fixtures.py.
@Suite struct MaskingParityTests {
    @Test(arguments: ["masked_softmax", "masked_softmax_broadcast", "masked_softmax_dim0"])
    func maskedSoftmax(name: String) throws {
        let f = try Fixture.load(name)
        let scores = try f.tensor("scores", requiresGrad: true)
        let output = Torchlet.maskedSoftmax(scores, mask: try f.tensor("mask"), dim: try f.int("dim"))
        assertClose(output, try f.tensor("output"), "\(name) output")
        let loss = try f.loss([("output", output)])
        assertClose(loss, try f.tensor("loss"), tolerance: 1e-4, "\(name) loss")
        loss.backward()
        assertClose(scores.grad!, try f.tensor("grad.scores"), tolerance: 1e-5, "\(name) grad.scores")
    }

    @Test(arguments: ["masked_max", "masked_max_time_first"])
    func maskedMax(name: String) throws {
        let f = try Fixture.load(name)
        let values = try f.tensor("values", requiresGrad: true)
        let output = Torchlet.maskedMax(values, mask: try f.tensor("mask"), dim: try f.int("dim"))
        assertClose(output, try f.tensor("output"), "\(name) output")
        let loss = try f.loss([("output", output)])
        assertClose(loss, try f.tensor("loss"), tolerance: 1e-4, "\(name) loss")
        loss.backward()
        assertClose(values.grad!, try f.tensor("grad.values"), "\(name) grad.values")
    }

    /// `output.gather(1, (lengths − 1).view(B, 1, 1).expand(B, 1, H))` and
    /// its time-first twin, with the index built in Swift from the lengths.
    @Test(arguments: ["gather_last_valid_batch_first", "gather_last_valid_time_first"])
    func gatherLastValidOutput(name: String) throws {
        let f = try Fixture.load(name)
        let output = try f.tensor("output", requiresGrad: true)
        let lengths = try f.indices("lengths").data
        let batchFirst = try f.bool("batchFirst")
        let hidden = output.shape[2]
        let index = lengths.flatMap { [Int](repeating: $0 - 1, count: hidden) }
        let indexShape = batchFirst ? [lengths.count, 1, hidden] : [1, lengths.count, hidden]
        #expect(index == (try f.indices("index").data), "the index PyTorch built")
        let last = output.gather(dim: try f.int("dim"), index: index, indexShape: indexShape)
        assertClose(last, try f.tensor("last"), "\(name) last")
        let loss = try f.loss([("last", last)])
        assertClose(loss, try f.tensor("loss"), tolerance: 1e-5, "\(name) loss")
        loss.backward()
        assertClose(output.grad!, try f.tensor("grad.output"), "\(name) grad.output")
    }
}
