import Course
import Foundation
import Solutions
import Testing
import TestSupport
import Torchlet
@testable import day6

/// Day 6's exercises: each check runs against the reference solution (must
/// pass), against the student's code (graded in a child process with a time
/// limit; cancelled while it throws TODO), and against deliberately wrong
/// versions (must be rejected).
@Suite("Day06") struct Day06Tests {
    // MARK: 6.1 an orthogonal matrix from a Gaussian

    typealias Orthogonal = ([Float], Int, Int) throws -> [Float]

    /// On Gaussian draws of random sizes (tall, square and wide) from
    /// several seeds: orthonormal columns (rows when wide), the sign
    /// convention (`R = QᵀA` has a positive diagonal), and the same matrix
    /// as `Init.orthogonalFactor` on the same draw.
    static func checkOrthogonal(_ orthogonal: Orthogonal) throws {
        for seed in UInt64(0)..<16 {
            let g = Generator(seed: seed)
            let rows = 1 + g.nextInt(below: 7), cols = seed % 4 == 0 ? rows : 1 + g.nextInt(below: 7)
            let a = (0..<(rows * cols)).map { _ in g.nextNormal() }
            let what = "a \(rows) × \(cols) Gaussian draw (seed \(seed))"
            let q = try orthogonal(a, rows, cols)
            try requireEqual(q.count, rows * cols, "the number of values for \(what)", hint: "return a rows × cols matrix, row-major")
            // Work with the tall view: Q (m × n) and A (m × n), transposed when wide.
            let wide = rows < cols
            let (m, n) = wide ? (cols, rows) : (rows, cols)
            func tall(_ x: [Float], _ i: Int, _ j: Int) -> Float { wide ? x[j * cols + i] : x[i * cols + j] }
            var gram: [Float] = [], identity: [Float] = []
            for j in 0..<n {
                for k in 0..<n {
                    gram.append((0..<m).reduce(0) { $0 + tall(q, $1, j) * tall(q, $1, k) })
                    identity.append(j == k ? 1 : 0)
                }
            }
            try requireClose(gram, identity, tolerance: 1e-4,
                             "\(wide ? "Q Qᵀ" : "QᵀQ") for \(what)",
                             hint: "the columns of Q (the rows, for a wide matrix) must be orthonormal: "
                                 + "subtract every projection on the earlier columns, then divide by the norm")
            let diagonal = (0..<n).map { j in (0..<m).reduce(Float(0)) { $0 + tall(q, $1, j) * tall(a, $1, j) } }
            try requireEqual(diagonal.map { $0 > 0 }, [Bool](repeating: true, count: n),
                             "the signs of R's diagonal (R = QᵀA) for \(what)",
                             hint: "PyTorch's sign convention: R[j][j] > 0 for every j; flip column j of Q where it is not")
            try requireClose(q, Init.orthogonalFactor(of: a, rows: rows, cols: cols), tolerance: 1e-3,
                             "Q for \(what), compared with Init.orthogonalFactor",
                             hint: "factor A itself when rows >= cols, Aᵀ when rows < cols (and transpose the result back)")
        }
    }

    @Test("6.1 an orthogonal matrix from a Gaussian (reference)") func reference6_1() {
        reference("6.1") { try Self.checkOrthogonal { Solutions.Day6.orthogonalMatrix(from: $0, rows: $1, cols: $2) } }
    }

    static let graded6_1 = GradedExercise("6.1", "an orthogonal matrix from a Gaussian", function: "orthogonalMatrix",
                                          forbids: ["orthogonal", "orthogonalFactor", "orthogonalPerGate",
                                                    "orthogonalRecurrentWeights"])

