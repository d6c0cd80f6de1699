import Course
import Solutions
import Testing
import TestSupport
import Torchlet
@testable import day5

/// Day 5's exercises: each check runs against the reference solution (must
/// pass), against the student's code (graded in a child process with a time
/// limit; cancelled while it throws TODO), and against deliberately wrong
/// versions (must be rejected).
@Suite("Day05") struct Day05Tests {
    /// A random batch: lengths in `1...maxLength` for `1...maxBatch` sequences,
    /// padded to the longest plus `0...2` extra steps (a `totalLength`), so
    /// that usually no sequence fills the padded length.
    static func randomBatch(_ g: Generator, maxBatch: Int = 6, maxLength: Int = 7) -> (lengths: [Int], steps: Int, hidden: Int) {
        let batch = 1 + g.nextInt(below: maxBatch)
        let lengths = (0..<batch).map { _ in 1 + g.nextInt(below: maxLength) }
        return (lengths, lengths.max()! + g.nextInt(below: 3), 1 + g.nextInt(below: 5))
    }

    /// A batch-first `[B, T, H]` tensor whose real steps are normal and whose
    /// padding holds `padding` (random values near it), so a reader of padding shows.
    static func paddedOutput(_ lengths: [Int], steps: Int, hidden: Int, padding: Float, _ g: Generator) -> Tensor {
        var values: [Float] = []
        for n in lengths {
            for t in 0..<steps {
                for _ in 0..<hidden { values.append(t < n ? g.nextNormal() : padding + 0.1 * g.nextNormal()) }
            }
        }
        return Tensor(values, shape: [lengths.count, steps, hidden])
    }

    /// `output[b, lengths[b] − 1]` for every `b`, by indexing row by row (batch first `[B, T, H]`).
    static func lastByIndexing(_ output: Tensor, _ lengths: [Int]) -> Tensor {
        Tensor(stacking: lengths.enumerated().map { b, n in output.selected(dim: 0, index: b).selected(dim: 0, index: n - 1) }, dim: 0)
    }

    /// Throws unless `got` has `shape`.
    static func requireShape(_ got: Tensor, _ shape: [Int], _ what: String, hint: String) throws {
        try requireEqual(got.shape, shape, "the shape of \(what)", hint: hint)
    }

    // MARK: 5.1 the last valid output by gather

    typealias LastValid = (Tensor, [Int], Bool) throws -> Tensor

    /// Compares the last valid output with row-by-row indexing on random
    /// batches, batch first and time first, from several seeds: values and
    /// the gradient that reaches `output`.
    static func checkLastValidOutput(_ lastValid: LastValid) throws {
        for seed in UInt64(0)..<16 {
            let g = Generator(seed: seed)
            let (lengths, steps, hidden) = randomBatch(g)
            let batchFirst = seed % 2 == 0
            let data = paddedOutput(lengths, steps: steps, hidden: hidden, padding: 3, g)      // [B, T, H]
            let layout = batchFirst ? data : data.transposed(0, 1)
            let x = leafCopy(layout), y = leafCopy(layout)
            let expected = lastByIndexing(batchFirst ? x : x.transposed(0, 1), lengths)
            let got = try lastValid(y, lengths, batchFirst)
            let what = "\(batchFirst ? "batch-first" : "time-first") output \(layout.shape), lengths \(lengths) (seed \(seed))"
            try requireShape(got, [lengths.count, hidden], "the last valid output of \(what)", hint: "one [H] row per sequence: [B, H]")
            try requireClose(got.scalars, expected.scalars, "the last valid output of \(what)",
                             hint: "row b is output at step lengths[b] − 1 (not at the last padded step); "
                                 + "time is dimension \(batchFirst ? 1 : 0) of a \(batchFirst ? "batch" : "time")-first output")
            let weights = Tensor.normal([lengths.count, hidden], generator: g)
            (expected * weights).sum().backward()
            guard got.requiresGrad else {
                throw CheckFailure("the last valid output of \(what) has no gradient", expected: "a tensor that requires grad",
                                   got: "a constant", hint: "gather from output itself (not from .scalars)")
            }
            (got * weights).sum().backward()
            try requireGradClose(y, x, "output, \(what)", hint: "only the picked steps get a gradient")
        }
    }

