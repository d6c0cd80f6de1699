import Course
import Foundation
import Solutions
import Testing
import TestSupport
import Torchlet
@testable import day10

/// Day 10's exercises: each check runs against the reference solution (must
/// pass), against the student's code (graded in a child process with a time
/// limit; cancelled while it throws TODO), and against deliberately wrong
/// versions (must be rejected).
@Suite("Day10") struct Day10Tests {
    // MARK: 10.1 length-bucketed batches

    typealias Bucketing = ([Int], Int, Int, Generator) throws -> [[Int]]

    static func paddingShare(_ batches: [[Int]], _ lengths: [Int]) -> Double {
        BucketBatchSampler.padding(of: batches, lengths: lengths).share
    }

    /// Checks the epoch's partition and sizes, sorting within buckets (one
    /// bucket for everything must give neighbours in length order), a
    /// shuffled batch order, reproducibility, a new epoch per call, buckets
    /// that are not the whole data set, and less padding than random batches.
    static func checkBucketing(_ bucketed: Bucketing) throws {
        for seed in UInt64(0)..<6 {
            let g = Generator(seed: seed)
            let n = 120 + g.nextInt(below: 100), batchSize = 4 + g.nextInt(below: 6), multiplier = 1 + g.nextInt(below: 4)
            let lengths = (0..<n).map { _ in 1 + g.nextInt(below: 40) }
            let what = "\(n) lengths, batchSize \(batchSize), bucketSize \(batchSize * multiplier) (seed \(seed))"
            let batches = try bucketed(lengths, batchSize, batchSize * multiplier, Generator(seed: seed))
            try requireEqual(batches.joined().sorted(), Array(0..<n), "the positions in the batches of \(what)",
                             hint: "every position 0..<count exactly once per epoch")
            var sizes: [Int] = []
            for start in stride(from: 0, to: n, by: batchSize * multiplier) {
                let bucket = min(batchSize * multiplier, n - start)
                sizes += stride(from: 0, to: bucket, by: batchSize).map { min(batchSize, bucket - $0) }
            }
            try requireEqual(batches.map(\.count).sorted(), sizes.sorted(), "the batch sizes of \(what)",
                             hint: "cut each bucket into batches of batchSize; only a bucket's last batch may be shorter")
            let again = try bucketed(lengths, batchSize, batchSize * multiplier, Generator(seed: seed))
            try requireEqual(again, batches, "a second call with a generator of the same seed, \(what)",
                             hint: "draw every random choice from the generator, nothing else")
            let other = try bucketed(lengths, batchSize, batchSize * multiplier, Generator(seed: seed + 100))
            guard other != batches else {
                throw CheckFailure("another seed gives the same batches for \(what)", hint: "shuffle with the generator")
            }
            let epochs = Generator(seed: seed)
            let first = try bucketed(lengths, batchSize, batchSize * multiplier, epochs)
            let second = try bucketed(lengths, batchSize, batchSize * multiplier, epochs)
            guard Set(first.map { Set($0) }) != Set(second.map { Set($0) }) else {
                throw CheckFailure("two epochs from one generator hold the same batches, \(what)",
                                   hint: "shuffle the positions before cutting buckets, so each epoch mixes differently")
            }

            let one = try bucketed(lengths, batchSize, n, Generator(seed: seed))
            let sortedLengths = lengths.sorted()
            let neighbours = stride(from: 0, to: n, by: batchSize).map { Array(sortedLengths[$0..<min($0 + batchSize, n)]) }
            let got = one.map { $0.map { lengths[$0] }.sorted() }.sorted { $0.lexicographicallyPrecedes($1) }
            try requireEqual(got, neighbours, "the lengths in each batch with one bucket of all \(n) positions (seed \(seed))",
                             hint: "sort each bucket by length before cutting it into batches")
            let firstLengths = one.map { lengths[$0[0]] }
            guard firstLengths != firstLengths.sorted(), firstLengths != firstLengths.sorted(by: >) else {
                throw CheckFailure("with one bucket the batches come in length order (seed \(seed))",
                                   hint: "shuffle the list of batches at the end, so an epoch does not go from short to long")
            }
        }
        // Distinct lengths: buckets of 2 batches must not be one global sort, and must cut padding.
        let lengths = Generator(seed: 7).permutation(200).map { $0 + 1 }
        var bucketedShare = 0.0, randomShare = 0.0, globallySorted = true
        for epoch in 0..<20 {
            let g = Generator(seed: UInt64(epoch))
            let batches = try bucketed(lengths, 10, 20, g)
            bucketedShare += paddingShare(batches, lengths) / 20
            let order = g.permutation(200)
            randomShare += paddingShare(stride(from: 0, to: 200, by: 10).map { Array(order[$0..<($0 + 10)]) }, lengths) / 20
            globallySorted = globallySorted && batches.allSatisfy { batch in
                let l = batch.map { lengths[$0] }.sorted()
                return l.last! - l.first! == l.count - 1
            }
        }
        guard !globallySorted else {
            throw CheckFailure("with 200 distinct lengths and buckets of 20, every batch holds consecutive lengths",
                               hint: "sort within each bucket of bucketSize shuffled positions, not the whole data set")
        }
        guard bucketedShare < randomShare - 0.08 else {
            throw CheckFailure("200 distinct lengths, batches of 10, buckets of 20: the padding is not lower than with random batches",
                               expected: "below \(format(randomShare - 0.08)) (random batches: \(format(randomShare)))",
                               got: format(bucketedShare), hint: "sort each bucket by length before cutting it into batches")
        }
    }

