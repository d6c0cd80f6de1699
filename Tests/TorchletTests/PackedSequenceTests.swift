import Foundation
import Testing
import TestSupport
@testable import Torchlet

/// `padSequence`, `packSequence`, `packPaddedSequence` and
/// `padPackedSequence`: layouts, round trips over many random batches, and
/// gradients through every step.
@Suite struct PackedSequenceTests {
    /// Random lengths in `1...maxLength`, sorted decreasing when `sorted`.
    static func randomLengths(batch: Int, maxLength: Int, sorted: Bool, generator: Generator) -> [Int] {
        let lengths = (0..<batch).map { _ in 1 + generator.nextInt(below: maxLength) }
        return sorted ? lengths.sorted(by: >) : lengths
    }

    /// The element `[t, b]` (time-major) of a padded tensor's rows, as an array of `width` values.
    static func paddedRow(_ padded: Tensor, t: Int, b: Int, batchFirst: Bool) -> ArraySlice<Float> {
        let steps = padded.shape[batchFirst ? 1 : 0], batch = padded.shape[batchFirst ? 0 : 1]
        let width = padded.count / (steps * batch)
        let row = batchFirst ? b * steps + t : t * batch + b
        return padded.scalars[(row * width)..<((row + 1) * width)]
    }

    // MARK: Layout examples

    @Test func seedExampleOfIntegerSequences() {
        let p = packSequence([[1, 2, 3], [1, 2, 3, 4], [1, 2, 3, 4, 5]], enforceSorted: false)
        #expect(p.data.scalars == [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5])
        #expect(p.data.shape == [12])
        #expect(p.batchSizes == [3, 3, 3, 2, 1])
        #expect(p.sortedIndices == [2, 1, 0])
        #expect(p.unsortedIndices == [2, 1, 0])
        #expect(p.lengths == [3, 4, 5])
    }

    @Test func sortedPackingHasNoIndices() {
        let p = packSequence([[7, 8, 9], [4, 5], [6]])
        #expect(p.data.scalars == [7, 4, 6, 8, 5, 9])
        #expect(p.batchSizes == [3, 2, 1])
        #expect(p.sortedIndices == nil && p.unsortedIndices == nil)
    }

    @Test func tiesKeepTheirOriginalOrderLikeTorchSort() {
        // torch: pack_padded_sequence(x, [3, 5, 3, 2, 5, 3], enforce_sorted=False)
        let p = packSequence([3, 5, 3, 2, 5, 3].map { [Int](repeating: 1, count: $0) }, enforceSorted: false)
        #expect(p.sortedIndices == [1, 4, 0, 2, 5, 3])
        #expect(p.unsortedIndices == [2, 0, 3, 5, 1, 4])
        #expect(p.batchSizes == [6, 6, 5, 2, 2])
    }

    @Test func padSequenceLayout() {
        let a = Tensor([1, 2, 3]), b = Tensor([4]), c = Tensor([5, 6])
        let timeMajor = padSequence([a, b, c])
        #expect(timeMajor.shape == [3, 3])
        #expect(timeMajor.scalars == [1, 4, 5, 2, 0, 6, 3, 0, 0])
        let batchMajor = padSequence([a, b, c], batchFirst: true, paddingValue: -1)
        #expect(batchMajor.shape == [3, 3])
        #expect(batchMajor.scalars == [1, 2, 3, 4, -1, -1, 5, 6, -1])
        let empty = padSequence([Tensor([Float](), shape: [0, 2]), Tensor([1, 2, 3, 4], shape: [2, 2])])
        #expect(empty.shape == [2, 2, 2])
        #expect(empty.scalars == [0, 0, 1, 2, 0, 0, 3, 4])
    }

    @Test func padIntegerSequences() {
        let (ids, shape) = padSequence([[4, 5, 6], [7]], batchFirst: true)
        #expect(ids == [4, 5, 6, 7, 0, 0])
        #expect(shape == [2, 3])
        let (timeMajor, tShape) = padSequence([[4, 5, 6], [7]], paddingValue: -100)
        #expect(timeMajor == [4, 7, 5, -100, 6, -100])
        #expect(tShape == [3, 2])
    }

