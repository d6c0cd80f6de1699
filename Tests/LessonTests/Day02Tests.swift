import Course
import Solutions
import Testing
import TestSupport
import Torchlet
@testable import day2

/// Day 2's exercises: each check runs against the reference solution (must
/// pass), against the student's code (graded in a child process with a time
/// limit; cancelled while it throws TODO), and against deliberately wrong
/// versions (must be rejected).
@Suite("Day02") struct Day02Tests {
    // MARK: 2.1 k-fold index splits

    typealias Splits = [(train: [Int], validation: [Int])]

    /// Compares k-fold splits with Torchlet's `KFold` (no shuffle) on fixed
    /// edge cases and on random (count, k) from several seeds.
    static func checkKFold(_ kFold: (Int, Int) throws -> Splits) throws {
        var cases = [(7, 3), (10, 5), (5, 5), (2, 2), (11, 4), (12, 3), (9, 2)]
        for seed in UInt64(0)..<30 {
            let g = Generator(seed: seed)
            let count = 2 + g.nextInt(below: 80)
            cases.append((count, 2 + g.nextInt(below: min(count, 12) - 1)))
        }
        for (count, k) in cases {
            let expected = KFold(nSplits: k).splits(count: count)
            let got = try kFold(count, k)
            try requireEqual(got.count, k, "the number of splits for count \(count), k \(k)",
                             hint: "return one (train, validation) pair per fold")
            for fold in 0..<k {
                try requireEqual(got[fold].validation, expected[fold].validation,
                                 "the validation positions of fold \(fold) for count \(count), k \(k)",
                                 hint: "folds are consecutive runs; the first count % k folds have count / k + 1 positions, the others count / k")
                try requireEqual(got[fold].train, expected[fold].train,
                                 "the training positions of fold \(fold) for count \(count), k \(k)",
                                 hint: "train on every position outside the validation fold, in increasing order")
            }
        }
    }

    @Test("2.1 k-fold index splits (reference)") func reference2_1() {
        reference("2.1") { try Self.checkKFold { Solutions.Day2.kFoldSplits(count: $0, k: $1) } }
    }

    static let graded2_1 = GradedExercise("2.1", "k-fold index splits", function: "kFoldSplits", forbids: ["KFold"])

