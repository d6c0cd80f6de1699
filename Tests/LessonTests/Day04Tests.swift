import Course
import Solutions
import Testing
import TestSupport
import Torchlet
@testable import day4

/// Day 4's exercises: each check runs against the reference solution (must
/// pass), against the student's code (graded in a child process with a time
/// limit; cancelled while it throws TODO), and against deliberately wrong
/// versions (must be rejected).
@Suite("Day04") struct Day04Tests {
    /// Random lengths in `1...maxLength` for a batch of `1...maxBatch`
    /// sequences: sorted decreasing when `sorted`, with ties likely either way.
    static func randomLengths(_ g: Generator, maxBatch: Int = 8, maxLength: Int = 7, sorted: Bool) -> [Int] {
        let batch = 1 + g.nextInt(below: maxBatch)
        let lengths = (0..<batch).map { _ in 1 + g.nextInt(below: maxLength) }
        return sorted ? lengths.sorted(by: >) : lengths
    }

    /// Random scalar sequences with the given lengths.
    static func randomSequences(_ lengths: [Int], _ g: Generator) -> [[Float]] {
        lengths.map { n in (0..<n).map { _ in g.nextNormal() } }
    }

    /// Torchlet's packing of scalar sequences, in any order.
    static func libraryPack(_ sequences: [[Float]], enforceSorted: Bool = false) -> PackedSequence {
        packSequence(sequences.map { Tensor($0, shape: [$0.count]) }, enforceSorted: enforceSorted)
    }

    // MARK: 4.1 batch sizes from lengths

    /// Compares batch sizes with `packSequence`'s on random lengths, sorted
    /// and unsorted, with ties, from several seeds; plus a fixed few.
    static func checkBatchSizes(_ batchSizes: ([Int]) throws -> [Int]) throws {
        var cases: [[Int]] = [[3, 4, 5], [7, 2, 2], [1], [4, 4, 4], [1, 1, 6]]
        for seed in UInt64(0)..<20 {
            let g = Generator(seed: seed)
            cases.append(randomLengths(g, maxBatch: 10, maxLength: 12, sorted: seed % 3 == 0))
        }
        for lengths in cases {
            let expected = packSequence(lengths.map { [Int](repeating: 0, count: $0) }, enforceSorted: false).batchSizes
            try requireEqual(try batchSizes(lengths), expected, "the batch sizes for lengths \(lengths)",
                             hint: "batchSizes[t] counts the lengths greater than t, for t in 0..<(the longest length); "
                                 + "the lengths may come in any order")
        }
    }

    @Test("4.1 batch sizes from lengths (reference)") func reference4_1() {
        reference("4.1") { try Self.checkBatchSizes { Solutions.Day4.batchSizes(lengths: $0) } }
    }

    static let graded4_1 = GradedExercise("4.1", "batch sizes from lengths", function: "batchSizes", forbids: ["packSequence", "packPaddedSequence"])