    @Test func packedSequenceInitializerInvertsSortedIndices() {
        let p = PackedSequence(data: Tensor.zeros([6, 2]), batchSizes: [3, 2, 1], sortedIndices: [1, 2, 0])
        #expect(p.unsortedIndices == [2, 0, 1])
        #expect(p.batchSize == 3)
        #expect(p.lengths == [1, 3, 2])
    }

    // MARK: Round trips

    @Test(arguments: [false, true])
    func packPaddedThenPadPackedIsIdentity(batchFirst: Bool) {
        for seed in 0..<40 {
            let g = Generator(seed: UInt64(100 + seed))
            let enforceSorted = seed % 2 == 0
            let batch = 1 + g.nextInt(below: 6)
            let lengths = Self.randomLengths(batch: batch, maxLength: 7, sorted: enforceSorted, generator: g)
            let extra = g.nextInt(below: 3)
            let steps = lengths.max()! + extra
            let trailing: [Int] = [[], [3], [2, 2]][seed % 3]
            let input = randomTensor((batchFirst ? [batch, steps] : [steps, batch]) + trailing, generator: g)
            let p = packPaddedSequence(input, lengths: lengths, batchFirst: batchFirst, enforceSorted: enforceSorted)

            // The layout: batch sizes, indices and every packed row.
            let order = p.sortedIndices ?? Array(0..<batch)
            #expect(p.batchSizes == (0..<lengths.max()!).map { t in lengths.filter { $0 > t }.count }, "seed \(seed)")
            #expect(order.map { lengths[$0] } == lengths.sorted(by: >), "seed \(seed)")
            #expect((p.sortedIndices == nil) == enforceSorted)
            if let s = p.sortedIndices, let u = p.unsortedIndices {
                #expect(u.indices.allSatisfy { s[u[$0]] == $0 }, "seed \(seed): unsorted is not the inverse of sorted")
            }
            #expect(p.data.shape == [lengths.reduce(0, +)] + trailing)
            let width = trailing.reduce(1, *)
            var row = 0
            for (t, live) in p.batchSizes.enumerated() {
                for k in 0..<live {
                    let expected = Self.paddedRow(input, t: t, b: order[k], batchFirst: batchFirst)
                    #expect(Array(p.data.scalars[(row * width)..<((row + 1) * width)]) == Array(expected), "seed \(seed) t \(t) k \(k)")
                    row += 1
                }
            }

            // Back: valid positions restored, the rest is the padding value.
            let padding: Float = seed % 4 == 1 ? -7 : 0
            let total: Int? = extra > 0 ? steps : nil
            let (padded, back) = padPackedSequence(p, batchFirst: batchFirst, paddingValue: padding, totalLength: total)
            #expect(back == lengths, "seed \(seed)")
            #expect(padded.shape == (batchFirst ? [batch, total ?? lengths.max()!] : [total ?? lengths.max()!, batch]) + trailing)
            for b in 0..<batch {
                for t in 0..<(total ?? lengths.max()!) {
                    let got = Array(Self.paddedRow(padded, t: t, b: b, batchFirst: batchFirst))
                    let expected = t < lengths[b]
                        ? Array(Self.paddedRow(input, t: t, b: b, batchFirst: batchFirst))
                        : [Float](repeating: padding, count: width)
                    #expect(got == expected, "seed \(seed) b \(b) t \(t)")
                }
            }
        }
    }

    @Test func packSequenceEqualsPackPaddedOfPadSequence() {
        for seed in 0..<30 {
            let g = Generator(seed: UInt64(200 + seed))
            let enforceSorted = seed % 3 == 0
            let lengths = Self.randomLengths(batch: 1 + g.nextInt(below: 5), maxLength: 6, sorted: enforceSorted, generator: g)
            let sequences = lengths.map { randomTensor([$0, 2], generator: g) }
            let direct = packSequence(sequences, enforceSorted: enforceSorted)
            let viaPadding = packPaddedSequence(padSequence(sequences), lengths: lengths, enforceSorted: enforceSorted)
            #expect(direct.data.scalars == viaPadding.data.scalars, "seed \(seed)")
            #expect(direct.data.shape == viaPadding.data.shape)
            #expect(direct.batchSizes == viaPadding.batchSizes)
            #expect(direct.sortedIndices == viaPadding.sortedIndices)
            #expect(direct.unsortedIndices == viaPadding.unsortedIndices)
            let (padded, back) = padPackedSequence(direct, batchFirst: true)
            #expect(back == lengths)
            #expect(padded.scalars == padSequence(sequences, batchFirst: true).scalars, "seed \(seed)")
        }
    }