    @Test("2.1 k-fold index splits") func exercise2_1() async throws {
        try await grade(Self.graded2_1) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("2.1") { try Day02Tests.checkKFold { try day2.kFoldSplits(count: $0, k: $1) } }
            }
        }
    }

    /// Folds cut at the given boundaries: fold `f` is `bounds[f]..<bounds[f + 1]`.
    static func folds(count: Int, bounds: [Int]) -> Splits {
        (0..<(bounds.count - 1)).map { f in
            (train: Array(0..<bounds[f]) + Array(bounds[f + 1]..<count), validation: Array(bounds[f]..<bounds[f + 1]))
        }
    }

    @Test("2.1 the check rejects wrong k-fold splits") func rejectsWrong2_1() {
        expectRejects("2.1", "equal folds with the remainder added to the last fold") {
            try Self.checkKFold { count, k in
                Self.folds(count: count, bounds: (0..<k).map { $0 * (count / k) } + [count])
            }
        }
        expectRejects("2.1", "boundaries at ⌊f · count / k⌋ (larger folds last, as numpy's linspace would cut)") {
            try Self.checkKFold { count, k in
                Self.folds(count: count, bounds: (0...k).map { $0 * count / k })
            }
        }
        expectRejects("2.1", "training sets that still contain the validation fold") {
            try Self.checkKFold { count, k in
                Solutions.Day2.kFoldSplits(count: count, k: k).map { (train: Array(0..<count), validation: $0.validation) }
            }
        }
    }

    // MARK: 2.2 a shuffling minibatch iterator

    typealias Minibatches = (Int, Int, Bool, Generator) throws -> [[Int]]

    /// Checks one epoch of minibatches by its properties, on fixed and
    /// random (count, batchSize) with and without dropLast: sizes, each
    /// position at most once (exactly once without dropLast), a random
    /// order from the given generator alone, a new order each epoch, and
    /// no position left out in every epoch with dropLast.
    static func checkMinibatches(_ minibatches: Minibatches) throws {
        var cases = [(10, 4), (12, 4), (1, 1), (5, 8), (40, 1), (33, 32), (100, 7), (64, 16), (21, 10), (50, 50)]
        for seed in UInt64(0)..<12 {
            let g = Generator(seed: seed)
            let count = 8 + g.nextInt(below: 90)
            cases.append((count, 1 + g.nextInt(below: count / 2)))
        }
        for (number, (count, batchSize)) in cases.enumerated() {
            for dropLast in [false, true] {
                let seed = UInt64(100 + number)
                let sizes = "count \(count), batchSize \(batchSize), dropLast \(dropLast)"
                let batches = try minibatches(count, batchSize, dropLast, Generator(seed: seed))

                let expectedCount = dropLast ? count / batchSize : (count + batchSize - 1) / batchSize
                try requireEqual(batches.count, expectedCount, "the number of batches for \(sizes)",
                                 hint: dropLast ? "with dropLast only a last batch shorter than batchSize is left out"
                                                : "every position is in a batch; the last batch may be shorter")
                for (b, batch) in batches.enumerated() {
                    let isLast = b == batches.count - 1
                    let expectedSize = isLast && !dropLast ? count - b * batchSize : batchSize
                    try requireEqual(batch.count, expectedSize, "the size of batch \(b) of \(batches.count) for \(sizes)",
                                     hint: "cut the shuffled order into consecutive batches of batchSize")
                }
                let flat = batches.flatMap { $0 }
                if let outside = flat.first(where: { $0 < 0 || $0 >= count }) {
                    throw CheckFailure("position \(outside) is out of range 0..<\(count) for \(sizes)",
                                       hint: "the batches hold positions 0..<count")
                }
                if Set(flat).count != flat.count {
                    throw CheckFailure("a position appears twice in one epoch for \(sizes)", got: "\(batches)",
                                       hint: "draw one permutation of 0..<count (every position once), then cut it")
                }
                try requireEqual(try minibatches(count, batchSize, dropLast, Generator(seed: seed)), batches,
                                 "the batches for \(sizes) from a second generator with the same seed",
                                 hint: "use only `generator` for randomness, so the same seed gives the same batches")
                guard count >= 8 else { continue }
                if flat == Array(0..<flat.count) {
                    throw CheckFailure("the positions come in order 0, 1, 2, … for \(sizes)", got: "\(batches)",
                                       hint: "shuffle the positions with generator.permutation(count)")
                }
                // A random order makes every batch a block with probability below 2e-4 here.
                if batchSize >= 2 && count >= 16 && batchSize <= count / 2
                    && batches.allSatisfy({ $0.sorted() == Array($0.min()!..<($0.min()! + $0.count)) && $0.min()! % batchSize == 0 }) {
                    throw CheckFailure("every batch is one of the blocks 0..<b, b..<2b, … for \(sizes)", got: "\(batches)",
                                       hint: "shuffle the positions, then cut; shuffling only the order of the batches always puts the same samples together")
                }
                let other = try minibatches(count, batchSize, dropLast, Generator(seed: seed + 1000))
                if other == batches {
                    throw CheckFailure("generators with seeds \(seed) and \(seed + 1000) give the same batches for \(sizes)",
                                       got: "\(batches)", hint: "draw the order from `generator`, not from a generator of your own")
                }
                let epochs = Generator(seed: seed)
                let first = try minibatches(count, batchSize, dropLast, epochs)
                let second = try minibatches(count, batchSize, dropLast, epochs)
                if first == second {
                    throw CheckFailure("two calls with the same generator (two epochs) give the same batches for \(sizes)",
                                       got: "\(first)", hint: "draw a new order from `generator` on every call")
                }
                if dropLast && count % batchSize != 0 && batchSize <= count / 2 {
                    var seen = Set<Int>()
                    for _ in 0..<30 { seen.formUnion(try minibatches(count, batchSize, dropLast, epochs).joined()) }
                    if let never = (0..<count).first(where: { !seen.contains($0) }) {
                        throw CheckFailure("with dropLast, position \(never) is left out in 30 epochs in a row for \(sizes)",
                                           hint: "shuffle all positions first and then drop the short last batch, so different samples are dropped each epoch")
                    }
                }
            }
        }
    }

    @Test("2.2 a shuffling minibatch iterator (reference)") func reference2_2() {
        reference("2.2") { try Self.checkMinibatches { Solutions.Day2.minibatches(count: $0, batchSize: $1, dropLast: $2, generator: $3) } }
    }

    static let graded2_2 = GradedExercise("2.2", "a shuffling minibatch iterator", function: "minibatches")

    @Test("2.2 a shuffling minibatch iterator") func exercise2_2() async throws {
        try await grade(Self.graded2_2) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("2.2") { try Day02Tests.checkMinibatches { try day2.minibatches(count: $0, batchSize: $1, dropLast: $2, generator: $3) } }
            }
        }
    }

    /// Cuts `order` into batches of `batchSize`, dropping a short last one if asked.
    static func cut(_ order: [Int], _ batchSize: Int, dropLast: Bool) -> [[Int]] {
        stride(from: 0, to: order.count, by: batchSize)
            .map { Array(order[$0..<min($0 + batchSize, order.count)]) }
            .filter { !dropLast || $0.count == batchSize }
    }

    @Test("2.2 the check rejects wrong minibatch iterators") func rejectsWrong2_2() {
        expectRejects("2.2", "batches in order, never shuffled") {
            try Self.checkMinibatches { count, batchSize, dropLast, _ in Self.cut(Array(0..<count), batchSize, dropLast: dropLast) }
        }
        expectRejects("2.2", "consecutive blocks in a shuffled order (batch order shuffled, not the samples)") {
            try Self.checkMinibatches { count, batchSize, dropLast, generator in
                // Full batches shuffled as wholes; a short last batch stays last.
                var full = Self.cut(Array(0..<count), batchSize, dropLast: true)
                generator.shuffle(&full)
                return full + Self.cut(Array(0..<count), batchSize, dropLast: dropLast).filter { $0.count < batchSize }
            }
        }
        expectRejects("2.2", "dropLast that cuts the positions to a multiple of batchSize before shuffling") {
            try Self.checkMinibatches { count, batchSize, dropLast, generator in
                let usable = dropLast ? count / batchSize * batchSize : count
                return Self.cut(generator.permutation(usable), batchSize, dropLast: false)
            }
        }
        expectRejects("2.2", "dropLast that always drops the last batch, full or not") {
            try Self.checkMinibatches { count, batchSize, dropLast, generator in
                var batches = Self.cut(generator.permutation(count), batchSize, dropLast: false)
                if dropLast && !batches.isEmpty { batches.removeLast() }
                return batches
            }
        }
        expectRejects("2.2", "a shuffle from a fixed generator of its own") {
            try Self.checkMinibatches { count, batchSize, dropLast, _ in
                Self.cut(Generator(seed: 0).permutation(count), batchSize, dropLast: dropLast)
            }
        }
    }

    // MARK: 2.3 the evaluation loop

    typealias Evaluate = (Module, [TaggingBatch], (TaggingBatch) -> Tensor) throws -> Float

    /// A per-token tagger with dropout, so train and eval mode give different losses.
    final class DropoutTagger: Module {
        let embedding: Embedding
        let dropout: Dropout
        let classifier: Linear

        init(vocabularySize: Int, tagCount: Int, generator: Generator) {
            embedding = Embedding(numEmbeddings: vocabularySize, embeddingDim: 6, generator: generator)
            dropout = Dropout(p: 0.5, generator: generator)
            classifier = Linear(inFeatures: 6, outFeatures: tagCount, generator: generator)
            super.init()
            registerModule("embedding", embedding)
            registerModule("dropout", dropout)
            registerModule("classifier", classifier)
        }

        /// Scores `[B·T, tags]` for the batch's words.
        func callAsFunction(_ batch: TaggingBatch) -> Tensor {
            classifier(dropout(embedding(batch.words)))
        }
    }

    /// Evaluates a dropout tagger on random batches of different sizes and
    /// lengths, starting once in training and once in eval mode, and checks
    /// the mean loss per token, the mode and grad mode while the loss runs,
    /// and the mode afterwards.
    static func checkEvaluate(_ evaluate: Evaluate) throws {
        let wordList = ["a", "b", "c", "d", "e", "f", "g", "h"], tagList = ["X", "Y", "Z"]
        let words = Vocabulary(corpus: [wordList]), tags = Vocabulary(corpus: [tagList], specials: [])
        for seed in UInt64(0)..<8 {
            let g = Generator(seed: seed)
            let batches = (0..<(2 + g.nextInt(below: 5))).map { _ in
                let length = 1 + g.nextInt(below: 12)
                let sentences = (0..<(1 + g.nextInt(below: 5))).map { _ in
                    TaggedSentence(words: (0..<length).map { _ in wordList[g.nextInt(below: wordList.count)] },
                                   tags: (0..<length).map { _ in tagList[g.nextInt(below: tagList.count)] })
                }
                return TaggingBatch(sentences, words: words, tags: tags)
            }
            let model = DropoutTagger(vocabularySize: words.count, tagCount: tags.count, generator: g)
            let startsTraining = seed % 2 == 0
            model.train(startsTraining)

            model.eval()
            var total = 0.0, tokens = 0
            withNoGrad {
                for batch in batches {
                    total += Double(crossEntropy(model(batch), targets: batch.tags).item) * Double(batch.tokenCount)
                    tokens += batch.tokenCount
                }
            }
            let expected = Float(total / Double(tokens))
            model.train(startsTraining)

            var calls = 0, recordedGraph = false, ranInTraining = false
            let got = try evaluate(model, batches) { batch in
                calls += 1
                if GradMode.isEnabled { recordedGraph = true }
                if model.isTraining { ranInTraining = true }
                return crossEntropy(model(batch), targets: batch.tags)
            }
            let what = "\(batches.count) batches of \(batches.map(\.tokenCount)) tokens (seed \(seed))"
            if ranInTraining {
                throw CheckFailure("the model was in training mode while the loss ran, on \(what)",
                                   hint: "call model.eval() first: dropout must be off when measuring")
            }
            if recordedGraph {
                throw CheckFailure("gradients were enabled while the loss ran, on \(what)",
                                   hint: "run the loop inside withNoGrad { … }: evaluation never calls backward()")
            }
            try requireEqual(calls, batches.count, "the number of loss calls on \(what)", hint: "call loss once per batch")
            try requireClose([got], [expected], "the mean loss per token on \(what)",
                             hint: "weigh each batch's mean loss by batch.tokenCount and divide by the total tokens, not by the number of batches")
            if model.isTraining != startsTraining {
                throw CheckFailure("the model's mode after evaluate, on \(what)",
                                   expected: startsTraining ? "training (as before)" : "eval (as before)",
                                   got: model.isTraining ? "training" : "eval",
                                   hint: "remember model.isTraining before, and restore it with model.train(wasTraining) at the end")
            }
        }
    }

    @Test("2.3 the evaluation loop (reference)") func reference2_3() {
        reference("2.3") { try Self.checkEvaluate { Solutions.Day2.evaluate($0, batches: $1, loss: $2) } }
    }

    static let graded2_3 = GradedExercise("2.3", "the evaluation loop", function: "evaluate")

    @Test("2.3 the evaluation loop") func exercise2_3() async throws {
        try await grade(Self.graded2_3) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("2.3") { try Day02Tests.checkEvaluate { try day2.evaluate($0, batches: $1, loss: $2) } }
            }
        }
    }

    @Test("2.3 the check rejects wrong evaluation loops") func rejectsWrong2_3() {
        expectRejects("2.3", "a loop that stays in training mode") {
            try Self.checkEvaluate { model, batches, loss in
                withNoGrad {
                    let total = batches.reduce(0.0) { $0 + Double(loss($1).item) * Double($1.tokenCount) }
                    return Float(total / Double(batches.reduce(0) { $0 + $1.tokenCount }))
                }
            }
        }
        expectRejects("2.3", "a loop that records the graph") {
            try Self.checkEvaluate { model, batches, loss in
                let wasTraining = model.isTraining
                model.eval()
                defer { model.train(wasTraining) }
                let total = batches.reduce(0.0) { $0 + Double(loss($1).item) * Double($1.tokenCount) }
                return Float(total / Double(batches.reduce(0) { $0 + $1.tokenCount }))
            }
        }
        expectRejects("2.3", "the mean of the batch means") {
            try Self.checkEvaluate { model, batches, loss in
                let wasTraining = model.isTraining
                model.eval()
                defer { model.train(wasTraining) }
                return withNoGrad { batches.map { loss($0).item }.reduce(0, +) / Float(batches.count) }
            }
        }
        expectRejects("2.3", "a loop that leaves the model in eval mode") {
            try Self.checkEvaluate { model, batches, loss in
                model.eval()
                return Solutions.Day2.evaluate(model, batches: batches, loss: loss)
            }
        }
        expectRejects("2.3", "a loop that always switches back to training mode") {
            try Self.checkEvaluate { model, batches, loss in
                defer { model.train() }
                return Solutions.Day2.evaluate(model, batches: batches, loss: loss)
            }
        }
    }
}
