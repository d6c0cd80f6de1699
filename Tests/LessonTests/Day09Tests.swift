import Course
import Foundation
import Solutions
import Testing
import TestSupport
import Torchlet
@testable import day9

/// Day 9's exercises: each check runs against the reference solution (must
/// pass), against the student's code (graded in a child process with a time
/// limit; cancelled while it throws TODO), and against deliberately wrong
/// versions (must be rejected).
@Suite("Day09") struct Day09Tests {
    // MARK: 9.1 one GRU cell step

    typealias CellStep = (Tensor, Tensor, Tensor, Tensor, Tensor, Tensor) throws -> Tensor

    /// Compares a GRU step with PyTorch's `nn.GRUCell` (the
    /// `gru_cell_exercise` fixture: `h'` and every gradient), then with
    /// Torchlet's `GRUCell` on random sizes and values from several seeds.
    static func checkGRUStep(_ step: CellStep) throws {
        let f = try Fixture.load("gru_cell_exercise")
        let names = ["input", "h0", "weight_ih", "weight_hh", "bias_ih", "bias_hh"]
        let leaves = try names.map { try f.tensor($0, requiresGrad: true) }
        let h1 = try step(leaves[0], leaves[1], leaves[2], leaves[3], leaves[4], leaves[5])
        try requireClose(h1, try f.tensor("h1"), "h' of PyTorch's nn.GRUCell(3, 4) on a batch of 2",
                         hint: "n = tanh(x W_inᵀ + b_in + r ⊙ (h W_hnᵀ + b_hn)): r multiplies the recurrent term, bias included")
        (h1 * (try f.tensor("weight.h1"))).sum().backward()
        for (name, leaf) in zip(names, leaves) {
            try requireClose(leaf.grad ?? .zeros(leaf.shape), try f.tensor("grad." + name),
                             "the gradient of \(name) (PyTorch's nn.GRUCell)",
                             hint: "build h' only from tensor operations on the arguments")
        }
        for seed in UInt64(0)..<6 {
            let g = Generator(seed: 90 + seed)
            let batch = 1 + g.nextInt(below: 4), inputSize = 1 + g.nextInt(below: 6), hidden = 1 + g.nextInt(below: 5)
            let cell = GRUCell(inputSize: inputSize, hiddenSize: hidden, generator: g)
            let x = Tensor.normal([batch, inputSize], generator: g, requiresGrad: true)
            let h0 = Tensor.normal([batch, hidden], generator: g, requiresGrad: true)
            let weight = Tensor.normal([batch, hidden], generator: g)
            let expected = cell(x, h0)
            (expected * weight).sum().backward()
            let originals = [x, h0, cell.weightIH, cell.weightHH, cell.biasIH, cell.biasHH]
            let copies = originals.map { leafCopy($0) }
            let got = try step(copies[0], copies[1], copies[2], copies[3], copies[4], copies[5])
            let sizes = "batch \(batch), input \(inputSize), hidden \(hidden) (seed \(seed))"
            try requireClose(got, expected, "h' after one step, \(sizes)",
                             hint: "gates in the order r, z, n; h' = (1 − z) ⊙ n + z ⊙ h")
            (got * weight).sum().backward()
            for (name, (copy, original)) in zip(["input", "h", "weightIH", "weightHH", "biasIH", "biasHH"], zip(copies, originals)) {
                try requireGradClose(copy, original, "\(name), \(sizes)",
                                     hint: "build h' only from tensor operations on the arguments")
            }
        }
    }

    @Test("9.1 one GRU cell step (reference)") func reference9_1() {
        reference("9.1") { try Self.checkGRUStep { Solutions.Day9.gruCellStep($0, $1, weightIH: $2, weightHH: $3, biasIH: $4, biasHH: $5) } }
    }

    static let graded9_1 = GradedExercise("9.1", "one GRU cell step", function: "gruCellStep", forbids: ["GRUCell", "GRU"])