    @Test func integerPackingMatchesTensorPacking() {
        for seed in 0..<20 {
            let g = Generator(seed: UInt64(300 + seed))
            let lengths = Self.randomLengths(batch: 1 + g.nextInt(below: 5), maxLength: 6, sorted: false, generator: g)
            let ids = lengths.map { n in (0..<n).map { _ in g.nextInt(below: 1000) } }
            let p = packSequence(ids, enforceSorted: false)
            let q = packSequence(ids.map { Tensor($0.map(Float.init)) }, enforceSorted: false)
            #expect(p.data.scalars == q.data.scalars && p.batchSizes == q.batchSizes, "seed \(seed)")
            #expect(p.sortedIndices == q.sortedIndices && p.unsortedIndices == q.unsortedIndices)
        }
    }

    @Test func embeddingOfPackedIdsKeepsTheLayout() {
        let embedding = Embedding(numEmbeddings: 10, embeddingDim: 3, generator: Generator(seed: 1))
        let ids = [[1, 2, 3], [4], [5, 6, 7, 8]]
        let p = packSequence(ids, enforceSorted: false)
        let e = embedding(p)
        #expect(e.data.shape == [8, 3])
        #expect(e.batchSizes == p.batchSizes && e.sortedIndices == p.sortedIndices && e.unsortedIndices == p.unsortedIndices)
        assertClose(e.data, embedding(p.data.scalars.map { Int($0) }), tolerance: 0)
        // Unpacked, each sequence is its own embedding.
        let (padded, _) = padPackedSequence(e, batchFirst: true)
        for (b, seq) in ids.enumerated() {
            let row = padded.selected(dim: 0, index: b).narrowed(dim: 0, start: 0, length: seq.count)
            assertClose(row, embedding(seq), tolerance: 0)
        }
    }

    // MARK: Gradients

    @Test func padSequenceGradients() {
        let g = Generator(seed: 7)
        let sequences = [randomTensor([3, 2], generator: g), randomTensor([1, 2], generator: g), randomTensor([4, 2], generator: g)]
        checkGradients(sequences) { padSequence($0, paddingValue: 0.5) }
        checkGradients(sequences) { padSequence($0, batchFirst: true) }
    }

    @Test func packSequenceGradients() {
        let g = Generator(seed: 8)
        let sequences = [randomTensor([2, 3], generator: g), randomTensor([4, 3], generator: g), randomTensor([1, 3], generator: g)]
        checkGradients(sequences) { packSequence($0, enforceSorted: false).data }
    }

    @Test(arguments: [false, true])
    func packPaddedSequenceGradients(batchFirst: Bool) {
        let g = Generator(seed: 9)
        let x = randomTensor(batchFirst ? [4, 5, 2] : [5, 4, 2], generator: g)
        checkGradients([x]) { packPaddedSequence($0[0], lengths: [3, 5, 1, 4], batchFirst: batchFirst, enforceSorted: false).data }
        checkGradients([x]) { packPaddedSequence($0[0], lengths: [5, 4, 4, 2], batchFirst: batchFirst).data }
    }

    @Test(arguments: [false, true])
    func padPackedSequenceGradients(batchFirst: Bool) {
        let g = Generator(seed: 10)
        let data = randomTensor([10, 3], generator: g)
        checkGradients([data]) { inputs in
            let p = PackedSequence(data: inputs[0], batchSizes: [4, 3, 2, 1], sortedIndices: [2, 0, 3, 1])
            return padPackedSequence(p, batchFirst: batchFirst, paddingValue: 2, totalLength: 6).0
        }
    }

