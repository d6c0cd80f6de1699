import Course
import Foundation
import Solutions
import Testing
import TestSupport
import Torchlet
@testable import day8

/// Day 8's exercises: each check runs against the reference solution (must
/// pass), against the student's code (graded in a child process with a time
/// limit; cancelled while it throws TODO), and against deliberately wrong
/// versions (must be rejected).
@Suite("Day08") struct Day08Tests {
    // MARK: 8.1 batchify

    /// The streams of `tokens` read off PyTorch's definition, piece by
    /// piece: `B` consecutive pieces of `T` tokens, stood side by side.
    static func expectedStreams(_ tokens: [Int], _ batchSize: Int) -> [[Int]] {
        let steps = tokens.count / batchSize
        let pieces = (0..<batchSize).map { Array(tokens[($0 * steps)..<($0 * steps + steps)]) }
        return (0..<steps).map { t in pieces.map { $0[t] } }
    }

    /// Compares batchify with the pieces stood side by side: the lesson's
    /// example, then random streams (distinct ids, so a layout slip shows)
    /// of 1 to 6 streams with and without a remainder.
    static func checkBatchify(_ batchify: ([Int], Int) throws -> [[Int]]) throws {
        try requireEqual(try batchify(Array(0..<10), 3), [[0, 3, 6], [1, 4, 7], [2, 5, 8]],
                         "batchify([0, 1, …, 9], batchSize: 3)",
                         hint: "stream b (column b) is the b-th piece of the text, read downwards; 9 is left over")
        for seed in UInt64(0)..<20 {
            let g = Generator(seed: seed)
            let batchSize = 1 + g.nextInt(below: 6)
            let tokens = Array(g.permutation(batchSize + g.nextInt(below: 40)).map { $0 + 100 })
            try requireEqual(try batchify(tokens, batchSize), expectedStreams(tokens, batchSize),
                             "batchify of \(tokens.count) tokens into \(batchSize) streams (seed \(seed))",
                             hint: "T = count / batchSize rows; row t holds tokens[b·T + t] for each stream b; "
                                 + "the last count % batchSize tokens are dropped")
        }
    }

    @Test("8.1 batchify a stream (reference)") func reference8_1() {
        reference("8.1") { try Self.checkBatchify { Solutions.Day8.batchify($0, batchSize: $1) } }
    }

    static let graded8_1 = GradedExercise("8.1", "batchify a stream", function: "batchify")

