import Testing
import TestSupport
@testable import Torchlet

/// The fused `LSTM` kernel against `LSTMCell` stepped by hand: the same
/// outputs, final state and gradients, forward and reverse.
@Suite struct LSTMUnrollTests {
    /// Copies direction `suffix` of layer 0 of `lstm` into a new cell.
    static func cell(from lstm: LSTM, suffix: String) -> LSTMCell {
        let cell = LSTMCell(inputSize: lstm.inputSize, hiddenSize: lstm.hiddenSize, generator: Generator(seed: 99))
        let source = Dictionary(uniqueKeysWithValues: lstm.namedParameters().map { ($0.name, $0.tensor) })
        for (name, p) in cell.namedParameters() {
            p.scalars = source[name + "_l0" + suffix]!.scalars
        }
        return cell
    }

    /// Runs `cell` over `x` `[T, B, I]` in the order `steps`; returns the
    /// outputs stacked in time order and the final state.
    static func unroll(_ cell: LSTMCell, _ x: Tensor, _ state: LSTMState, steps: [Int]) -> (Tensor, LSTMState) {
        var state = state
        var outputs = [Tensor?](repeating: nil, count: x.shape[0])
        for t in steps {
            state = cell(x[t], state)
            outputs[t] = state.h
        }
        return (Tensor(stacking: outputs.map { $0! }, dim: 0), state)
    }

    @Test(arguments: 0..<5)
    func unidirectional(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let steps = 1 + g.nextInt(below: 6), batch = 1 + g.nextInt(below: 3)
        let lstm = LSTM(inputSize: 3, hiddenSize: 4, generator: g)
        let cell = Self.cell(from: lstm, suffix: "")
        let x = randomTensor([steps, batch, 3], generator: g)
        let h0 = randomTensor([1, batch, 4], generator: g), c0 = randomTensor([1, batch, 4], generator: g)
        let weights = (0..<3).map { k in Tensor.normal(k == 0 ? [steps, batch, 4] : [1, batch, 4], generator: g) }

        let leaves = [x, h0, c0].map { Tensor($0.scalars, shape: $0.shape, requiresGrad: true) }
        let (output, (h, c)) = lstm(leaves[0], (leaves[1], leaves[2]))
        ((output * weights[0]).sum() + (h * weights[1]).sum() + (c * weights[2]).sum()).backward()

        let cellLeaves = [x, h0, c0].map { Tensor($0.scalars, shape: $0.shape, requiresGrad: true) }
        let (cellOutput, (ch, cc)) = Self.unroll(
            cell, cellLeaves[0], (cellLeaves[1][0], cellLeaves[2][0]), steps: Array(0..<steps))
        ((cellOutput * weights[0]).sum() + (ch.unsqueezed(dim: 0) * weights[1]).sum()
            + (cc.unsqueezed(dim: 0) * weights[2]).sum()).backward()

        assertClose(output.scalars, cellOutput.scalars, "output")
        assertClose(h.scalars, ch.scalars, "h_n")
        assertClose(c.scalars, cc.scalars, "c_n")
        for (k, name) in ["x", "h0", "c0"].enumerated() {
            assertClose(leaves[k].grad!.scalars, cellLeaves[k].grad!.scalars, "grad \(name)")
        }
        for (name, p) in cell.namedParameters() {
            assertClose(lstm.namedParameters().first { $0.name == name + "_l0" }!.tensor.grad!.scalars,
                        p.grad!.scalars, "grad \(name)")
        }
    }

    /// The reverse direction of a bidirectional LSTM is the cell run over
    /// the reversed input; its outputs sit in the second half of the
    /// features, in the original time order.
    @Test(arguments: 0..<5)
    func bidirectionalReverse(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let steps = 1 + g.nextInt(below: 6), batch = 1 + g.nextInt(below: 3), hidden = 3
        let lstm = LSTM(inputSize: 2, hiddenSize: hidden, bidirectional: true, generator: g)
        let forwardCell = Self.cell(from: lstm, suffix: ""), reverseCell = Self.cell(from: lstm, suffix: "_reverse")
        let x = randomTensor([steps, batch, 2], generator: g)
        let weight = Tensor.normal([steps, batch, 2 * hidden], generator: g)

        let input = Tensor(x.scalars, shape: x.shape, requiresGrad: true)
        let (output, (h, c)) = lstm(input)
        (output * weight).sum().backward()

        let cellInput = Tensor(x.scalars, shape: x.shape, requiresGrad: true)
        let zero = Tensor.zeros([batch, hidden])
        let (forwardOut, forwardState) = Self.unroll(forwardCell, cellInput, (zero, zero), steps: Array(0..<steps))
        let (reverseOut, reverseState) = Self.unroll(reverseCell, cellInput, (zero, zero), steps: (0..<steps).reversed())
        let cellOutput = Tensor(concatenating: [forwardOut, reverseOut], dim: 2)
        (cellOutput * weight).sum().backward()

        assertClose(output.scalars, cellOutput.scalars, "output")
        assertClose(h[1].scalars, reverseState.h.scalars, "h_n reverse")
        assertClose(c[1].scalars, reverseState.c.scalars, "c_n reverse")
        assertClose(h[0].scalars, forwardState.h.scalars, "h_n forward")
        assertClose(input.grad!.scalars, cellInput.grad!.scalars, "grad input")
        for (name, p) in reverseCell.namedParameters() {
            assertClose(lstm.namedParameters().first { $0.name == name + "_l0_reverse" }!.tensor.grad!.scalars,
                        p.grad!.scalars, "grad \(name)_reverse")
        }
    }
}