    @Test func packThenUnpackGradientIsZeroAtPadding() {
        let x = Tensor.ones([4, 3, 2], requiresGrad: true)
        let lengths = [2, 4, 1]
        let (padded, _) = padPackedSequence(packPaddedSequence(x, lengths: lengths, enforceSorted: false))
        padded.sum().backward()
        for t in 0..<4 {
            for b in 0..<3 {
                let expected: Float = t < lengths[b] ? 1 : 0
                #expect(Self.paddedRow(x.grad!, t: t, b: b, batchFirst: false).allSatisfy { $0 == expected }, "t \(t) b \(b)")
            }
        }
    }
}

/// Misuse of the packing functions stops with a message naming the
/// function, the shapes and the lengths (exit tests: each body runs in a
/// child process that must crash; its standard error is checked).
@Suite struct PackedSequencePreconditionTests {
    @Test func unsortedLengthsWithEnforceSorted() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = packPaddedSequence(Tensor.zeros([5, 3, 2]), lengths: [3, 5, 2])
        }
        expectStandardError(result, contains: [
            "packPaddedSequence: `lengths` array must be sorted in decreasing order when `enforceSorted` is true; got lengths [3, 5, 2]",
            "You can pass `enforceSorted: false`",
        ])
    }

    @Test func unsortedSequencesWithEnforceSorted() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = packSequence([[1], [1, 2]])
        }
        expectStandardError(result, contains: ["packSequence: `lengths` array must be sorted in decreasing order", "[1, 2]"])
    }

    @Test func lengthZero() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = packPaddedSequence(Tensor.zeros([4, 2]), lengths: [4, 0])
        }
        expectStandardError(result, contains: [
            "packPaddedSequence: Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0",
            "lengths [4, 0] has 0 at index 1",
        ])
    }

    @Test func lengthBeyondTheSteps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = packPaddedSequence(Tensor.zeros([2, 4, 3]), lengths: [4, 6], batchFirst: true, enforceSorted: false)
        }
        expectStandardError(result, contains: ["packPaddedSequence: length 6 at index 1 exceeds the 4 steps of input shape [2, 4, 3]"])
    }

    @Test func lengthsCountDiffersFromBatch() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = packPaddedSequence(Tensor.zeros([4, 3, 1]), lengths: [3, 2])
        }
        expectStandardError(result, contains: ["packPaddedSequence: 2 lengths [3, 2] for a batch of 3 sequences (input shape [4, 3, 1]"])
    }

    @Test func totalLengthShorterThanLongest() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = padPackedSequence(packSequence([[1, 2, 3], [4]]), totalLength: 2)
        }
        expectStandardError(result, contains: ["padPackedSequence: expected totalLength to be at least the length of the longest sequence",
                                "got totalLength 2 and a longest length of 3"])
    }

    @Test func padSequenceTrailingShapes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = padSequence([Tensor.zeros([3, 2]), Tensor.zeros([2, 4])])
        }
        expectStandardError(result, contains: ["padSequence: sequence 1 has shape [2, 4] but sequence 0 has shape [3, 2]"])
    }

    @Test func embeddingOfNonIntegerPackedData() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let embedding = Embedding(numEmbeddings: 4, embeddingDim: 2, generator: Generator(seed: 0))
            _ = embedding(PackedSequence(data: Tensor([2, 1.5]), batchSizes: [2]))
        }
        expectStandardError(result, contains: ["Embedding: packed value 1.5 at row 1 is not a token id in 0..<4"])
    }

    @Test func lstmPackedStateBatch() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let lstm = LSTM(inputSize: 1, hiddenSize: 2, generator: Generator(seed: 0))
            _ = lstm(packSequence([[1, 2], [3]]).replacing(data: Tensor.zeros([3, 1])), (Tensor.zeros([1, 3, 2]), Tensor.zeros([1, 3, 2])))
        }
        expectStandardError(result, contains: ["LSTM: initial state shapes [1, 3, 2], [1, 3, 2] should be [1, 2, 2] for a packed batch of 2 sequences"])
    }
}