    @Test("10.1 length-bucketed batches (reference)") func reference10_1() {
        reference("10.1") { try Self.checkBucketing { Solutions.Day10.bucketedBatches(lengths: $0, batchSize: $1, bucketSize: $2, generator: $3) } }
    }

    @Test func theLibrarySamplerPassesTheSameCheck() {
        reference("10.1") {
            try Self.checkBucketing { lengths, batchSize, bucketSize, g in
                BucketBatchSampler(lengths: lengths, batchSize: batchSize, bucketSizeMultiplier: (bucketSize + batchSize - 1) / batchSize, generator: g).batches()
            }
        }
    }

    static let graded10_1 = GradedExercise("10.1", "length-bucketed batches", function: "bucketedBatches", forbids: ["BucketBatchSampler"])

    @Test("10.1 length-bucketed batches") func exercise10_1() async throws {
        try await grade(Self.graded10_1) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("10.1") {
                    try Day10Tests.checkBucketing { try day10.bucketedBatches(lengths: $0, batchSize: $1, bucketSize: $2, generator: $3) }
                }
            }
        }
    }

    @Test("10.1 the check rejects wrong bucketing") func rejectsWrong10_1() {
        expectRejects("10.1", "random batches without sorting") {
            try Self.checkBucketing { lengths, batchSize, _, g in
                let order = g.permutation(lengths.count)
                return stride(from: 0, to: order.count, by: batchSize).map { Array(order[$0..<min($0 + batchSize, order.count)]) }
            }
        }
        expectRejects("10.1", "batches left in length order (no final shuffle)") {
            try Self.checkBucketing { lengths, batchSize, bucketSize, g in
                let batches = Solutions.Day10.bucketedBatches(lengths: lengths, batchSize: batchSize, bucketSize: bucketSize, generator: g)
                return batches.sorted { lengths[$0[0]] < lengths[$1[0]] }
            }
        }
        expectRejects("10.1", "one global sort instead of buckets") {
            try Self.checkBucketing { lengths, batchSize, _, g in
                Solutions.Day10.bucketedBatches(lengths: lengths, batchSize: batchSize, bucketSize: lengths.count, generator: g)
            }
        }
    }

    // MARK: 10.2 character features with a masked max

    typealias CharacterFeatures = ([[Int]], Embedding, Conv1d) throws -> Tensor

    /// Compares the features and their gradients with `CharacterTagger.maskedMaxFeatures`
    /// on random words of very different lengths, two identical copies of the layers.
    static func checkCharacterFeatures(_ features: CharacterFeatures) throws {
        for seed in UInt64(0)..<8 {
            let g = Generator(seed: seed)
            let count = 2 + g.nextInt(below: 5)
            var lengths = (0..<count).map { _ in 1 + g.nextInt(below: 8) }
            lengths[0] = 1
            lengths[1] = 9
            let chars = lengths.map { length in (0..<length).map { _ in 1 + g.nextInt(below: 11) } }
            let (filters, kernel) = (3 + g.nextInt(below: 3), [1, 3, 5][Int(seed % 3)])
            func layers() -> (Embedding, Conv1d) {
                let layerSeed = Generator(seed: 100 + seed)
                return (Embedding(numEmbeddings: 12, embeddingDim: 3, paddingIndex: 0, generator: layerSeed),
                        Conv1d(inChannels: 3, outChannels: filters, kernelSize: kernel, padding: kernel / 2, generator: layerSeed))
            }
            let (expectedEmbedding, expectedConv) = layers(), (embedding, conv) = layers()
            let expected = CharacterTagger.maskedMaxFeatures(chars: chars, embedding: expectedEmbedding, conv: expectedConv)
            let got = try features(chars, embedding, conv)
            let what = "\(count) words of lengths \(lengths), \(filters) filters of width \(kernel) (seed \(seed))"
            try requireClose(got, expected, "the character features of \(what)",
                             hint: "[N, F]: pad with 0, embed, transposed(1, 2), conv, then each filter's max over t < the word's length")
            let weights = Tensor.normal(expected.shape, generator: g)
            (expected * weights).sum().backward()
            guard got.requiresGrad else {
                throw CheckFailure("the character features of \(what) have no gradient", hint: "use tensor operations only")
            }
            (got * weights).sum().backward()
            try requireGradClose(embedding.weight, expectedEmbedding.weight, "the character embedding, \(what)",
                                 hint: "the gradient reaches only the characters that won a max")
            try requireGradClose(conv.weight, expectedConv.weight, "the convolution's weight, \(what)")
        }
    }

    @Test("10.2 character features with a masked max (reference)") func reference10_2() {
        reference("10.2") { try Self.checkCharacterFeatures { Solutions.Day10.characterFeatures(chars: $0, embedding: $1, conv: $2) } }
    }

    static let graded10_2 = GradedExercise("10.2", "character features with a masked max", function: "characterFeatures",
                                           forbids: ["maskedMax", "maskedMaxFeatures"])

    @Test("10.2 character features with a masked max") func exercise10_2() async throws {
        try await grade(Self.graded10_2) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("10.2") {
                    try Day10Tests.checkCharacterFeatures { try day10.characterFeatures(chars: $0, embedding: $1, conv: $2) }
                }
            }
        }
    }

    @Test("10.2 the check rejects wrong pooling") func rejectsWrong10_2() {
        func convolved(_ chars: [[Int]], _ embedding: Embedding, _ conv: Conv1d, padding: Int = 0) -> Tensor {
            let (ids, shape) = padSequence(chars, batchFirst: true, paddingValue: padding)
            return conv(embedding(ids, shape: shape).transposed(1, 2))
        }
        expectRejects("10.2", "a max over padding too") {
            try Self.checkCharacterFeatures { chars, embedding, conv in convolved(chars, embedding, conv).max(dim: 2) }
        }
        expectRejects("10.2", "a mean over the real characters") {
            try Self.checkCharacterFeatures { chars, embedding, conv in
                let maps = convolved(chars, embedding, conv)
                let mask = lengthMask(lengths: chars.map(\.count), maxLength: maps.shape[2]).unsqueezed(dim: 1)
                return (maps * mask).sum(dim: 2) / Tensor(chars.map { Float($0.count) }, shape: [chars.count, 1])
            }
        }
        expectRejects("10.2", "padding with a real character id") {
            try Self.checkCharacterFeatures { chars, embedding, conv in
                let maps = convolved(chars, embedding, conv, padding: 1)
                return maskedMax(maps, mask: lengthMask(lengths: chars.map(\.count), maxLength: maps.shape[2]).unsqueezed(dim: 1), dim: 2)
            }
        }
    }

    // MARK: 10.3 per-tag precision, recall and F1

    typealias PerTagScores = ([[Int]]) throws -> [(precision: Double, recall: Double, f1: Double)]

    /// Compares with `ConfusionMatrix.scores` on random matrices, some with
    /// a tag never predicted and a tag that never occurs.
    static func checkPerTagScores(_ scores: PerTagScores) throws {
        for seed in UInt64(0)..<10 {
            let g = Generator(seed: seed)
            let n = 2 + g.nextInt(below: 5)
            var counts = (0..<n).map { i in (0..<n).map { j in i == j ? 5 + g.nextInt(below: 30) : g.nextInt(below: 6) } }
            if seed % 2 == 1 { for i in 0..<n { counts[i][n - 1] = 0 } }   // the last tag is never predicted
            if seed % 3 == 2 { counts[0] = [Int](repeating: 0, count: n) }  // the first never occurs
            var matrix = ConfusionMatrix(labels: (0..<n).map { "t\($0)" })
            for i in 0..<n { for j in 0..<n { for _ in 0..<counts[i][j] { matrix.add(gold: i, predicted: j) } } }
            let got = try scores(counts)
            try requireEqual(got.count, n, "the number of tags scored for a \(n) × \(n) matrix (seed \(seed))")
            for (t, (g, e)) in zip(got, matrix.scores).enumerated() {
                let what = "tag \(t) of \(counts) (seed \(seed))"
                try requireShare(g.precision, e.precision, "the precision of \(what)",
                                 hint: "precision = the diagonal count over its column's sum (all tokens predicted as the tag); 0 when the column is empty")
                try requireShare(g.recall, e.recall, "the recall of \(what)",
                                 hint: "recall = the diagonal count over its row's sum (all tokens that are the tag); 0 when the row is empty")
                try requireShare(g.f1, e.f1, "the F1 of \(what)", hint: "F1 = 2PR / (P + R), the harmonic mean; 0 when P + R = 0")
            }
        }
    }

    @Test("10.3 per-tag precision, recall and F1 (reference)") func reference10_3() {
        reference("10.3") { try Self.checkPerTagScores { Solutions.Day10.perTagScores(confusion: $0) } }
    }

    static let graded10_3 = GradedExercise("10.3", "per-tag precision, recall and F1", function: "perTagScores", forbids: ["ConfusionMatrix"])

    @Test("10.3 per-tag precision, recall and F1") func exercise10_3() async throws {
        try await grade(Self.graded10_3) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("10.3") { try Day10Tests.checkPerTagScores { try day10.perTagScores(confusion: $0) } }
            }
        }
    }

    @Test("10.3 the check rejects wrong scores") func rejectsWrong10_3() {
        expectRejects("10.3", "precision and recall swapped (rows for columns)") {
            try Self.checkPerTagScores { Solutions.Day10.perTagScores(confusion: $0).map { ($0.recall, $0.precision, $0.f1) } }
        }
        expectRejects("10.3", "F1 as the arithmetic mean") {
            try Self.checkPerTagScores { Solutions.Day10.perTagScores(confusion: $0).map { ($0.precision, $0.recall, ($0.precision + $0.recall) / 2) } }
        }
        expectRejects("10.3", "NaN for 0 / 0") {
            try Self.checkPerTagScores { counts in
                counts.indices.map { t in
                    let p = Double(counts[t][t]) / Double(counts.reduce(0) { $0 + $1[t] }), r = Double(counts[t][t]) / Double(counts[t].reduce(0, +))
                    return (p, r, 2 * p * r / (p + r))
                }
            }
        }
    }

    // MARK: 10.4 random search

    typealias Search = (Int, () -> Hyperparameters, (Hyperparameters) -> Double, (Int) -> Double)
        throws -> (best: Hyperparameters, validationAccuracies: [Double], testAccuracy: Double)

    /// Runs the search on scripted trials (`test` gets the trial's number)
    /// whose test accuracies rank them differently from validation, and
    /// checks the calls and the answer.
    static func checkRandomSearch(_ search: Search) throws {
        let cases: [[Double]] = [[0.8, 0.9, 0.85], [0.9, 0.7, 0.9, 0.6], [0.5], [0.6, 0.7, 0.8, 0.95, 0.9], [0.7, 0.7]]
        for (k, validation) in cases.enumerated() {
            let g = Generator(seed: UInt64(k))
            var sampled: [Hyperparameters] = [], trained: [Hyperparameters] = [], tested: [Int] = []
            let test = validation.indices.map { 0.99 - 0.01 * Double(validation.count - $0) - 0.1 * validation[$0] }
            let result = try search(validation.count, {
                let point = Hyperparameters.sample(generator: g)
                sampled.append(point)
                return point
            }, { point in
                trained.append(point)
                return validation[trained.count - 1]
            }, { trial in
                tested.append(trial)
                return test[trial]
            })
            let best = validation.indices.max { validation[$0] < validation[$1] || (validation[$0] == validation[$1] && $0 > $1) }!
            let what = "a search over \(validation.count) trials with validation accuracies \(validation)"
            try requireEqual(sampled.count, validation.count, "the number of sample() calls in \(what)", hint: "one point per trial")
            try requireEqual(trained, sampled, "the points trained in \(what)", hint: "train each sampled point once, in order")
            try requireEqual(tested, [best], "the models tested in \(what)",
                             hint: "call test exactly once, after the search, on the model with the highest validation accuracy (the first on a tie)")
            try requireEqual(result.best, sampled[best], "the chosen point of \(what)")
            try requireEqual(result.validationAccuracies, validation, "the validation accuracies returned for \(what)")
            try requireEqual(result.testAccuracy, test[best], "the test accuracy returned for \(what)")
        }
    }

    @Test("10.4 random search (reference)") func reference10_4() {
        reference("10.4") { try Self.checkRandomSearch { Solutions.Day10.randomSearch(trials: $0, sample: $1, train: $2, test: $3) } }
    }

    static let graded10_4 = GradedExercise("10.4", "random search, selected on validation", function: "randomSearch")

    @Test("10.4 random search, selected on validation") func exercise10_4() async throws {
        try await grade(Self.graded10_4) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("10.4") {
                    try Day10Tests.checkRandomSearch { try day10.randomSearch(trials: $0, sample: $1, train: $2, test: $3) }
                }
            }
        }
    }

    @Test("10.4 the check rejects wrong searches") func rejectsWrong10_4() {
        expectRejects("10.4", "selecting on the test set") {
            try Self.checkRandomSearch { trials, sample, train, test in
                let runs = (0..<trials).map { k -> (Hyperparameters, Int, Double) in let p = sample(); return (p, k, train(p)) }
                let scored = runs.map { ($0.0, test($0.1)) }
                let best = scored.max { $0.1 < $1.1 }!
                return (best.0, runs.map(\.2), best.1)
            }
        }
        expectRejects("10.4", "the last of tied trials") {
            try Self.checkRandomSearch { trials, sample, train, test in
                let runs = (0..<trials).map { k -> (Hyperparameters, Int, Double) in let p = sample(); return (p, k, train(p)) }
                let best = runs.last { $0.2 == runs.map(\.2).max()! }!
                return (best.0, runs.map(\.2), test(best.1))
            }
        }
        expectRejects("10.4", "the lowest validation accuracy (as if it were a loss)") {
            try Self.checkRandomSearch { trials, sample, train, test in
                let runs = (0..<trials).map { k -> (Hyperparameters, Int, Double) in let p = sample(); return (p, k, train(p)) }
                let best = runs.min { $0.2 < $1.2 }!
                return (best.0, runs.map(\.2), test(best.1))
            }
        }
    }
}
