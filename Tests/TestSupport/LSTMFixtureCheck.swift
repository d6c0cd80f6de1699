import Testing
import Torchlet

extension Fixture {
    /// Compares an LSTM run with the fixture: `output`, `h_n`, `c_n`, then
    /// backpropagates the fixture's weighted loss and compares the gradients
    /// of the input, the initial state (if any) and every parameter.
    public func assertLSTMMatches(
        _ lstm: LSTM, input: Tensor, state: LSTMState?, output: Tensor, h: Tensor, c: Tensor,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        assertClose(output, try tensor("output"), "\(name) output", sourceLocation: sourceLocation)
        assertClose(h, try tensor("h_n"), "\(name) h_n", sourceLocation: sourceLocation)
        assertClose(c, try tensor("c_n"), "\(name) c_n", sourceLocation: sourceLocation)
        try loss([("output", output), ("h_n", h), ("c_n", c)]).backward()
        assertClose(input.grad!, try tensor("grad.input"), "\(name) grad.input", sourceLocation: sourceLocation)
        if let state {
            assertClose(state.h.grad!, try tensor("grad.h0"), "\(name) grad.h0", sourceLocation: sourceLocation)
            assertClose(state.c.grad!, try tensor("grad.c0"), "\(name) grad.c0", sourceLocation: sourceLocation)
        }
        for (parameter, value) in lstm.namedParameters() {
            assertClose(value.grad!, try tensor("grad.\(parameter)"), "\(name) grad.\(parameter)", sourceLocation: sourceLocation)
        }
    }
}