    @Test("5.1 the last valid output by gather (reference)") func reference5_1() {
        reference("5.1") { try Self.checkLastValidOutput { Solutions.Day5.lastValidOutput($0, lengths: $1, batchFirst: $2) } }
    }

    static let graded5_1 = GradedExercise("5.1", "the last valid output by gather", function: "lastValidOutput",
                                          forbids: ["selected", "narrowed"])

    @Test("5.1 the last valid output by gather") func exercise5_1() async throws {
        try await grade(Self.graded5_1) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("5.1") {
                    try Day05Tests.checkLastValidOutput { try day5.lastValidOutput($0, lengths: $1, batchFirst: $2) }
                }
            }
        }
    }

    @Test("5.1 the check rejects wrong last outputs") func rejectsWrong5_1() {
        /// Gathers at `step(b)` along the time dimension.
        func gathered(_ output: Tensor, _ lengths: [Int], batchFirst: Bool, step: (Int) -> Int) -> Tensor {
            let timeDim = batchFirst ? 1 : 0
            var shape = output.shape
            shape[timeDim] = 1
            let index = lengths.indices.flatMap { [Int](repeating: step($0), count: output.shape[2]) }
            return output.gather(dim: timeDim, index: index, indexShape: shape).squeezed(dim: timeDim)
        }
        expectRejects("5.1", "output[:, -1], the last padded step") {
            try Self.checkLastValidOutput { o, l, bf in gathered(o, l, batchFirst: bf) { _ in o.shape[bf ? 1 : 0] - 1 } }
        }
        expectRejects("5.1", "the step at lengths[b] instead of lengths[b] − 1 (clamped)") {
            try Self.checkLastValidOutput { o, l, bf in gathered(o, l, batchFirst: bf) { min(l[$0], o.shape[bf ? 1 : 0] - 1) } }
        }
        expectRejects("5.1", "always gathering along dimension 1 (batch first only)") {
            try Self.checkLastValidOutput { o, l, _ in
                guard o.shape[0] == l.count else { return gathered(o.transposed(0, 1), l, batchFirst: true) { _ in 0 } }
                return gathered(o, l, batchFirst: true) { l[$0] - 1 }
            }
        }
        expectRejects("5.1", "a result without gradient (built from .scalars)") {
            try Self.checkLastValidOutput { o, l, bf in
                let right = Solutions.Day5.lastValidOutput(o, lengths: l, batchFirst: bf)
                return Tensor(right.scalars, shape: right.shape)
            }
        }
    }

    // MARK: 5.2 the bidirectional sequence vector

    /// Runs a random bidirectional LSTM packed over random inputs, unpacks
    /// its output (to the longest length or beyond), and compares the
    /// sequence vector with `h_n` of both directions; then compares the
    /// gradient reaching the output with that of `[forward at lengths − 1,
    /// backward at 0]` built by indexing.
    static func checkBidirectionalVector(_ vector: (Tensor, [Int]) throws -> Tensor) throws {
        for seed in UInt64(0)..<12 {
            let g = Generator(seed: 100 + seed)
            let (lengths, steps, hidden) = randomBatch(g)
            let lstm = LSTM(inputSize: 3, hiddenSize: hidden, batchFirst: true, bidirectional: true, generator: g)
            let input = Tensor.normal([lengths.count, steps, 3], generator: g)
            let run = withNoGrad { lstm(packPaddedSequence(input, lengths: lengths, batchFirst: true, enforceSorted: false)) }
            let (packedOutput, h) = (run.output, run.state.h)
            let (output, _) = padPackedSequence(packedOutput, batchFirst: true, totalLength: steps)     // [B, T, 2H]
            let hn = Tensor(concatenating: [h.selected(dim: 0, index: 0), h.selected(dim: 0, index: 1)], dim: 1)
            let x = leafCopy(output), y = leafCopy(output)
            let what = "a bidirectional output \(output.shape) (H = \(hidden)), lengths \(lengths) (seed \(seed))"
            let got = try vector(y, lengths)
            try requireShape(got, [lengths.count, 2 * hidden], "the sequence vector of \(what)", hint: "[B, 2H]: forward half, then backward half")
            try requireClose(got.scalars, hn.scalars, "the sequence vector of \(what), against h_n of the packed run",
                             hint: "the forward half (features 0..<H) at step lengths[b] − 1, the backward half (H..<2H) at step 0")
            let forward = lastByIndexing(x.narrowed(dim: 2, start: 0, length: hidden), lengths)
            let backward = x.narrowed(dim: 2, start: hidden, length: hidden).selected(dim: 1, index: 0)
            let weights = Tensor.normal([lengths.count, 2 * hidden], generator: g)
            (Tensor(concatenating: [forward, backward], dim: 1) * weights).sum().backward()
            guard got.requiresGrad else {
                throw CheckFailure("the sequence vector of \(what) has no gradient", expected: "a tensor that requires grad",
                                   got: "a constant", hint: "pick the values from output itself (not from .scalars)")
            }
            (got * weights).sum().backward()
            try requireGradClose(y, x, "output, \(what)", hint: "only the two picked steps of each sequence get a gradient")
        }
    }

    @Test("5.2 the bidirectional sequence vector (reference)") func reference5_2() {
        reference("5.2") { try Self.checkBidirectionalVector { Solutions.Day5.bidirectionalSequenceVector($0, lengths: $1) } }
    }

    static let graded5_2 = GradedExercise("5.2", "the bidirectional sequence vector", function: "bidirectionalSequenceVector",
                                          forbids: ["LSTM", "padPackedSequence"])

    @Test("5.2 the bidirectional sequence vector") func exercise5_2() async throws {
        try await grade(Self.graded5_2) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("5.2") {
                    try Day05Tests.checkBidirectionalVector { try day5.bidirectionalSequenceVector($0, lengths: $1) }
                }
            }
        }
    }

    @Test("5.2 the check rejects wrong bidirectional vectors") func rejectsWrong5_2() {
        expectRejects("5.2", "both halves at lengths − 1") {
            try Self.checkBidirectionalVector { Solutions.Day5.lastValidOutput($0, lengths: $1, batchFirst: true) }
        }
        expectRejects("5.2", "both halves at the last padded step, output[:, -1]") {
            try Self.checkBidirectionalVector { o, _ in o.selected(dim: 1, index: o.shape[1] - 1) }
        }
        expectRejects("5.2", "the forward half at step 0 and the backward half at lengths − 1") {
            try Self.checkBidirectionalVector { o, l in
                let h = o.shape[2] / 2
                return Tensor(concatenating: [
                    o.narrowed(dim: 2, start: 0, length: h).selected(dim: 1, index: 0),
                    Solutions.Day5.lastValidOutput(o.narrowed(dim: 2, start: h, length: h), lengths: l, batchFirst: true),
                ], dim: 1)
            }
        }
    }

    // MARK: 5.3 masked mean and max pooling

    /// Compares both poolings with Torchlet's on random batches whose padding
    /// is 0 (it wins a plain max over negative features) or large and
    /// positive, from several seeds: values, and the gradient reaching
    /// `output` through each.
    static func checkMaskedPooling(_ pool: (Tensor, [Int]) throws -> (mean: Tensor, max: Tensor)) throws {
        for seed in UInt64(0)..<16 {
            let g = Generator(seed: 200 + seed)
            let (lengths, steps, hidden) = randomBatch(g)
            let padding: Float = seed % 2 == 0 ? 0 : 4
            let data = paddedOutput(lengths, steps: steps, hidden: hidden, padding: padding, g)
            let mask = lengthMask(lengths: lengths, maxLength: steps).unsqueezed(dim: -1)
            let what = "an output \(data.shape) with lengths \(lengths) and padding near \(padding) (seed \(seed))"
            let counts = Tensor(lengths.map(Float.init), shape: [lengths.count, 1])
            for part in ["mean", "max"] {
                let x = leafCopy(data), y = leafCopy(data)
                let expected = part == "mean" ? (x * mask).sum(dim: 1) / counts : maskedMax(x, mask: mask, dim: 1)
                let pooled = try pool(y, lengths)
                let got = part == "mean" ? pooled.mean : pooled.max
                try requireShape(got, [lengths.count, hidden], "the masked \(part) of \(what)", hint: "one [H] row per sequence: [B, H]")
                try requireClose(got.scalars, expected.scalars, "the masked \(part) of \(what)",
                                 hint: part == "mean"
                                     ? "sum the real steps only and divide by each sequence's length (not by T)"
                                     : "padding must never win: take the max over t < lengths[b] only")
                let weights = Tensor.normal([lengths.count, hidden], generator: g)
                (expected * weights).sum().backward()
                guard got.requiresGrad else {
                    throw CheckFailure("the masked \(part) of \(what) has no gradient", expected: "a tensor that requires grad",
                                       got: "a constant", hint: "build it from tensor operations on output")
                }
                (got * weights).sum().backward()
                try requireGradClose(y, x, "output through the masked \(part), \(what)",
                                     hint: part == "mean" ? "each real step gets 1/length of the gradient, padding none"
                                         : "only the winning real step of each feature gets the gradient")
            }
        }
    }

    @Test("5.3 masked mean and max pooling (reference)") func reference5_3() {
        reference("5.3") { try Self.checkMaskedPooling { Solutions.Day5.maskedPooling($0, lengths: $1) } }
    }

    static let graded5_3 = GradedExercise("5.3", "masked mean and max pooling", function: "maskedPooling",
                                          forbids: ["maskedMax", "maskedMean"])

    @Test("5.3 masked mean and max pooling") func exercise5_3() async throws {
        try await grade(Self.graded5_3) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("5.3") { try Day05Tests.checkMaskedPooling { try day5.maskedPooling($0, lengths: $1) } }
            }
        }
    }

    @Test("5.3 the check rejects wrong poolings") func rejectsWrong5_3() {
        expectRejects("5.3", "the mean over all T steps, padding included") {
            try Self.checkMaskedPooling { o, l in (o.mean(dim: 1), Solutions.Day5.maskedPooling(o, lengths: l).max) }
        }
        expectRejects("5.3", "the masked sum divided by T") {
            try Self.checkMaskedPooling { o, l in
                let mask = lengthMask(lengths: l, maxLength: o.shape[1]).unsqueezed(dim: -1)
                return ((o * mask).sum(dim: 1) / Float(o.shape[1]), Solutions.Day5.maskedPooling(o, lengths: l).max)
            }
        }
        expectRejects("5.3", "a plain max, where padding can win") {
            try Self.checkMaskedPooling { o, l in (Solutions.Day5.maskedPooling(o, lengths: l).mean, o.max(dim: 1)) }
        }
        expectRejects("5.3", "padding multiplied by the mask (0) before a max: zero wins over negative features") {
            try Self.checkMaskedPooling { o, l in
                let mask = lengthMask(lengths: l, maxLength: o.shape[1]).unsqueezed(dim: -1)
                return (Solutions.Day5.maskedPooling(o, lengths: l).mean, (o * mask).max(dim: 1))
            }
        }
    }

    // MARK: 5.4 attention pooling

    /// Compares attention pooling with `maskedSoftmax` and a weighted sum on
    /// random batches with large padding values and, every fourth seed,
    /// scores in the hundreds (an unstable softmax overflows), from several
    /// seeds: the weights, the pooled vectors, and the gradients reaching
    /// `output` and `query`.
    static func checkAttentionPooling(_ attend: (Tensor, [Int], Tensor) throws -> (pooled: Tensor, weights: Tensor)) throws {
        for seed in UInt64(0)..<16 {
            let g = Generator(seed: 300 + seed)
            let (lengths, steps, hidden) = randomBatch(g)
            let scale: Float = seed % 4 == 3 ? 60 : 1
            let data = paddedOutput(lengths, steps: steps, hidden: hidden, padding: 5, g) * scale
            let queryData = Tensor.normal([hidden], std: 2, generator: g)
            let mask = lengthMask(lengths: lengths, maxLength: steps)
            let what = "an output \(data.shape) with lengths \(lengths), padding near \(5 * scale) (seed \(seed))"
            let (x, y) = (leafCopy(data), leafCopy(data))
            let (qx, qy) = (leafCopy(queryData), leafCopy(queryData))
            let scores = x.matmul(qx.reshaped(to: [hidden, 1])).reshaped(to: [lengths.count, steps])
            let expectedWeights = maskedSoftmax(scores, mask: mask, dim: 1)
            let expectedPooled = (x * expectedWeights.unsqueezed(dim: -1)).sum(dim: 1)
            let got = try attend(y, lengths, qy)
            try requireShape(got.weights, [lengths.count, steps], "the attention weights of \(what)", hint: "[B, T], 0 at padding")
            try requireClose(got.weights.scalars, expectedWeights.scalars, "the attention weights of \(what)",
                             hint: "softmax of output · query over the real steps only (0 at padding, each row sums to 1); "
                                 + "subtract the row's largest real score before exp")
            try requireShape(got.pooled, [lengths.count, hidden], "the pooled vectors of \(what)", hint: "[B, H]")
            try requireClose(got.pooled.scalars, expectedPooled.scalars, "the pooled vectors of \(what)",
                             hint: "pooled[b] = Σ_t weight[b, t] · output[b, t]")
            let (w1, w2) = (Tensor.normal([lengths.count, hidden], generator: g), Tensor.normal([lengths.count, steps], generator: g))
            ((expectedPooled * w1).sum() + (expectedWeights * w2).sum()).backward()
            guard got.pooled.requiresGrad && got.weights.requiresGrad else {
                throw CheckFailure("the attention pooling of \(what) has no gradient", expected: "tensors that require grad",
                                   got: "constants", hint: "build the scores, weights and sum from tensor operations")
            }
            ((got.pooled * w1).sum() + (got.weights * w2).sum()).backward()
            try requireGradClose(y, x, tolerance: 1e-3, "output, \(what)", hint: "gradients flow through the scores and the weighted sum")
            try requireGradClose(qy, qx, tolerance: 1e-3, "query, \(what)", hint: "the query must be used through tensor operations")
        }
    }

    @Test("5.4 attention pooling (reference)") func reference5_4() {
        reference("5.4") { try Self.checkAttentionPooling { Solutions.Day5.attentionPooling($0, lengths: $1, query: $2) } }
    }

    static let graded5_4 = GradedExercise("5.4", "attention pooling", function: "attentionPooling", forbids: ["maskedSoftmax"])

    @Test("5.4 attention pooling") func exercise5_4() async throws {
        try await grade(Self.graded5_4) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("5.4") { try Day05Tests.checkAttentionPooling { try day5.attentionPooling($0, lengths: $1, query: $2) } }
            }
        }
    }

    @Test("5.4 the check rejects wrong attention") func rejectsWrong5_4() {
        /// Scores `[B, T]` of `output · query`.
        func scores(_ o: Tensor, _ q: Tensor) -> Tensor {
            o.matmul(q.reshaped(to: [o.shape[2], 1])).reshaped(to: [o.shape[0], o.shape[1]])
        }
        func pooled(_ o: Tensor, _ w: Tensor) -> Tensor { (o * w.unsqueezed(dim: -1)).sum(dim: 1) }
        expectRejects("5.4", "a softmax over every step, padding included") {
            try Self.checkAttentionPooling { o, _, q in
                let w = scores(o, q).softmax(dim: 1)
                return (pooled(o, w), w)
            }
        }
        expectRejects("5.4", "the softmax over the batch (dim 0)") {
            try Self.checkAttentionPooling { o, l, q in
                let w = (scores(o, q) + (lengthMask(lengths: l, maxLength: o.shape[1]) - 1) * 1e30).softmax(dim: 0)
                return (pooled(o, w), w)
            }
        }
        expectRejects("5.4", "exp without subtracting the max (overflows on large scores)") {
            try Self.checkAttentionPooling { o, l, q in
                let e = scores(o, q).exp() * lengthMask(lengths: l, maxLength: o.shape[1])
                let w = e / e.sum(dim: 1, keepDim: true)
                return (pooled(o, w), w)
            }
        }
        expectRejects("5.4", "the mean of the real steps instead of the weighted sum") {
            try Self.checkAttentionPooling { o, l, q in
                let right = Solutions.Day5.attentionPooling(o, lengths: l, query: q)
                return (Solutions.Day5.maskedPooling(o, lengths: l).mean, right.weights)
            }
        }
    }
}
