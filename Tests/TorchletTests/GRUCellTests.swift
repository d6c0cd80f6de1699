import Testing
import TestSupport
@testable import Torchlet

/// `GRUCell` against PyTorch's `nn.GRUCell` (values and every gradient), by
/// finite differences, and its preconditions.
@Suite struct GRUCellTests {
    @Test func matchesPyTorch() throws {
        let f = try Fixture.load("gru_cell")
        let cell = GRUCell(inputSize: try f.int("inputSize"), hiddenSize: try f.int("hiddenSize"), generator: Generator(seed: 0))
        try f.load(into: cell)
        let input = try f.tensor("input", requiresGrad: true)
        let h0 = try f.tensor("h0", requiresGrad: true)
        let h1 = cell(input, h0)
        assertClose(h1, try f.tensor("h1"), "h1")
        try f.loss([("h1", h1)]).backward()
        assertClose(input.grad!, try f.tensor("grad.input"), "grad.input")
        assertClose(h0.grad!, try f.tensor("grad.h0"), "grad.h0")
        for (p, t) in cell.namedParameters() {
            assertClose(t.grad!, try f.tensor("grad.\(p)"), "grad.\(p)")
        }
    }

    /// The classic slip, `n = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn)`, gives
    /// other numbers on the fixture: the fixture pins PyTorch's formula.
    @Test func resetGateOnHiddenStateIsADifferentCell() throws {
        let f = try Fixture.load("gru_cell")
        let cell = GRUCell(inputSize: try f.int("inputSize"), hiddenSize: try f.int("hiddenSize"), generator: Generator(seed: 0))
        try f.load(into: cell)
        let x = try f.tensor("input"), h = try f.tensor("h0")
        let wi = cell.weightIH.chunked(into: 3, dim: 0), wh = cell.weightHH.chunked(into: 3, dim: 0)
        let bi = cell.biasIH.chunked(into: 3, dim: 0), bh = cell.biasHH.chunked(into: 3, dim: 0)
        func affine(_ v: Tensor, _ w: Tensor, _ b: Tensor) -> Tensor { v.matmul(w.transposed()) + b }
        let r = (affine(x, wi[0], bi[0]) + affine(h, wh[0], bh[0])).sigmoid()
        let z = (affine(x, wi[1], bi[1]) + affine(h, wh[1], bh[1])).sigmoid()
        let slipped = (affine(x, wi[2], bi[2]) + affine(r * h, wh[2], bh[2])).tanh()
        let rightN = (affine(x, wi[2], bi[2]) + r * affine(h, wh[2], bh[2])).tanh()
        let expected = try f.tensor("h1")
        // The hand-written right formula reproduces the fixture...
        assertClose((1 - z) * rightN + z * h, expected, "right formula")
        // ...and the slipped one is off by far more than rounding.
        let wrong = ((1 - z) * slipped + z * h).scalars
        let gap = zip(wrong, expected.scalars).map { abs($0 - $1) }.max()!
        #expect(gap > 1e-2, "r ⊙ h inside W_hn should change h1; the largest difference was \(gap)")
    }

    @Test(arguments: 0..<5)
    func gradients(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let inputSize = 1 + g.nextInt(below: 3), hidden = 1 + g.nextInt(below: 3), batch = 1 + g.nextInt(below: 3)
        let cell = GRUCell(inputSize: inputSize, hiddenSize: hidden, generator: g)
        let x = randomTensor([batch, inputSize], generator: g), h = randomTensor([batch, hidden], generator: g)
        checkGradients([x, h] + cell.parameters()) { cell($0[0], $0[1]) }
        // Unbatched, from the zero state.
        let x1 = randomTensor([inputSize], generator: g)
        checkGradients([x1] + cell.parameters()) { cell($0[0]) }
    }

    @Test func parametersHavePyTorchNamesAndShapes() {
        let cell = GRUCell(inputSize: 3, hiddenSize: 5, generator: Generator(seed: 0))
        let shapes = Dictionary(uniqueKeysWithValues: cell.namedParameters().map { ($0.0, $0.1.shape) })
        #expect(shapes == ["weight_ih": [15, 3], "weight_hh": [15, 5], "bias_ih": [15], "bias_hh": [15]])
        let bound = 1 / Float(5).squareRoot()
        for (name, p) in cell.namedParameters() {
            #expect(p.scalars.allSatisfy { abs($0) <= bound }, "\(name) should lie in ±1/√H")
        }
    }

    @Test func unbatchedMatchesABatchOfOne() {
        let cell = GRUCell(inputSize: 3, hiddenSize: 4, generator: Generator(seed: 1))
        let g = Generator(seed: 2)
        let x = randomTensor([3], generator: g), h = randomTensor([4], generator: g)
        let one = cell(x, h)
        #expect(one.shape == [4])
        assertClose(one, cell(x.unsqueezed(dim: 0), h.unsqueezed(dim: 0)).squeezed(dim: 0), "unbatched")
    }

    @Test func wrongInputShapeStops() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let cell = GRUCell(inputSize: 3, hiddenSize: 2, generator: Generator(seed: 0))
            _ = cell(Tensor.zeros([2, 4]))
        }
        expectStandardError(result, contains: ["GRUCell: input shape [2, 4] should be [batch, 3] or [3]"])
    }

    @Test func wrongStateShapeStops() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let cell = GRUCell(inputSize: 3, hiddenSize: 2, generator: Generator(seed: 0))
            _ = cell(Tensor.zeros([2, 3]), Tensor.zeros([2, 3]))
        }
        expectStandardError(result, contains: ["GRUCell: h shape [2, 3] should be [2, 2]"])
    }
}
