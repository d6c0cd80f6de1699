import Testing
import TestSupport
@testable import Torchlet

/// Packing and the packed LSTM against PyTorch (`pack_padded_sequence`,
/// `pad_packed_sequence`, `nn.LSTM` on a `PackedSequence`), from fixtures
/// made by scripts/make_fixtures.py.
@Suite struct PackedParityTests {
    @Test(arguments: ["pack_padded_sorted", "pack_padded_unsorted", "pack_padded_batch_first",
                      "pack_padded_batch_first_sorted", "pad_packed_total_length", "pad_packed_total_length_batch_first"])
    func packingMatchesPyTorch(name: String) throws {
        let f = try Fixture.load(name)
        let batchFirst = try f.bool("batchFirst"), enforceSorted = try f.bool("enforceSorted")
        let totalLength = try f.int("totalLength")
        let input = try f.tensor("input", requiresGrad: true)
        let lengths = try f.indices("lengths").data
        let packed = packPaddedSequence(input, lengths: lengths, batchFirst: batchFirst, enforceSorted: enforceSorted)
        assertClose(packed.data, try f.tensor("data"), tolerance: 0, "\(name) data")
        #expect(packed.batchSizes == (try f.indices("batch_sizes").data), "\(name) batch_sizes")
        if enforceSorted {
            #expect(packed.sortedIndices == nil && packed.unsortedIndices == nil)
        } else {
            #expect(packed.sortedIndices == (try f.indices("sorted_indices").data), "\(name) sorted_indices")
            #expect(packed.unsortedIndices == (try f.indices("unsorted_indices").data), "\(name) unsorted_indices")
        }
        let (padded, back) = padPackedSequence(
            packed, batchFirst: batchFirst, paddingValue: try f.float("paddingValue"),
            totalLength: totalLength < 0 ? nil : totalLength)
        assertClose(padded, try f.tensor("padded"), tolerance: 0, "\(name) padded")
        #expect(back == (try f.indices("padded_lengths").data), "\(name) lengths")
        try f.loss([("data", packed.data), ("padded", padded)]).backward()
        assertClose(input.grad!, try f.tensor("grad.input"), "\(name) grad.input")
    }

    @Test(arguments: ["lstm_packed_1layer", "lstm_packed_2layer", "lstm_packed_bidirectional",
                      "lstm_packed_2layer_bidirectional", "lstm_packed_sorted"])
    func packedLSTMMatchesPyTorch(name: String) throws {
        let f = try Fixture.load(name)
        let lstm = LSTM(inputSize: try f.int("inputSize"), hiddenSize: try f.int("hiddenSize"),
                        numLayers: try f.int("numLayers"), bidirectional: try f.bool("bidirectional"),
                        generator: Generator(seed: 0))
        try f.load(into: lstm)
        let input = try f.tensor("input", requiresGrad: true)
        var state: LSTMState? = nil
        if try f.bool("initialState") { state = (try f.tensor("h0", requiresGrad: true), try f.tensor("c0", requiresGrad: true)) }
        let packed = packPaddedSequence(input, lengths: try f.indices("lengths").data, enforceSorted: try f.bool("enforceSorted"))
        #expect(packed.batchSizes == (try f.indices("batch_sizes").data))
        let (out, (h, c)) = lstm(packed, state)
        assertClose(out.data, try f.tensor("output_data"), "\(name) output_data")
        let (output, _) = padPackedSequence(out)
        try f.assertLSTMMatches(lstm, input: input, state: state, output: output, h: h, c: c)
    }
}