    @Test("6.1 an orthogonal matrix from a Gaussian") func exercise6_1() async throws {
        try await grade(Self.graded6_1) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("6.1") { try Day06Tests.checkOrthogonal { try day6.orthogonalMatrix(from: $0, rows: $1, cols: $2) } }
            }
        }
    }

    @Test("6.1 the check rejects wrong orthogonal matrices") func rejectsWrong6_1() {
        expectRejects("6.1", "the sign convention ignored (one column flipped)") {
            try Self.checkOrthogonal { a, rows, cols in
                var q = Init.orthogonalFactor(of: a, rows: rows, cols: cols)
                if rows >= cols { for i in 0..<rows { q[i * cols] = -q[i * cols] } } else { for j in 0..<cols { q[j] = -q[j] } }
                return q
            }
        }
        expectRejects("6.1", "Gram–Schmidt without normalizing") {
            try Self.checkOrthogonal { a, rows, cols in
                // Orthogonal but not unit columns: each reference column scaled by 2.
                Solutions.Day6.orthogonalMatrix(from: a, rows: rows, cols: cols).map { 2 * $0 }
            }
        }
        expectRejects("6.1", "columns only normalized, not orthogonalized") {
            try Self.checkOrthogonal { a, rows, cols in
                var q = a
                if rows >= cols {
                    for j in 0..<cols {
                        let norm = (0..<rows).reduce(Float(0)) { $0 + a[$1 * cols + j] * a[$1 * cols + j] }.squareRoot()
                        for i in 0..<rows { q[i * cols + j] /= norm }
                    }
                } else {
                    for i in 0..<rows {
                        let norm = (0..<cols).reduce(Float(0)) { $0 + a[i * cols + $1] * a[i * cols + $1] }.squareRoot()
                        for j in 0..<cols { q[i * cols + j] /= norm }
                    }
                }
                return q
            }
        }
    }

    // MARK: 6.2 Xavier and Kaiming bounds

    /// Random weight shapes of 2 to 4 dimensions from several seeds, plus a
    /// fixed few; both bounds compared with Torchlet's fans and standard
    /// deviations (`bound = √3 · std`).
    static func checkBounds(_ bounds: ([Int]) throws -> (xavier: Float, kaiming: Float)) throws {
        var shapes: [[Int]] = [[256, 64], [64, 16], [8, 4, 3], [1, 1]]
        for seed in UInt64(0)..<20 {
            let g = Generator(seed: seed)
            shapes.append((0..<(2 + g.nextInt(below: 3))).map { _ in 1 + g.nextInt(below: 40) })
        }
        for shape in shapes {
            let (fanIn, fanOut) = Init.fanInAndFanOut(shape: shape)
            let xavier = Float(3).squareRoot() * Init.xavierStd(fanIn: fanIn, fanOut: fanOut)
            let kaiming = Float(3).squareRoot() * Init.kaimingStd(fan: fanIn, gain: Init.calculateGain(.leakyRelu, param: 0))
            let got = try bounds(shape)
            try requireClose([got.xavier], [xavier], "the Xavier bound for shape \(shape)",
                             hint: "√(6 / (fan_in + fan_out)); fan_in = shape[1] · receptive, fan_out = shape[0] · receptive, "
                                 + "receptive = the product of shape[2...]")
            try requireClose([got.kaiming], [kaiming], "the Kaiming bound for shape \(shape)",
                             hint: "√2 · √(3 / fan_in): the ReLU gain √2, the fan in, and √3 from a uniform's variance a²/3")
        }
    }

    @Test("6.2 Xavier and Kaiming bounds from the fans (reference)") func reference6_2() {
        reference("6.2") { try Self.checkBounds { Solutions.Day6.uniformBounds(shape: $0) } }
    }

    static let graded6_2 = GradedExercise("6.2", "Xavier and Kaiming bounds from the fans", function: "uniformBounds",
                                          forbids: ["fanInAndFanOut", "xavierStd", "kaimingStd", "calculateGain",
                                                    "xavierUniform", "kaimingUniform"])

    @Test("6.2 Xavier and Kaiming bounds from the fans") func exercise6_2() async throws {
        try await grade(Self.graded6_2) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("6.2") { try Day06Tests.checkBounds { try day6.uniformBounds(shape: $0) } }
            }
        }
    }

    @Test("6.2 the check rejects wrong bounds") func rejectsWrong6_2() {
        func bounds(_ shape: [Int], receptive useReceptive: Bool = true, kaimingFan: String = "in", root3: Bool = true)
            -> (xavier: Float, kaiming: Float)
        {
            let receptive = useReceptive ? shape.dropFirst(2).reduce(1, *) : 1
            let fanIn = Float(shape[1] * receptive), fanOut = Float(shape[0] * receptive)
            let scale: Float = root3 ? Float(3).squareRoot() : 1
            let fan = kaimingFan == "in" ? fanIn : fanOut
            return (scale * (2 / (fanIn + fanOut)).squareRoot(), scale * Float(2).squareRoot() / fan.squareRoot())
        }
        expectRejects("6.2", "the standard deviations instead of the bounds (no √3)") {
            try Self.checkBounds { bounds($0, root3: false) }
        }
        expectRejects("6.2", "Kaiming from fan_out") {
            try Self.checkBounds { bounds($0, kaimingFan: "out") }
        }
        expectRejects("6.2", "the receptive field ignored for 3-D and 4-D weights") {
            try Self.checkBounds { bounds($0, receptive: false) }
        }
    }

    // MARK: 6.3 the forget-gate bias

    /// On random LSTMs (1–3 layers, one or two directions, hidden sizes 1–5)
    /// and random values: every `bias_ih…` forget slice equals the value,
    /// every `bias_hh…` forget slice is 0, so the effective bias is the
    /// value; all other slices and every weight are unchanged.
    static func checkForgetBias(_ set: (LSTM, Float) throws -> Void) throws {
        for seed in UInt64(0)..<10 {
            let g = Generator(seed: seed)
            let hidden = 1 + g.nextInt(below: 5), layers = 1 + g.nextInt(below: 3)
            let lstm = LSTM(inputSize: 1 + g.nextInt(below: 4), hiddenSize: hidden, numLayers: layers,
                            bidirectional: seed % 2 == 1, generator: g)
            let value = Float(g.nextInt(below: 9)) / 2 - 1.5
            let before = lstm.namedParameters().map { ($0.name, $0.tensor.scalars) }
            try set(lstm, value)
            let after = Dictionary(uniqueKeysWithValues: lstm.namedParameters().map { ($0.name, $0.tensor.scalars) })
            let what = "\(layers) layer\(layers == 1 ? "" : "s")\(seed % 2 == 1 ? ", bidirectional" : ""), H = \(hidden), value \(value)"
            for (name, old) in before {
                var expected = old
                if name.hasPrefix("bias") {
                    for k in hidden..<(2 * hidden) { expected[k] = name.hasPrefix("bias_ih") ? value : 0 }
                }
                try requireClose(after[name]!, expected, "\(name) of an LSTM with \(what) (seed \(seed))",
                                 hint: name.hasPrefix("bias_hh")
                                     ? "the forget slice H..<2H of bias_hh must be 0, so that the effective bias bias_ih + bias_hh is the value; other slices stay"
                                     : name.hasPrefix("bias_ih")
                                     ? "set the forget slice H..<2H (gate order i, f, g, o) of every bias_ih of every layer and direction to the value; other slices stay"
                                     : "leave the weights alone")
            }
        }
    }

    @Test("6.3 the forget-gate bias of a PyTorch-layout LSTM (reference)") func reference6_3() {
        reference("6.3") { try Self.checkForgetBias { Solutions.Day6.setForgetGateBias($0, to: $1) } }
    }

    static let graded6_3 = GradedExercise("6.3", "the forget-gate bias of a PyTorch-layout LSTM", function: "setForgetGateBias",
                                          forbids: ["constant"])

    @Test("6.3 the forget-gate bias of a PyTorch-layout LSTM") func exercise6_3() async throws {
        try await grade(Self.graded6_3) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("6.3") { try Day06Tests.checkForgetBias { try day6.setForgetGateBias($0, to: $1) } }
            }
        }
    }

    /// Sets slice `range(H)` of the biases whose name passes `which` to `ih` (bias_ih) and `hh` (bias_hh); `nil` leaves it.
    static func setSlice(_ lstm: LSTM, _ value: Float, range: (Int) -> Range<Int> = { $0..<(2 * $0) },
                         which: (String) -> Bool = { _ in true }, hhValue: Float? = 0) {
        for (name, bias) in lstm.namedParameters() where name.hasPrefix("bias") && which(name) {
            let hidden = bias.count / 4
            for k in range(hidden) {
                if name.hasPrefix("bias_ih") { bias.scalars[k] = value } else if let hhValue { bias.scalars[k] = hhValue }
            }
        }
    }

    @Test("6.3 the check rejects wrong forget-gate biases") func rejectsWrong6_3() {
        expectRejects("6.3", "the slice filled in both biases (effective bias 2 × value, the article's slip)") {
            try Self.checkForgetBias { lstm, value in Self.setSlice(lstm, value, hhValue: value) }
        }
        expectRejects("6.3", "bias_hh left at its default") {
            try Self.checkForgetBias { lstm, value in Self.setSlice(lstm, value, hhValue: nil) }
        }
        expectRejects("6.3", "the input gate's slice 0..<H instead of the forget gate's") {
            try Self.checkForgetBias { lstm, value in Self.setSlice(lstm, value, range: { 0..<$0 }) }
        }
        expectRejects("6.3", "only the first layer's forward direction") {
            try Self.checkForgetBias { lstm, value in Self.setSlice(lstm, value, which: { $0.hasSuffix("_l0") }) }
        }
        expectRejects("6.3", "the whole bias set, not just the forget slice") {
            try Self.checkForgetBias { lstm, value in Self.setSlice(lstm, value, range: { 0..<(4 * $0) }) }
        }
    }

    // MARK: 6.4 a learned initial state

    typealias InitialState = (Module, Int, Int) throws -> (Int) -> LSTMState

    /// For random layer counts and hidden sizes: exactly two parameters,
    /// `h0` and `c0`, registered by the function itself, zeros of shape
    /// `[L, 1, H]`. Then, with the parameters set to other values (as
    /// training would), the forward for batch sizes 1, 5 and 3 returns
    /// `[L, B, H]` states whose every batch row is the parameter; a backward
    /// through them adds the sum over the batch to the parameter's gradient;
    /// and calling the forward registers nothing new.
    static func checkInitialState(_ make: InitialState) throws {
        for seed in UInt64(0)..<6 {
            let g = Generator(seed: seed)
            let layers = 1 + g.nextInt(below: 3), hidden = 1 + g.nextInt(below: 5)
            let what = "numLayers \(layers), hiddenSize \(hidden) (seed \(seed))"
            let module = Module()
            let forward = try make(module, layers, hidden)
            let registered = module.namedParameters()
            try requireEqual(registered.map(\.name), ["h0", "c0"], "the parameters registered on the module for \(what)",
                             hint: "register h0 and c0 in the function body, once: module.registerParameter(\"h0\", h0)")
            for (name, parameter) in registered {
                try requireEqual(parameter.shape, [layers, 1, hidden], "the shape of \(name) for \(what)",
                                 hint: "[numLayers, 1, hiddenSize]: a batch dimension of 1, spread over the batch by the forward, "
                                     + "so that one state serves every batch size")
                try requireClose(parameter.scalars, [Float](repeating: 0, count: parameter.count),
                                 "the starting values of \(name) for \(what)", hint: "start from zeros, the state the LSTM uses by default")
                parameter.scalars = (0..<parameter.count).map { _ in g.nextNormal() }  // as training would change them
            }
            for batchSize in [1, 5, 3] {
                for (_, parameter) in registered { parameter.grad = nil }
                let state = forward(batchSize)
                let weights = [layers, batchSize, hidden]
                let weightH = Tensor.normal(weights, generator: g), weightC = Tensor.normal(weights, generator: g)
                for ((name, parameter), (part, weight)) in zip(registered, [(state.h, weightH), (state.c, weightC)]) {
                    let which = "\(name == "h0" ? "h" : "c") for a batch of \(batchSize), \(what)"
                    try requireEqual(part.shape, [layers, batchSize, hidden], "the shape of \(which)",
                                     hint: "spread the [numLayers, 1, hiddenSize] parameter over the batch: add zeros of "
                                         + "[numLayers, B, hiddenSize]")
                    let rows = (0..<layers).flatMap { l in
                        (0..<batchSize).flatMap { _ in parameter.scalars[(l * hidden)..<((l + 1) * hidden)] }
                    }
                    try requireClose(part.scalars, rows, "the values of \(which), after \(name) was changed",
                                     hint: "compute the state from the registered \(name) itself; a tensor created in the "
                                         + "forward is fresh zeros at every call, so nothing is learned")
                    try requireEqual(part.requiresGrad, true, "whether \(which) requires grad",
                                     hint: "do not detach: the gradient must flow back into \(name)")
                    _ = weight
                }
                ((state.h * weightH).sum() + (state.c * weightC).sum()).backward()
                for ((name, parameter), weight) in zip(registered, [weightH, weightC]) {
                    let expected = (0..<layers).flatMap { l in
                        (0..<hidden).map { j in
                            (0..<batchSize).reduce(Float(0)) { $0 + weight.scalars[(l * batchSize + $1) * hidden + j] }
                        }
                    }
                    try requireClose(parameter.grad?.scalars ?? [Float](repeating: 0, count: parameter.count), expected,
                                     tolerance: 1e-3, "the gradient of \(name) for a batch of \(batchSize), \(what)",
                                     hint: "the gradient of \(name) is the sum over the batch of the state's gradient; "
                                         + "it reaches \(name) only when the state is computed from it")
                }
            }
            try requireEqual(module.namedParameters().count, 2, "the number of parameters after three forwards, \(what)",
                             hint: "register in the function body, once; the forward only reads the parameters")
        }
    }

    @Test("6.4 a learned initial state (reference)") func reference6_4() {
        reference("6.4") {
            try Self.checkInitialState { Solutions.Day6.registerLearnedInitialState(on: $0, numLayers: $1, hiddenSize: $2) }
        }
    }

    static let graded6_4 = GradedExercise("6.4", "a learned initial state", function: "registerLearnedInitialState")

    @Test("6.4 a learned initial state") func exercise6_4() async throws {
        try await grade(Self.graded6_4) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("6.4") {
                    try Day06Tests.checkInitialState { try day6.registerLearnedInitialState(on: $0, numLayers: $1, hiddenSize: $2) }
                }
            }
        }
    }

    @Test("6.4 the check rejects wrong initial states") func rejectsWrong6_4() {
        /// Registers zeros `[L, batch, H]` as h0 and c0 and returns a forward built by `forward(h0, c0, L, B, H)`.
        func wrong(batch: Int = 1, _ forward: @escaping (Tensor, Tensor, Int, Int, Int) -> LSTMState) -> InitialState {
            { module, layers, hidden in
                let h0 = Tensor.zeros([layers, batch, hidden]), c0 = Tensor.zeros([layers, batch, hidden])
                module.registerParameter("h0", h0)
                module.registerParameter("c0", c0)
                return { forward(h0, c0, layers, $0, hidden) }
            }
        }
        expectRejects("6.4", "the state created in the forward (registered tensors never used)") {
            try Self.checkInitialState(wrong { _, _, layers, batchSize, hidden in
                let h = Tensor.zeros([layers, 1, hidden]), c = Tensor.zeros([layers, 1, hidden])
                h.requiresGrad = true
                c.requiresGrad = true
                let zeros = Tensor.zeros([layers, batchSize, hidden])
                return (h + zeros, c + zeros)
            })
        }
        expectRejects("6.4", "not expanded over the batch") {
            try Self.checkInitialState(wrong { h0, c0, _, _, _ in (h0, c0) })
        }
        expectRejects("6.4", "a batch dimension fixed at creation (32)") {
            try Self.checkInitialState(wrong(batch: 32) { h0, c0, _, _, _ in (h0, c0) })
        }
        expectRejects("6.4", "the state detached from the parameters") {
            try Self.checkInitialState(wrong { h0, c0, layers, batchSize, hidden in
                let zeros = Tensor.zeros([layers, batchSize, hidden])
                return (h0.detached() + zeros, c0.detached() + zeros)
            })
        }
    }
}
