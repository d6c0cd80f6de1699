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
        try assertRecurrentMatches(
            lstm, outputs: [("output", output), ("h_n", h), ("c_n", c)],
            leaves: [("input", input)] + (state.map { [("h0", $0.h), ("c0", $0.c)] } ?? []),
            sourceLocation: sourceLocation)
    }

    /// Compares a GRU run with the fixture: `output` and `h_n`, then
    /// backpropagates the fixture's weighted loss and compares the gradients
    /// of the input, the initial state (if any) and every parameter.
    public func assertGRUMatches(
        _ gru: GRU, input: Tensor, h0: Tensor?, output: Tensor, h: Tensor,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        try assertRecurrentMatches(
            gru, outputs: [("output", output), ("h_n", h)],
            leaves: [("input", input)] + (h0.map { [("h0", $0)] } ?? []), sourceLocation: sourceLocation)
    }

    /// Compares each named output with the fixture's tensor of that name,
    /// backpropagates the fixture's weighted loss over them, and compares
    /// the gradient of each leaf (`grad.<name>`) and of every parameter.
    func assertRecurrentMatches(
        _ module: Module, outputs: [(String, Tensor)], leaves: [(String, Tensor)], sourceLocation: SourceLocation
    ) throws {
        for (key, value) in outputs {
            assertClose(value, try tensor(key), "\(name) \(key)", sourceLocation: sourceLocation)
        }
        try loss(outputs).backward()
        for (key, value) in leaves {
            assertClose(value.grad!, try tensor("grad.\(key)"), "\(name) grad.\(key)", sourceLocation: sourceLocation)
        }
        for (parameter, value) in module.namedParameters() {
            assertClose(value.grad!, try tensor("grad.\(parameter)"), "\(name) grad.\(parameter)", sourceLocation: sourceLocation)
        }
    }
}