    @Test("9.1 one GRU cell step") func exercise9_1() async throws {
        try await grade(Self.graded9_1) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("9.1") { try Day09Tests.checkGRUStep { try day9.gruCellStep($0, $1, weightIH: $2, weightHH: $3, biasIH: $4, biasHH: $5) } }
            }
        }
    }

    /// A GRU step with its parts switchable, to feed the check wrong versions.
    static func gruStep(resetInside: Bool = false, swapGates: Bool = false, swapMix: Bool = false) -> CellStep {
        { x, h, wih, whh, bih, bhh in
            let a = (x.matmul(wih.transposed()) + bih).chunked(into: 3, dim: 1)
            let b = (h.matmul(whh.transposed()) + bhh).chunked(into: 3, dim: 1)
            let (ri, zi) = swapGates ? (1, 0) : (0, 1)
            let r = (a[ri] + b[ri]).sigmoid(), z = (a[zi] + b[zi]).sigmoid()
            let whn = whh.chunked(into: 3, dim: 0)[2], bhn = bhh.chunked(into: 3, dim: 0)[2]
            let recurrent = resetInside ? (r * h).matmul(whn.transposed()) + bhn : r * b[2]
            let n = (a[2] + recurrent).tanh()
            return swapMix ? z * n + (1 - z) * h : (1 - z) * n + z * h
        }
    }

    @Test("9.1 the check rejects wrong GRU steps") func rejectsWrong9_1() {
        expectRejects("9.1", "the paper's r ⊙ h inside W_hn (not PyTorch's r ⊙ (W_hn h + b_hn))", saying: "PyTorch") {
            try Self.checkGRUStep(Self.gruStep(resetInside: true))
        }
        expectRejects("9.1", "gates in the order z, r, n") { try Self.checkGRUStep(Self.gruStep(swapGates: true)) }
        expectRejects("9.1", "h' = z ⊙ n + (1 − z) ⊙ h") { try Self.checkGRUStep(Self.gruStep(swapMix: true)) }
        expectRejects("9.1", "a step that detaches h") {
            try Self.checkGRUStep { x, h, wih, whh, bih, bhh in try Self.gruStep()(x, h.detached(), wih, whh, bih, bhh) }
        }
    }

    // MARK: 9.2 the residual stack's forward

    typealias Stack = ([LSTM], Tensor, LSTMState?) throws -> (output: Tensor, state: LSTMState)

    /// Compares the forward with `LSTMStack(residual: true)` over the same
    /// layers: 1 to 4 layers, input size equal to the hidden size or not
    /// (the first layer has no skip either way), from zeros and from a
    /// given state; the output, `h`, `c`, and the gradients of the input,
    /// the state and every layer's weights.
    static func checkResidualStack(_ forward: Stack) throws {
        for seed in UInt64(0)..<8 {
            let g = Generator(seed: 120 + seed)
            let layers = 1 + g.nextInt(below: 4), hidden = 2 + g.nextInt(below: 3), batch = 1 + g.nextInt(below: 3)
            let steps = 1 + g.nextInt(below: 4), inputSize = seed % 2 == 0 ? hidden : hidden + 1
            let stack = LSTMStack(inputSize: inputSize, hiddenSize: hidden, numLayers: layers, residual: true, generator: g)
            let x = Tensor.normal([steps, batch, inputSize], generator: g, requiresGrad: true)
            let state: LSTMState? = seed % 4 < 2 ? nil
                : (Tensor.normal([layers, batch, hidden], generator: g, requiresGrad: true),
                   Tensor.normal([layers, batch, hidden], generator: g, requiresGrad: true))
            let weights = (0..<3).map { _ in Tensor.normal([layers, batch, hidden], generator: g) }
            let wOut = Tensor.normal([steps, batch, hidden], generator: g)
            func loss(_ r: (output: Tensor, state: LSTMState)) -> Tensor {
                (r.output * wOut).sum() + (r.state.h * weights[0]).sum() + (r.state.c * weights[1]).sum()
            }
            let expected = stack(x, state)
            loss(expected).backward()
            let expectedGrads = [x.grad, state?.h.grad, state?.c.grad] + stack.parameters().map(\.grad)
            stack.zeroGrad()
            for t in [x, state?.h, state?.c].compactMap({ $0 }) { t.zeroGrad() }

            let what = "\(layers) layers, input \(inputSize), hidden \(hidden), \(state == nil ? "from zeros" : "from a given state") (seed \(seed))"
            let got = try forward(stack.layers, x, state)
            try requireClose(got.output, expected.output, "the output of \(what)",
                             hint: "every layer above the first adds its input to its output; the first (reading the embedding) does not")
            try requireClose(got.state.h, expected.state.h, "h of \(what)",
                             hint: "layer k starts from state row k and its final h is row k of the result")
            try requireClose(got.state.c, expected.state.c, "c of \(what)",
                             hint: "layer k starts from state row k and its final c is row k of the result")
            loss(got).backward()
            let gotGrads = [x.grad, state?.h.grad, state?.c.grad] + stack.parameters().map(\.grad)
            let names = ["input", "state h", "state c"] + stack.namedParameters().map(\.name)
            for (name, (a, b)) in zip(names, zip(gotGrads, expectedGrads)) {
                guard let b else { continue }
                try requireClose(a ?? .zeros(b.shape), b, "the gradient of \(name), \(what)",
                                 hint: "use the layers and the state you are given, with tensor operations only")
            }
        }
    }

    @Test("9.2 the residual stack's forward (reference)") func reference9_2() {
        reference("9.2") { try Self.checkResidualStack { Solutions.Day9.residualStack($0, $1, $2) } }
    }

    static let graded9_2 = GradedExercise("9.2", "the residual stack's forward", function: "residualStack", forbids: ["LSTMStack"])

    @Test("9.2 the residual stack's forward") func exercise9_2() async throws {
        try await grade(Self.graded9_2) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("9.2") { try Day09Tests.checkResidualStack { try day9.residualStack($0, $1, $2) } }
            }
        }
    }

    @Test("9.2 the check rejects wrong residual stacks") func rejectsWrong9_2() {
        expectRejects("9.2", "no residual connections") {
            try Self.checkResidualStack { layers, x, state in
                var input = x, hs: [Tensor] = [], cs: [Tensor] = []
                for (k, layer) in layers.enumerated() {
                    let (y, s) = layer(input, state.map { ($0.h.narrowed(dim: 0, start: k, length: 1), $0.c.narrowed(dim: 0, start: k, length: 1)) })
                    input = y
                    hs.append(s.h)
                    cs.append(s.c)
                }
                return (input, (Tensor(concatenating: hs, dim: 0), Tensor(concatenating: cs, dim: 0)))
            }
        }
        expectRejects("9.2", "every layer started from state row 0") {
            try Self.checkResidualStack { layers, x, state in
                let rowZero = state.map { s in
                    (Tensor(concatenating: layers.map { _ in s.h.narrowed(dim: 0, start: 0, length: 1) }, dim: 0),
                     Tensor(concatenating: layers.map { _ in s.c.narrowed(dim: 0, start: 0, length: 1) }, dim: 0))
                }
                return Solutions.Day9.residualStack(layers, x, rowZero)
            }
        }
        expectRejects("9.2", "the skip taken from the stack's input, not the layer's") {
            try Self.checkResidualStack { layers, x, state in
                var input = x, hs: [Tensor] = [], cs: [Tensor] = []
                for (k, layer) in layers.enumerated() {
                    let (y, s) = layer(input, state.map { ($0.h.narrowed(dim: 0, start: k, length: 1), $0.c.narrowed(dim: 0, start: k, length: 1)) })
                    input = k > 0 && y.shape == x.shape ? y + x : y
                    hs.append(s.h)
                    cs.append(s.c)
                }
                return (input, (Tensor(concatenating: hs, dim: 0), Tensor(concatenating: cs, dim: 0)))
            }
        }
        expectRejects("9.2", "a skip around the first layer too, where the sizes match") {
            try Self.checkResidualStack { layers, x, state in
                var input = x, hs: [Tensor] = [], cs: [Tensor] = []
                for (k, layer) in layers.enumerated() {
                    let (y, s) = layer(input, state.map { ($0.h.narrowed(dim: 0, start: k, length: 1), $0.c.narrowed(dim: 0, start: k, length: 1)) })
                    input = y.shape == input.shape ? y + input : y
                    hs.append(s.h)
                    cs.append(s.c)
                }
                return (input, (Tensor(concatenating: hs, dim: 0), Tensor(concatenating: cs, dim: 0)))
            }
        }
        expectRejects("9.2", "the last layer's state alone") {
            try Self.checkResidualStack { layers, x, state in
                let result = Solutions.Day9.residualStack(layers, x, state)
                let last = layers.count - 1
                return (result.output, (result.state.h.narrowed(dim: 0, start: last, length: 1),
                                        result.state.c.narrowed(dim: 0, start: last, length: 1)))
            }
        }
    }

    // MARK: 9.3 tie the weights

    /// Ties random language models (E = H) and checks that the decoder's
    /// weight is the embedding's tensor, listed and counted once, that the
    /// decoder keeps its bias, and that the model computes, steps and
    /// trains as the reference's tied model does.
    static func checkTieWeights(_ tie: (LanguageModel) throws -> Void) throws {
        for seed in UInt64(0)..<4 {
            let g = Generator(seed: 140 + seed)
            let vocab = 4 + g.nextInt(below: 5), dim = 2 + g.nextInt(below: 3)
            let models = (0..<3).map { _ in LanguageModel(vocabularySize: vocab, embeddingDim: dim, hiddenSize: dim, generator: Generator(seed: seed)) }
            let (model, expected, untied) = (models[0], models[1], models[2])
            let bias = model.decoder.bias
            try tie(model)
            Solutions.Day9.tieWeights(expected)
            let what = "a language model with V = \(vocab), E = H = \(dim) (seed \(seed))"
            try requireEqual(model.decoder.weight === model.embedding.weight, true,
                             "whether decoder.weight is the embedding's tensor (===) after tying \(what)",
                             hint: "assign the tensor itself, model.decoder.weight = model.embedding.weight; a copy of its values is another tensor")
            try requireEqual(model.decoder.bias === bias, true, "whether the decoder keeps its own bias, \(what)",
                             hint: "tie the weight only")
            try requireEqual(model.namedParameters().map(\.name), expected.namedParameters().map(\.name),
                             "the parameter names of \(what) after tying",
                             hint: "the shared tensor is listed once, under embedding.weight")
            try requireEqual(model.parameterCount, untied.parameterCount - vocab * dim,
                             "parameterCount of \(what) after tying", hint: "tying saves the V·H values of the decoder's weight")
            let tokens = (0..<3).map { _ in (0..<2).map { _ in g.nextInt(below: vocab) } }
            let targets = tokens.map { $0.map { ($0 + 1) % vocab } }
            for (m, optimizer) in [(model, SGD(model.parameters(), learningRate: 0.5)), (expected, SGD(expected.parameters(), learningRate: 0.5))] {
                for _ in 0..<2 {
                    optimizer.zeroGrad()
                    crossEntropy(m(tokens).scores.reshaped(to: [6, vocab]), targets: targets.flatMap { $0 }).backward()
                    optimizer.step()
                }
            }
            try requireClose(model.embedding.weight, expected.embedding.weight, "the tied weight after 2 SGD steps, \(what)",
                             hint: "the decoder takes the embedding's tensor (not the other way round), and both uses add to its one gradient")
            try requireClose(model(tokens).scores, expected(tokens).scores, "the scores after 2 SGD steps, \(what)",
                             hint: "the decoder's weight must be the embedding's tensor")
        }
    }

    @Test("9.3 tie the weights (reference)") func reference9_3() {
        reference("9.3") { try Self.checkTieWeights { Solutions.Day9.tieWeights($0) } }
    }

    static let graded9_3 = GradedExercise("9.3", "tie the weights", function: "tieWeights", forbids: ["scalars"])

    @Test("9.3 tie the weights") func exercise9_3() async throws {
        try await grade(Self.graded9_3) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("9.3") { try Day09Tests.checkTieWeights { try day9.tieWeights($0) } }
            }
        }
    }

    @Test("9.3 the check rejects wrong ties") func rejectsWrong9_3() {
        expectRejects("9.3", "a copy of the embedding's values, not its tensor", saying: "===") {
            try Self.checkTieWeights { $0.decoder.weight = leafCopy($0.embedding.weight) }
        }
        expectRejects("9.3", "the embedding given the decoder's values (tied the other way round)") {
            try Self.checkTieWeights { model in
                model.embedding.weight.scalars = model.decoder.weight.scalars
                model.decoder.weight = model.embedding.weight
            }
        }
        expectRejects("9.3", "nothing tied") { try Self.checkTieWeights { _ in } }
    }

    // MARK: 9.4 the parameter-count formula

    /// The parameters of a real layer: `LSTM` for 4 gates, `GRU` for 3.
    static func actualCount(gates: Int, inputSize: Int, hiddenSize: Int, numLayers: Int, bidirectional: Bool) -> Int {
        gates == 4
            ? LSTM(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, bidirectional: bidirectional).parameterCount
            : GRU(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, bidirectional: bidirectional).parameterCount
    }

    /// Compares the formula with the parameters of real layers on random
    /// sizes, layers and directions, and with the lesson's worked example.
    static func checkParameterCount(_ count: (Int, Int, Int, Int, Bool) throws -> Int) throws {
        try requireEqual(try count(4, 10, 20, 1, false), 2_560, "the parameters of LSTM(10 → 20)",
                         hint: "4·20·(10 + 20) + 2·4·20: weight_ih, weight_hh and both biases")
        for seed in UInt64(0)..<16 {
            let g = Generator(seed: 160 + seed)
            let gates = seed % 2 == 0 ? 4 : 3
            let inputSize = 1 + g.nextInt(below: 9), hidden = 1 + g.nextInt(below: 9)
            let layers = 1 + g.nextInt(below: 3), bidirectional = g.nextInt(below: 2) == 1
            try requireEqual(try count(gates, inputSize, hidden, layers, bidirectional),
                             actualCount(gates: gates, inputSize: inputSize, hiddenSize: hidden, numLayers: layers, bidirectional: bidirectional),
                             "the parameters of \(gates == 4 ? "an LSTM" : "a GRU") \(inputSize) → \(hidden), \(layers) layer\(layers == 1 ? "" : "s")\(bidirectional ? ", bidirectional" : "")",
                             hint: "gates·H·(Iₖ + H) + 2·gates·H per layer and direction; above the first layer Iₖ = D·H")
        }
    }

    @Test("9.4 the parameter-count formula (reference)") func reference9_4() {
        reference("9.4") {
            try Self.checkParameterCount {
                Solutions.Day9.recurrentParameterCount(gates: $0, inputSize: $1, hiddenSize: $2, numLayers: $3, bidirectional: $4)
            }
        }
    }

    static let graded9_4 = GradedExercise("9.4", "the parameter-count formula", function: "recurrentParameterCount",
                                          forbids: ["parameterCount", "parameters"])

    @Test("9.4 the parameter-count formula") func exercise9_4() async throws {
        try await grade(Self.graded9_4) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("9.4") {
                    try Day09Tests.checkParameterCount {
                        try day9.recurrentParameterCount(gates: $0, inputSize: $1, hiddenSize: $2, numLayers: $3, bidirectional: $4)
                    }
                }
            }
        }
    }

    @Test("9.4 the check rejects wrong formulas") func rejectsWrong9_4() {
        expectRejects("9.4", "one bias per gate, not two") {
            try Self.checkParameterCount { gates, i, h, layers, bi in
                Solutions.Day9.recurrentParameterCount(gates: gates, inputSize: i, hiddenSize: h, numLayers: layers, bidirectional: bi)
                    - layers * (bi ? 2 : 1) * gates * h
            }
        }
        expectRejects("9.4", "every layer reading inputSize") {
            try Self.checkParameterCount { gates, i, h, layers, bi in
                layers * (bi ? 2 : 1) * (gates * h * (i + h) + 2 * gates * h)
            }
        }
        expectRejects("9.4", "upper layers reading H, not 2H, when bidirectional") {
            try Self.checkParameterCount { gates, i, h, layers, bi in
                (bi ? 2 : 1) * (Solutions.Day9.recurrentParameterCount(gates: gates, inputSize: i, hiddenSize: h, numLayers: layers, bidirectional: false))
            }
        }
    }
}