    @Test("4.1 batch sizes from lengths") func exercise4_1() async throws {
        try await grade(Self.graded4_1) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("4.1") { try Day04Tests.checkBatchSizes { try day4.batchSizes(lengths: $0) } }
            }
        }
    }

    @Test("4.1 the check rejects wrong batch sizes") func rejectsWrong4_1() {
        expectRejects("4.1", "counting lengths ≥ t instead of > t") {
            try Self.checkBatchSizes { lengths in (0..<lengths.max()!).map { t in lengths.filter { $0 >= t }.count } }
        }
        expectRejects("4.1", "taking the first length as the longest (sorted input only)") {
            try Self.checkBatchSizes { lengths in (0..<lengths[0]).map { t in lengths.filter { $0 > t }.count } }
        }
        expectRejects("4.1", "the lengths sorted decreasing instead of the batch sizes") {
            try Self.checkBatchSizes { lengths in lengths.sorted(by: >) }
        }
    }

    // MARK: 4.2 pack scalar sequences

    /// Compares packing with `packSequence(_:enforceSorted: false)` on random
    /// sequences with ties in length, from several seeds: data, batch sizes
    /// and sorted indices.
    static func checkPack(_ pack: ([[Float]]) throws -> (data: [Float], batchSizes: [Int], sortedIndices: [Int])) throws {
        var cases: [[[Float]]] = [[[1, 2, 3], [1, 2, 3, 4], [1, 2, 3, 4, 5]], [[1], [2, 2], [3], [4, 4]]]
        for seed in UInt64(0)..<20 {
            let g = Generator(seed: seed)
            cases.append(randomSequences(randomLengths(g, sorted: seed % 4 == 0), g))
        }
        for sequences in cases {
            let expected = libraryPack(sequences)
            let lengths = sequences.map(\.count)
            let got = try pack(sequences)
            try requireEqual(got.sortedIndices, expected.sortedIndices!, "sortedIndices for lengths \(lengths)",
                             hint: "sortedIndices[k] is the original index of the k-th longest sequence; "
                                 + "equal lengths keep their original order (a stable sort)")
            try requireEqual(got.batchSizes, expected.batchSizes, "batchSizes for lengths \(lengths)",
                             hint: "batchSizes[t] counts the sequences longer than t")
            try requireClose(got.data, expected.data.scalars, "the packed data for lengths \(lengths)",
                             hint: "read step by step: step 0 of every sequence in sorted order, then step 1 of "
                                 + "those that have one, …")
        }
    }

    @Test("4.2 pack scalar sequences (reference)") func reference4_2() {
        reference("4.2") { try Self.checkPack { Solutions.Day4.pack($0) } }
    }

    static let graded4_2 = GradedExercise("4.2", "pack scalar sequences", function: "pack", forbids: ["packSequence", "packPaddedSequence"])

    @Test("4.2 pack scalar sequences") func exercise4_2() async throws {
        try await grade(Self.graded4_2) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("4.2") { try Day04Tests.checkPack { try day4.pack($0) } }
            }
        }
    }

    @Test("4.2 the check rejects wrong packings") func rejectsWrong4_2() {
        /// Longest first; equal lengths in original order, or reversed with `tiesLaterFirst`.
        func sorted(_ sequences: [[Float]], tiesLaterFirst: Bool = false) -> [Int] {
            let lengths = sequences.map(\.count)
            return lengths.indices.sorted {
                lengths[$0] > lengths[$1] || (lengths[$0] == lengths[$1] && (tiesLaterFirst ? $0 > $1 : $0 < $1))
            }
        }
        /// Step by step, one value of every sequence in `order` that has that step.
        func interleaved(_ sequences: [[Float]], order: [Int]) -> [Float] {
            let steps = sequences.map(\.count).max()!
            return (0..<steps).flatMap { t in order.compactMap { t < sequences[$0].count ? sequences[$0][t] : nil } }
        }
        expectRejects("4.2", "sequences concatenated one after another (batch-major)") {
            try Self.checkPack { s in
                let order = sorted(s)
                return (order.flatMap { s[$0] }, Solutions.Day4.batchSizes(lengths: s.map(\.count)), order)
            }
        }
        expectRejects("4.2", "equal lengths in reverse order (an unstable sort)") {
            try Self.checkPack { s in
                let order = sorted(s, tiesLaterFirst: true)
                return (interleaved(s, order: order), Solutions.Day4.batchSizes(lengths: s.map(\.count)), order)
            }
        }
        expectRejects("4.2", "interleaving in the original order, without sorting") {
            try Self.checkPack { s in
                (interleaved(s, order: Array(s.indices)), Solutions.Day4.batchSizes(lengths: s.map(\.count)), sorted(s))
            }
        }
        expectRejects("4.2", "returning unsortedIndices in place of sortedIndices") {
            try Self.checkPack { s in
                let right = Solutions.Day4.pack(s)
                var inverse = right.sortedIndices
                for (k, b) in right.sortedIndices.enumerated() { inverse[b] = k }
                return (right.data, right.batchSizes, inverse)
            }
        }
    }

    // MARK: 4.3 unpack with totalLength

    typealias Unpack = ([Float], [Int], [Int], Int?, Float) throws -> (padded: [[Float]], lengths: [Int])

    /// Compares unpacking with `padPackedSequence(_:batchFirst: true,
    /// paddingValue:totalLength:)` on random packed batches (sorted and not),
    /// with and without `totalLength`, with zero and non-zero padding values.
    static func checkUnpack(_ unpack: Unpack) throws {
        for seed in UInt64(0)..<24 {
            let g = Generator(seed: seed)
            let enforceSorted = seed % 4 == 3
            let lengths = randomLengths(g, sorted: enforceSorted)
            let packed = libraryPack(randomSequences(lengths, g), enforceSorted: enforceSorted)
            let totalLength: Int? = seed % 3 == 0 ? nil : lengths.max()! + g.nextInt(below: 4)
            let paddingValue: Float = seed % 2 == 0 ? 0 : Float(g.nextInt(below: 9)) - 4.5
            let (expected, expectedLengths) = padPackedSequence(
                packed, batchFirst: true, paddingValue: paddingValue, totalLength: totalLength)
            let unsorted = packed.unsortedIndices ?? Array(lengths.indices)
            let what = "lengths \(lengths), totalLength \(totalLength.map(String.init) ?? "nil"), paddingValue \(paddingValue) (seed \(seed))"
            let got = try unpack(packed.data.scalars, packed.batchSizes, unsorted, totalLength, paddingValue)
            try requireEqual(got.lengths, expectedLengths, "the lengths for \(what)",
                             hint: "return the lengths in the original batch order")
            try requireEqual(got.padded.count, lengths.count, "the number of rows for \(what)", hint: "one row per sequence")
            let steps = expected.shape[1]
            for (b, row) in got.padded.enumerated() {
                let want = Array(expected.scalars[(b * steps)..<((b + 1) * steps)])
                try requireClose(row, want, "row \(b) for \(what)",
                                 hint: "rows come back in the original order (unsortedIndices[b] is row b's sorted position), "
                                     + "padded with paddingValue to totalLength, or to the longest length when it is nil")
            }
        }
    }

    @Test("4.3 unpack with totalLength (reference)") func reference4_3() {
        reference("4.3") {
            try Self.checkUnpack {
                Solutions.Day4.unpack(data: $0, batchSizes: $1, unsortedIndices: $2, totalLength: $3, paddingValue: $4)
            }
        }
    }

    static let graded4_3 = GradedExercise("4.3", "unpack with totalLength", function: "unpack", forbids: ["padPackedSequence"])

    @Test("4.3 unpack with totalLength") func exercise4_3() async throws {
        try await grade(Self.graded4_3) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("4.3") {
                    try Day04Tests.checkUnpack { try day4.unpack(data: $0, batchSizes: $1, unsortedIndices: $2, totalLength: $3, paddingValue: $4) }
                }
            }
        }
    }

    @Test("4.3 the check rejects wrong unpackings") func rejectsWrong4_3() {
        expectRejects("4.3", "ignoring totalLength") {
            try Self.checkUnpack { data, sizes, unsorted, _, value in
                Solutions.Day4.unpack(data: data, batchSizes: sizes, unsortedIndices: unsorted, totalLength: nil, paddingValue: value)
            }
        }
        expectRejects("4.3", "padding with 0 whatever paddingValue says") {
            try Self.checkUnpack { data, sizes, unsorted, total, _ in
                Solutions.Day4.unpack(data: data, batchSizes: sizes, unsortedIndices: unsorted, totalLength: total, paddingValue: 0)
            }
        }
        expectRejects("4.3", "rows left in sorted order (unsortedIndices not applied)") {
            try Self.checkUnpack {
                Solutions.Day4.unpack(data: $0, batchSizes: $1, unsortedIndices: Array($2.indices), totalLength: $3, paddingValue: $4)
            }
        }
        expectRejects("4.3", "rows gathered with sortedIndices instead of unsortedIndices") {
            try Self.checkUnpack { data, sizes, unsorted, total, value in
                var sortedIndices = unsorted
                for (b, k) in unsorted.enumerated() { sortedIndices[k] = b }
                return Solutions.Day4.unpack(data: data, batchSizes: sizes, unsortedIndices: sortedIndices,
                                             totalLength: total, paddingValue: value)
            }
        }
    }

    // MARK: 4.4 your cell over a packed batch

    typealias PackedFinalState = (PackedSequence, Tensor, Tensor, Tensor, Tensor) throws -> LSTMState

    /// Compares the final state from a cell run over packed data with
    /// Torchlet's packed `LSTM` on random sizes and lengths (ties, sorted
    /// and unsorted), values and the gradients of the data and weights.
    static func checkPackedFinalState(_ run: PackedFinalState) throws {
        for seed in UInt64(0)..<8 {
            let g = Generator(seed: seed)
            let inputSize = 1 + g.nextInt(below: 4), hidden = 1 + g.nextInt(below: 4)
            let sorted = seed % 3 == 0
            let lengths = randomLengths(g, maxBatch: 6, maxLength: 6, sorted: sorted)
            let lstm = LSTM(inputSize: inputSize, hiddenSize: hidden, generator: g)
            let weights = Dictionary(uniqueKeysWithValues: lstm.namedParameters())
            let sequences = lengths.map { Tensor.normal([$0, inputSize], generator: g) }
            let packed = packSequence(sequences, enforceSorted: sorted)
            let data = leafCopy(packed.data)
            let expected = lstm(packed.replacing(data: data)).state
            let wh = Tensor.normal([lengths.count, hidden], generator: g), wc = Tensor.normal([lengths.count, hidden], generator: g)
            ((expected.h.reshaped(to: [lengths.count, hidden]) * wh).sum()
                + (expected.c.reshaped(to: [lengths.count, hidden]) * wc).sum()).backward()

            let names = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]
            let copies = names.map { leafCopy(weights[$0]!) }
            let myData = leafCopy(packed.data)
            let got = try run(packed.replacing(data: myData), copies[0], copies[1], copies[2], copies[3])
            let sizes = "lengths \(lengths)\(sorted ? " (sorted)" : ""), input \(inputSize), hidden \(hidden) (seed \(seed))"
            try requireClose(got.h, expected.h.reshaped(to: [lengths.count, hidden]), "h_n for \(sizes)",
                             hint: "a sequence's final state is its state after its own last step, and row b of the "
                                 + "result is original sequence b: sorted position unsortedIndices[b]")
            try requireClose(got.c, expected.c.reshaped(to: [lengths.count, hidden]), "c_n for \(sizes)",
                             hint: "carry both h and c from step to step; a sequence that ended keeps both")
            ((got.h * wh).sum() + (got.c * wc).sum()).backward()
            try requireGradClose(myData, data, "the packed data, \(sizes)",
                                 hint: "build the result from tensor operations only (narrowed, concatenating, indexSelect)")
            for (name, copy) in zip(names, copies) {
                try requireGradClose(copy, weights[name]!, "\(name), \(sizes)",
                                     hint: "pass the weights to lstmCellStep as they are, at every step")
            }
        }
    }

    @Test("4.4 your cell over a packed batch (reference)") func reference4_4() {
        reference("4.4") {
            try Self.checkPackedFinalState {
                try Solutions.Day4.packedFinalState($0, weightIH: $1, weightHH: $2, biasIH: $3, biasHH: $4)
            }
        }
    }

    static let graded4_4 = GradedExercise("4.4", "your cell over a packed batch", function: "packedFinalState",
                                          forbids: ["LSTM", "LSTMCell"])

    @Test("4.4 your cell over a packed batch") func exercise4_4() async throws {
        try await grade(Self.graded4_4) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("4.4") {
                    try Day04Tests.checkPackedFinalState {
                        try day4.packedFinalState($0, weightIH: $1, weightHH: $2, biasIH: $3, biasHH: $4)
                    }
                }
            }
        }
    }

    /// A cell run over packed data with a mistake chosen by `mistake`.
    static func wrongPackedFinalState(_ mistake: Int) -> PackedFinalState {
        { packed, wih, whh, bih, bhh in
            let hidden = whh.shape[1]
            var h = Tensor.zeros([packed.batchSizes[0], hidden]), c = Tensor.zeros([packed.batchSizes[0], hidden])
            var endedH: [Tensor] = [], endedC: [Tensor] = []
            var offset = 0
            for size in packed.batchSizes {
                let running = h.shape[0]
                if size < running {
                    endedH.insert(h.narrowed(dim: 0, start: size, length: running - size), at: 0)
                    endedC.insert(c.narrowed(dim: 0, start: size, length: running - size), at: 0)
                    h = h.narrowed(dim: 0, start: 0, length: size)
                    c = c.narrowed(dim: 0, start: 0, length: size)
                }
                let x = packed.data.narrowed(dim: 0, start: offset, length: size)
                let state: LSTMState = mistake == 2 ? (h, Tensor.zeros(c.shape)) : (h, c)  // 2: c not carried
                (h, c) = Solutions.Day1.lstmCellStep(x, state, weightIH: wih, weightHH: whh, biasIH: bih, biasHH: bhh)
                offset += size
            }
            if mistake == 1 { endedH.reverse(); endedC.reverse() }  // 1: ended rows in the wrong order
            let sortedH = Tensor(concatenating: [h] + endedH, dim: 0), sortedC = Tensor(concatenating: [c] + endedC, dim: 0)
            guard mistake != 0, let unsorted = packed.unsortedIndices else { return (sortedH, sortedC) }  // 0: sorted order
            return (sortedH.indexSelect(dim: 0, indices: unsorted), sortedC.indexSelect(dim: 0, indices: unsorted))
        }
    }

    @Test("4.4 the check rejects wrong packed runs") func rejectsWrong4_4() {
        expectRejects("4.4", "final states left in sorted order (unsortedIndices ignored)") {
            try Self.checkPackedFinalState(Self.wrongPackedFinalState(0))
        }
        expectRejects("4.4", "ended sequences put back in the wrong order") {
            try Self.checkPackedFinalState(Self.wrongPackedFinalState(1))
        }
        expectRejects("4.4", "a cell state that is not carried from step to step") {
            try Self.checkPackedFinalState(Self.wrongPackedFinalState(2))
        }
        expectRejects("4.4", "the state of a padded run (ended sequences keep stepping on zeros)") {
            try Self.checkPackedFinalState { packed, wih, whh, bih, bhh in
                let (padded, lengths) = padPackedSequence(packed)  // [T, B, I], time first
                var state: LSTMState = (Tensor.zeros([lengths.count, whh.shape[1]]), Tensor.zeros([lengths.count, whh.shape[1]]))
                for t in 0..<padded.shape[0] {
                    state = Solutions.Day1.lstmCellStep(padded.selected(dim: 0, index: t), state,
                                                        weightIH: wih, weightHH: whh, biasIH: bih, biasHH: bhh)
                }
                return state
            }
        }
    }
}
