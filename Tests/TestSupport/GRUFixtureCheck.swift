import Testing
import Torchlet

extension Fixture {
    /// Compares a GRU run with the fixture: `output` and `h_n`, then
    /// backpropagates the fixture's weighted loss and compares the gradients
    /// of the input, the initial state (if any) and every parameter.
    public func assertGRUMatches(
        _ gru: GRU, input: Tensor, h0: Tensor?, output: Tensor, h: Tensor,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        assertClose(output, try tensor("output"), "\(name) output", sourceLocation: sourceLocation)
        assertClose(h, try tensor("h_n"), "\(name) h_n", sourceLocation: sourceLocation)
        try loss([("output", output), ("h_n", h)]).backward()
        assertClose(input.grad!, try tensor("grad.input"), "\(name) grad.input", sourceLocation: sourceLocation)
        if let h0 {
            assertClose(h0.grad!, try tensor("grad.h0"), "\(name) grad.h0", sourceLocation: sourceLocation)
        }
        for (parameter, value) in gru.namedParameters() {
            assertClose(value.grad!, try tensor("grad.\(parameter)"), "\(name) grad.\(parameter)", sourceLocation: sourceLocation)
        }
    }
}
