import Testing
import TestSupport
@testable import Torchlet

/// `GRU` against PyTorch's `nn.GRU`, dense and packed: outputs, `h_n` and
/// every gradient, from fixtures made by scripts/make_fixtures.py; and the
/// fast kernel against `GRUCell` unrolled step by step.
@Suite struct GRUParityTests {
    @Test(arguments: ["gru_1layer", "gru_1layer_state", "gru_2layer", "gru_bidirectional",
                      "gru_2layer_bidirectional", "gru_batch_first"])
    func gruMatchesPyTorch(name: String) throws {
        let f = try Fixture.load(name)
        let gru = GRU(inputSize: try f.int("inputSize"), hiddenSize: try f.int("hiddenSize"),
                      numLayers: try f.int("numLayers"), batchFirst: try f.bool("batchFirst"),
                      bidirectional: try f.bool("bidirectional"), generator: Generator(seed: 0))
        try f.load(into: gru)
        #expect(gru.namedParameters().map(\.0).sorted() == f.keys().filter { !$0.contains(".") && $0.contains("_l") }.sorted())
        let input = try f.tensor("input", requiresGrad: true)
        let h0 = f.has("h0") ? try f.tensor("h0", requiresGrad: true) : nil
        let (output, h) = gru(input, h0)
        try f.assertGRUMatches(gru, input: input, h0: h0, output: output, h: h)
    }

    @Test(arguments: ["gru_packed_1layer", "gru_packed_2layer_bidirectional"])
    func packedGRUMatchesPyTorch(name: String) throws {
        let f = try Fixture.load(name)
        let gru = GRU(inputSize: try f.int("inputSize"), hiddenSize: try f.int("hiddenSize"),
                      numLayers: try f.int("numLayers"), bidirectional: try f.bool("bidirectional"),
                      generator: Generator(seed: 0))
        try f.load(into: gru)
        let input = try f.tensor("input", requiresGrad: true)
        let h0 = try f.bool("initialState") ? try f.tensor("h0", requiresGrad: true) : nil
        let packed = packPaddedSequence(input, lengths: try f.indices("lengths").data, enforceSorted: try f.bool("enforceSorted"))
        #expect(packed.batchSizes == (try f.indices("batch_sizes").data))
        let (out, h) = gru(packed, h0)
        assertClose(out.data, try f.tensor("output_data"), "\(name) output_data")
        let (output, _) = padPackedSequence(out)
        try f.assertGRUMatches(gru, input: input, h0: h0, output: output, h: h)
    }

    /// The kernel equals `GRUCell` applied step by step with the same
    /// weights, values and gradients, in both directions of a bidirectional
    /// GRU, at a hidden size with both full eight-wide vectors and a
    /// remainder (H = 11).
    @Test func kernelEqualsUnrolledCells() {
        let g = Generator(seed: 21)
        let (steps, batch, inputSize, hidden) = (5, 3, 6, 11)
        let gru = GRU(inputSize: inputSize, hiddenSize: hidden, bidirectional: true, generator: g)
        let parameters = Dictionary(uniqueKeysWithValues: gru.namedParameters())
        let cells = ["_l0", "_l0_reverse"].map { suffix in
            let cell = GRUCell(inputSize: inputSize, hiddenSize: hidden, generator: g)
            for (name, p) in cell.namedParameters() { p.scalars = parameters[name + suffix]!.scalars }
            return cell
        }
        let x = randomTensor([steps, batch, inputSize], generator: g), h0 = randomTensor([2, batch, hidden], generator: g)
        let weight = randomTensor([steps, batch, 2 * hidden], generator: g)
        func leaf(_ t: Tensor) -> Tensor { Tensor(t.scalars, shape: t.shape, requiresGrad: true) }
        let (xLayer, hLayer, xCell, hCell) = (leaf(x), leaf(h0), leaf(x), leaf(h0))

        let (output, hN) = gru(xLayer, hLayer)
        var halves: [Tensor] = [], finals: [Tensor] = []
        for (direction, cell) in cells.enumerated() {
            var h = hCell.selected(dim: 0, index: direction)
            var outputs = [Tensor?](repeating: nil, count: steps)
            for t in direction == 0 ? Array(0..<steps) : Array((0..<steps).reversed()) {
                h = cell(xCell.selected(dim: 0, index: t), h)
                outputs[t] = h
            }
            halves.append(Tensor(stacking: outputs.map { $0! }, dim: 0))
            finals.append(h)
        }
        let unrolled = Tensor(concatenating: halves, dim: 2), unrolledH = Tensor(stacking: finals, dim: 0)
        assertClose(output, unrolled, "output")
        assertClose(hN, unrolledH, "h_n")
        ((output * weight).sum() + hN.sum()).backward()
        ((unrolled * weight).sum() + unrolledH.sum()).backward()
        assertClose(xLayer.grad!, xCell.grad!, "grad input")
        assertClose(hLayer.grad!, hCell.grad!, "grad h0")
        for (cell, suffix) in zip(cells, ["_l0", "_l0_reverse"]) {
            for (name, p) in cell.namedParameters() {
                assertClose(parameters[name + suffix]!.grad!, p.grad!, "grad \(name + suffix)")
            }
        }
    }
}
