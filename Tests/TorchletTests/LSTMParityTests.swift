import Testing
import TestSupport
@testable import Torchlet

/// `LSTM` and `LSTMCell` against PyTorch: outputs, final states and every
/// gradient, from fixtures made by scripts/make_fixtures.py.
@Suite struct LSTMParityTests {
    @Test(arguments: ["lstm_1layer", "lstm_1layer_state", "lstm_2layer", "lstm_bidirectional",
                      "lstm_2layer_bidirectional", "lstm_batch_first"])
    func lstmMatchesPyTorch(name: String) throws {
        let f = try Fixture.load(name)
        let lstm = LSTM(inputSize: try f.int("inputSize"), hiddenSize: try f.int("hiddenSize"),
                        numLayers: try f.int("numLayers"), batchFirst: try f.bool("batchFirst"),
                        bidirectional: try f.bool("bidirectional"), generator: Generator(seed: 0))
        try f.load(into: lstm)
        let input = try f.tensor("input", requiresGrad: true)
        var state: LSTMState? = nil
        if f.has("h0") { state = (try f.tensor("h0", requiresGrad: true), try f.tensor("c0", requiresGrad: true)) }
        let (output, (h, c)) = lstm(input, state)
        try f.assertLSTMMatches(lstm, input: input, state: state, output: output, h: h, c: c)
    }

    @Test func lstmCellMatchesPyTorch() throws {
        let f = try Fixture.load("lstm_cell")
        let cell = LSTMCell(inputSize: try f.int("inputSize"), hiddenSize: try f.int("hiddenSize"), generator: Generator(seed: 0))
        try f.load(into: cell)
        let input = try f.tensor("input", requiresGrad: true)
        let h0 = try f.tensor("h0", requiresGrad: true), c0 = try f.tensor("c0", requiresGrad: true)
        let (h1, c1) = cell(input, (h0, c0))
        assertClose(h1, try f.tensor("h1"), "h1")
        assertClose(c1, try f.tensor("c1"), "c1")
        try f.loss([("h1", h1), ("c1", c1)]).backward()
        assertClose(input.grad!, try f.tensor("grad.input"), "grad.input")
        assertClose(h0.grad!, try f.tensor("grad.h0"), "grad.h0")
        assertClose(c0.grad!, try f.tensor("grad.c0"), "grad.c0")
        for (p, t) in cell.namedParameters() {
            assertClose(t.grad!, try f.tensor("grad.\(p)"), "grad.\(p)")
        }
    }
}