    @Test("8.1 batchify a stream") func exercise8_1() async throws {
        try await grade(Self.graded8_1) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("8.1") { try Day08Tests.checkBatchify { try day8.batchify($0, batchSize: $1) } }
            }
        }
    }

    @Test("8.1 the check rejects wrong batchifies") func rejectsWrong8_1() {
        expectRejects("8.1", "interleaved streams (token t·B + b)") {
            try Self.checkBatchify { tokens, b in
                (0..<(tokens.count / b)).map { t in (0..<b).map { tokens[t * b + $0] } }
            }
        }
        expectRejects("8.1", "streams as rows, [B][T], not transposed") {
            try Self.checkBatchify { tokens, b in
                let steps = tokens.count / b
                return (0..<b).map { Array(tokens[($0 * steps)..<($0 * steps + steps)]) }
            }
        }
        expectRejects("8.1", "the remainder dropped from the front") {
            try Self.checkBatchify { tokens, b in Solutions.Day8.batchify(Array(tokens.suffix(tokens.count / b * b)), batchSize: b) }
        }
    }

    // MARK: 8.2 a chunk and its targets

    /// Compares every chunk of random sources (distinct ids) for every start
    /// and chunk lengths from 1 to beyond the source, with rows read off the
    /// definition.
    static func checkGetBatch(_ getBatch: ([[Int]], Int, Int) throws -> (inputs: [[Int]], targets: [[Int]])) throws {
        for seed in UInt64(0)..<8 {
            let g = Generator(seed: 20 + seed)
            let steps = 2 + g.nextInt(below: 9), batch = 1 + g.nextInt(below: 4)
            let ids = g.permutation(steps * batch)
            let source = (0..<steps).map { t in Array(ids[(t * batch)..<(t * batch + batch)]) }
            for chunkLength in 1...(steps + 1) {
                for start in 0..<(steps - 1) {
                    let n = min(chunkLength, steps - 1 - start)
                    let got = try getBatch(source, start, chunkLength)
                    let what = "the chunk at row \(start), chunkLength \(chunkLength), of a source of \(steps) rows (seed \(seed))"
                    try requireEqual(got.inputs, Array(source[start..<(start + n)]), "the inputs of \(what)",
                                     hint: "rows start ..< start + n, n = min(chunkLength, T − 1 − start)")
                    try requireEqual(got.targets, Array(source[(start + 1)...(start + n)]), "the targets of \(what)",
                                     hint: "the same rows one step later: start + 1 ... start + n")
                }
            }
        }
    }

    @Test("8.2 a chunk and its targets (reference)") func reference8_2() {
        reference("8.2") { try Self.checkGetBatch { Solutions.Day8.getBatch($0, at: $1, chunkLength: $2) } }
    }

    static let graded8_2 = GradedExercise("8.2", "a chunk and its targets", function: "getBatch")

    @Test("8.2 a chunk and its targets") func exercise8_2() async throws {
        try await grade(Self.graded8_2) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("8.2") { try Day08Tests.checkGetBatch { try day8.getBatch($0, at: $1, chunkLength: $2) } }
            }
        }
    }

    @Test("8.2 the check rejects wrong chunks") func rejectsWrong8_2() {
        expectRejects("8.2", "targets equal to the inputs (not shifted)") {
            try Self.checkGetBatch { source, start, k in
                let inputs = Solutions.Day8.getBatch(source, at: start, chunkLength: k).inputs
                return (inputs, inputs)
            }
        }
        expectRejects("8.2", "full-length chunks whose start moves back at the end") {
            try Self.checkGetBatch { source, start, k in
                let n = min(k, source.count - 1)
                let moved = min(start, source.count - 1 - n)
                return (Array(source[moved..<(moved + n)]), Array(source[(moved + 1)...(moved + n)]))
            }
        }
        expectRejects("8.2", "a last chunk one row too short") {
            try Self.checkGetBatch { source, start, k in
                let n = min(k, source.count - 2 - start)
                return (Array(source[start..<(start + n)]), Array(source[(start + 1)..<(start + 1 + n)]))
            }
        }
    }

    // MARK: 8.3 one truncated-BPTT step

    typealias TrainChunk = (LanguageModel, Optimizer, [[Int]], [[Int]], LSTMState?, Float) throws -> (loss: Float, state: LSTMState)

    /// The whole TBPTT loop of PyTorch's word language model on the
    /// `tbptt_lm` fixture (4 chunks, state carried, SGD, clipping at every
    /// step) with `trainChunk` as its step: each chunk's loss, the final
    /// parameters and the final state must match PyTorch's.
    static func checkAgainstPyTorch(_ trainChunk: TrainChunk) throws {
        let f = try Fixture.load("tbptt_lm")
        let vocab = try f.int("vocab"), k = try f.int("chunkLength")
        let model = LanguageModel(vocabularySize: vocab, embeddingDim: try f.int("embeddingDim"),
                                  hiddenSize: try f.int("hiddenSize"), generator: Generator(seed: 0))
        try f.load(into: model, prefix: "initial.")
        let source = Solutions.Day8.batchify(try f.indices("stream").data, batchSize: try f.int("batchSize"))
        let optimizer = SGD(model.parameters(), learningRate: Float(try f.double("lr")))
        let expectedLosses = try f.values("losses").data
        var state: LSTMState?
        for (n, start) in stride(from: 0, to: source.count - 1, by: k).enumerated() {
            let (inputs, targets) = Solutions.Day8.getBatch(source, at: start, chunkLength: k)
            let result = try trainChunk(model, optimizer, inputs, targets, state, Float(try f.double("clip")))
            try requireClose([result.loss], [expectedLosses[n]], "the loss of chunk \(n + 1) of PyTorch's TBPTT loop",
                             hint: "the mean cross-entropy per token of this chunk, computed before the step; "
                                 + "a wrong loss from chunk 2 on means the state carried in was not the last chunk's")
            state = result.state
        }
        for (name, p) in model.namedParameters() {
            try requireClose(p.scalars, try f.values("final." + name).data,
                             "\(name) after PyTorch's 4 TBPTT steps (SGD, lr 0.5, clipped to norm 0.25)",
                             hint: "zero the gradients, backward, clip with clipGradNorm after backward and before step, "
                                 + "and detach the state carried in so the gradient stops at the chunk's start")
        }
        try requireClose(state!.h.scalars, try f.values("h_n").data, "the state h after the last chunk",
                         hint: "return the state the model's forward pass returned")
    }

    /// One step from a state that still has a graph (the previous chunk's,
    /// with gradients already in every parameter), against the reference
    /// on an identical model, with Adam: the loss, the state, the
    /// parameters after the step, and the graph behind the returned state
    /// (which must not reach into the previous chunk).
    static func checkFromAttachedState(_ trainChunk: TrainChunk) throws {
        for seed in UInt64(0)..<4 {
            let g = Generator(seed: 40 + seed)
            let vocab = 5 + g.nextInt(below: 4), batch = 1 + g.nextInt(below: 3), steps = 2 + g.nextInt(below: 3)
            let models = (0..<2).map { _ in LanguageModel(vocabularySize: vocab, embeddingDim: 3, hiddenSize: 4, generator: Generator(seed: seed)) }
            let tokens = (0..<(2 * steps + 1)).map { _ in (0..<batch).map { _ in g.nextInt(below: vocab) } }
            let previous = Array(tokens[0..<steps])
            let (inputs, targets) = (Array(tokens[steps..<(2 * steps)]), Array(tokens[(steps + 1)...(2 * steps)]))
            let results = try models.enumerated().map { index, model in
                let (scores, state) = model(previous)        // a state with the previous chunk's graph
                scores.sum().backward()                      // and stale gradients in every parameter
                let optimizer = Adam(model.parameters(), learningRate: 0.05)
                return index == 0
                    ? try trainChunk(model, optimizer, inputs, targets, state, 0.5)
                    : Solutions.Day8.trainChunk(model, optimizer: optimizer, inputs: inputs, targets: targets, state: state, maxNorm: 0.5)
            }
            let what = "one step of \(steps) tokens × \(batch) streams (V = \(vocab), Adam, seed \(seed)) from a state with a graph"
            try requireClose([results[0].loss], [results[1].loss], "the loss of \(what)",
                             hint: "the mean cross-entropy per token of the chunk (crossEntropy's default reduction)")
            try requireClose(results[0].state.h.scalars, results[1].state.h.scalars, "the returned state h of \(what)",
                             hint: "start from the carried state's values (detached, not replaced by zeros)")
            for ((name, got), (_, expected)) in zip(models[0].namedParameters(), models[1].namedParameters()) {
                try requireClose(got.scalars, expected.scalars, "\(name) after \(what)",
                                 hint: "detach the state carried in, zeroGrad before backward, clip after backward, then step")
            }
            try requireEqual(results[0].state.h.graphSize(), results[1].state.h.graphSize(),
                             "the graph behind the returned state of \(what)",
                             hint: "detach the state carried in: the new state's graph must start at this chunk")
        }
    }

    static func checkTrainChunk(_ trainChunk: TrainChunk) throws {
        try checkAgainstPyTorch(trainChunk)
        try checkFromAttachedState(trainChunk)
    }

    @Test("8.3 one truncated-BPTT step (reference)") func reference8_3() {
        reference("8.3") {
            try Self.checkTrainChunk { Solutions.Day8.trainChunk($0, optimizer: $1, inputs: $2, targets: $3, state: $4, maxNorm: $5) }
        }
    }

    static let graded8_3 = GradedExercise("8.3", "one truncated-BPTT step", function: "trainChunk")

    @Test("8.3 one truncated-BPTT step") func exercise8_3() async throws {
        try await grade(Self.graded8_3) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("8.3") {
                    try Day08Tests.checkTrainChunk {
                        try day8.trainChunk($0, optimizer: $1, inputs: $2, targets: $3, state: $4, maxNorm: $5)
                    }
                }
            }
        }
    }

    /// A TBPTT step with its parts switchable, to feed the check wrong versions.
    static func step(detach: Bool = true, zeroGrad: Bool = true, clip: Bool = true, clipBeforeBackward: Bool = false,
                     reduction: Reduction = .mean) -> TrainChunk {
        { model, optimizer, inputs, targets, state, maxNorm in
            let carried = detach ? state.map { ($0.h.detached(), $0.c.detached()) } : state
            if zeroGrad { optimizer.zeroGrad() }
            let (scores, newState) = model(inputs, carried)
            let loss = crossEntropy(scores.reshaped(to: [inputs.count * inputs[0].count, model.vocabularySize]),
                                    targets: targets.flatMap { $0 }, reduction: reduction)
            if clip && clipBeforeBackward { clipGradNorm(model.parameters(), maxNorm: maxNorm) }
            loss.backward()
            if clip && !clipBeforeBackward { clipGradNorm(model.parameters(), maxNorm: maxNorm) }
            optimizer.step()
            return (loss.item, newState)
        }
    }

    @Test("8.3 the check rejects wrong TBPTT steps") func rejectsWrong8_3() {
        expectRejects("8.3", "no detach: the gradient runs into the previous chunk") { try Self.checkTrainChunk(Self.step(detach: false)) }
        expectRejects("8.3", "no zeroGrad: gradients pile up across chunks") { try Self.checkTrainChunk(Self.step(zeroGrad: false)) }
        expectRejects("8.3", "no clipping") { try Self.checkTrainChunk(Self.step(clip: false)) }
        expectRejects("8.3", "clipping before backward") { try Self.checkTrainChunk(Self.step(clipBeforeBackward: true)) }
        expectRejects("8.3", "the summed loss instead of the mean per token") { try Self.checkTrainChunk(Self.step(reduction: .sum)) }
        expectRejects("8.3", "the state reset to zeros every chunk") {
            try Self.checkTrainChunk { model, optimizer, inputs, targets, _, maxNorm in
                try Self.step()(model, optimizer, inputs, targets, nil, maxNorm)
            }
        }
    }

    // MARK: 8.4 perplexity from chunk losses

    /// Compares the perplexity with `exp` of the mean loss per token on
    /// random evaluations whose last chunk is shorter.
    static func checkPerplexity(_ perplexity: ([(meanLoss: Float, tokenCount: Int)]) throws -> Double) throws {
        try requireClose([Float(try perplexity([(meanLoss: 2, tokenCount: 350)]))], [Float(exp(2.0))],
                         tolerance: 1e-5, "the perplexity of one chunk of mean loss 2", hint: "exp of the mean loss per token")
        for seed in UInt64(0)..<10 {
            let g = Generator(seed: 60 + seed)
            let full = 35 * (1 + g.nextInt(below: 10))
            var chunks = (0..<(1 + g.nextInt(below: 6))).map { _ in (meanLoss: 1 + 4 * g.nextUniform(), tokenCount: full) }
            chunks.append((meanLoss: 1 + 4 * g.nextUniform(), tokenCount: 1 + g.nextInt(below: full - 1)))
            let total = chunks.reduce(0.0) { $0 + Double($1.meanLoss) * Double($1.tokenCount) }
            let expected = exp(total / Double(chunks.reduce(0) { $0 + $1.tokenCount }))
            try requireClose([Float(try perplexity(chunks))], [Float(expected)], tolerance: 1e-5,
                             "the perplexity of \(chunks.count) chunks of \(full) tokens, the last of \(chunks.last!.tokenCount) (seed \(seed))",
                             hint: "exp(Σ meanLoss · tokenCount / Σ tokenCount): weigh each chunk by its tokens")
        }
    }

    @Test("8.4 perplexity from chunk losses (reference)") func reference8_4() {
        reference("8.4") { try Self.checkPerplexity { Solutions.Day8.perplexity(chunkLosses: $0) } }
    }

    static let graded8_4 = GradedExercise("8.4", "perplexity from chunk losses", function: "perplexity")

    @Test("8.4 perplexity from chunk losses") func exercise8_4() async throws {
        try await grade(Self.graded8_4) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("8.4") { try Day08Tests.checkPerplexity { try day8.perplexity(chunkLosses: $0) } }
            }
        }
    }

    @Test("8.4 the check rejects wrong perplexities") func rejectsWrong8_4() {
        expectRejects("8.4", "exp of the mean of the chunks' means") {
            try Self.checkPerplexity { chunks in exp(chunks.reduce(0.0) { $0 + Double($1.meanLoss) } / Double(chunks.count)) }
        }
        expectRejects("8.4", "the mean of the chunks' perplexities") {
            try Self.checkPerplexity { chunks in chunks.reduce(0.0) { $0 + exp(Double($1.meanLoss)) } / Double(chunks.count) }
        }
        expectRejects("8.4", "2 to the mean loss (bits, but the loss is in nats)") {
            try Self.checkPerplexity { chunks in
                let tokens = Double(chunks.reduce(0) { $0 + $1.tokenCount })
                return pow(2, chunks.reduce(0.0) { $0 + Double($1.meanLoss) * Double($1.tokenCount) } / tokens)
            }
        }
    }
}
