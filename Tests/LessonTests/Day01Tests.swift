import Course
import Solutions
import Testing
import TestSupport
import Torchlet
@testable import day1

/// Day 1's exercises: each check runs against the reference solution (must
/// pass), against the student's code (graded in a child process with a time
/// limit; cancelled while it throws TODO), and against deliberately wrong
/// versions (must be rejected).
@Suite("Day01") struct Day01Tests {
    // MARK: 1.1 one LSTM cell step

    typealias CellStep = (Tensor, LSTMState, Tensor, Tensor, Tensor, Tensor) throws -> LSTMState

    /// Compares a cell step with `LSTMCell` on random sizes and values from
    /// several seeds: `h`, `c`, and the gradients of the input, the state
    /// and all four parameters.
    static func checkCellStep(_ step: CellStep) throws {
        for seed in UInt64(0)..<6 {
            let g = Generator(seed: seed)
            let batch = 1 + g.nextInt(below: 4), inputSize = 1 + g.nextInt(below: 6), hidden = 1 + g.nextInt(below: 5)
            let cell = LSTMCell(inputSize: inputSize, hiddenSize: hidden, generator: g)
            let x = Tensor.normal([batch, inputSize], generator: g, requiresGrad: true)
            let h0 = Tensor.normal([batch, hidden], generator: g, requiresGrad: true)
            let c0 = Tensor.normal([batch, hidden], generator: g, requiresGrad: true)
            let wh = Tensor.normal([batch, hidden], generator: g), wc = Tensor.normal([batch, hidden], generator: g)
            let expected = cell(x, (h0, c0))
            ((expected.h * wh).sum() + (expected.c * wc).sum()).backward()

            let copies = [x, h0, c0, cell.weightIH, cell.weightHH, cell.biasIH, cell.biasHH].map { leafCopy($0) }
            let got = try step(copies[0], (copies[1], copies[2]), copies[3], copies[4], copies[5], copies[6])
            let sizes = "batch \(batch), input \(inputSize), hidden \(hidden) (seed \(seed))"
            try requireClose(got.h, expected.h, "h after one step, \(sizes)",
                             hint: "gates are in the order i, f, g, o; h' = o ⊙ tanh(c')")
            try requireClose(got.c, expected.c, "c after one step, \(sizes)",
                             hint: "c' = f ⊙ c + i ⊙ g, with g = tanh(…) and the others σ(…)")
            ((got.h * wh).sum() + (got.c * wc).sum()).backward()
            let names = ["input", "h", "c", "weightIH", "weightHH", "biasIH", "biasHH"]
            let originals = [x, h0, c0, cell.weightIH, cell.weightHH, cell.biasIH, cell.biasHH]
            for (name, (copy, original)) in zip(names, zip(copies, originals)) {
                try requireGradClose(copy, original, "\(name), \(sizes)",
                                     hint: "build the result only from tensor operations on the arguments")
            }
        }
    }

    @Test("1.1 one LSTM cell step (reference)") func reference1_1() {
        reference("1.1") { try Self.checkCellStep { Solutions.Day1.lstmCellStep($0, $1, weightIH: $2, weightHH: $3, biasIH: $4, biasHH: $5) } }
    }

    static let graded1_1 = GradedExercise("1.1", "one LSTM cell step", function: "lstmCellStep")

    @Test("1.1 one LSTM cell step") func exercise1_1() async throws {
        try await grade(Self.graded1_1) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("1.1") { try Day01Tests.checkCellStep { try day1.lstmCellStep($0, $1, weightIH: $2, weightHH: $3, biasIH: $4, biasHH: $5) } }
            }
        }
    }

    @Test("1.1 the check rejects wrong cell steps") func rejectsWrong1_1() {
        expectRejects("1.1", "gates in the order f, i, g, o") {
            try Self.checkCellStep { x, s, wih, whh, bih, bhh in
                let gates = (x.matmul(wih.transposed()) + bih + s.h.matmul(whh.transposed()) + bhh).chunked(into: 4, dim: 1)
                let c = gates[0].sigmoid() * s.c + gates[1].sigmoid() * gates[2].tanh()
                return (gates[3].sigmoid() * c.tanh(), c)
            }
        }
        expectRejects("1.1", "h' = o ⊙ c' (tanh missing)") {
            try Self.checkCellStep { x, s, wih, whh, bih, bhh in
                let gates = (x.matmul(wih.transposed()) + bih + s.h.matmul(whh.transposed()) + bhh).chunked(into: 4, dim: 1)
                let c = gates[1].sigmoid() * s.c + gates[0].sigmoid() * gates[2].tanh()
                return (gates[3].sigmoid() * c, c)
            }
        }
        expectRejects("1.1", "a step that detaches the state") {
            try Self.checkCellStep { x, s, wih, whh, bih, bhh in
                Solutions.Day1.lstmCellStep(x, (s.h.detached(), s.c.detached()), weightIH: wih, weightHH: whh, biasIH: bih, biasHH: bhh)
            }
        }
    }

    // MARK: 1.2 a stable log-softmax

    /// Compares a log-softmax with Torchlet's on random logits, some scaled
    /// to ±1000, values and gradients.
    static func checkLogSoftmax(_ logSoftmax: (Tensor) throws -> Tensor) throws {
        let fixed = Tensor([[1000, 0, -1000], [-1000, -999, -1000], [0, 0, 0]])
        var cases = [fixed]
        for seed in UInt64(0)..<5 {
            let g = Generator(seed: seed)
            let rows = 1 + g.nextInt(below: 5), columns = 2 + g.nextInt(below: 6)
            let scale: Float = seed % 2 == 0 ? 1 : 500
            cases.append(Tensor.normal([rows, columns], std: scale, generator: g))
        }
        for (k, logits) in cases.enumerated() {
            let x = leafCopy(logits), y = leafCopy(logits)
            let expected = x.logSoftmax(dim: -1)
            let got = try logSoftmax(y)
            try requireClose(got, expected, "log-softmax of case \(k) \(logits.shape) (logits up to \(logits.scalars.map(abs).max()!))",
                             hint: "subtract the row maximum before exp, then subtract log of the sum")
            let w = Tensor.normal(logits.shape, generator: Generator(seed: UInt64(k)))
            (expected * w).sum().backward()
            (got * w).sum().backward()
            try requireGradClose(y, x, "the logits in case \(k)", hint: "use tensor operations only, so gradients flow")
        }
    }

    @Test("1.2 a stable log-softmax (reference)") func reference1_2() {
        reference("1.2") { try Self.checkLogSoftmax(Solutions.Day1.stableLogSoftmax) }
    }

    static let graded1_2 = GradedExercise("1.2", "a stable log-softmax", function: "stableLogSoftmax", forbids: ["logSoftmax"])

    @Test("1.2 a stable log-softmax") func exercise1_2() async throws {
        try await grade(Self.graded1_2) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("1.2") { try Day01Tests.checkLogSoftmax(day1.stableLogSoftmax) }
            }
        }
    }

    @Test("1.2 the check rejects unstable or wrong log-softmax") func rejectsWrong1_2() {
        expectRejects("1.2", "log of softmax without subtracting the maximum") {
            try Self.checkLogSoftmax { x in (x.exp() / x.exp().sum(dim: -1, keepDim: true)).log() }
        }
        expectRejects("1.2", "a log-softmax over the wrong dimension") {
            try Self.checkLogSoftmax { x in x.logSoftmax(dim: 0) }
        }
    }

    // MARK: 1.3 one training step

    /// Runs three steps of a training step function on a small regression
    /// model and compares losses and parameters with a correct loop.
    static func checkTrainStep(_ trainStep: (Optimizer, () -> Tensor) throws -> Float) throws {
        for seed in UInt64(0)..<3 {
            let g = Generator(seed: seed)
            let x = Tensor.normal([5, 3], generator: g), target = Tensor.normal([5, 2], generator: g)
            let expectedModel = Linear(inFeatures: 3, outFeatures: 2, generator: Generator(seed: seed + 100))
            let gotModel = Linear(inFeatures: 3, outFeatures: 2, generator: Generator(seed: seed + 100))
            let expectedOptimizer = SGD(expectedModel.parameters(), learningRate: 0.1, momentum: 0.5)
            let gotOptimizer = SGD(gotModel.parameters(), learningRate: 0.1, momentum: 0.5)
            for step in 1...3 {
                expectedOptimizer.zeroGrad()
                let loss = mseLoss(expectedModel(x), target)
                loss.backward()
                expectedOptimizer.step()
                let got = try trainStep(gotOptimizer) { mseLoss(gotModel(x), target) }
                try requireClose([got], [loss.item], "the loss returned by step \(step) (seed \(seed))",
                                 hint: "return the loss computed before the update, as a Float (loss.item)")
                try requireClose(gotModel.weight, expectedModel.weight, "the weight after step \(step) (seed \(seed))",
                                 hint: "zeroGrad, compute the loss, backward, then step — in that order")
                try requireClose(gotModel.bias!, expectedModel.bias!, "the bias after step \(step) (seed \(seed))")
            }
        }
    }

    @Test("1.3 one training step (reference)") func reference1_3() {
        reference("1.3") { try Self.checkTrainStep { Solutions.Day1.trainStep(optimizer: $0, computeLoss: $1) } }
    }

    static let graded1_3 = GradedExercise("1.3", "one training step", function: "trainStep")

    @Test("1.3 one training step") func exercise1_3() async throws {
        try await grade(Self.graded1_3) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("1.3") { try Day01Tests.checkTrainStep { try day1.trainStep(optimizer: $0, computeLoss: $1) } }
            }
        }
    }

    @Test("1.3 the check rejects wrong training steps") func rejectsWrong1_3() {
        expectRejects("1.3", "a step that never zeroes the gradients") {
            try Self.checkTrainStep { optimizer, computeLoss in
                let loss = computeLoss()
                loss.backward()
                optimizer.step()
                return loss.item
            }
        }
        expectRejects("1.3", "a step that updates before backward") {
            try Self.checkTrainStep { optimizer, computeLoss in
                optimizer.zeroGrad()
                optimizer.step()
                let loss = computeLoss()
                loss.backward()
                return loss.item
            }
        }
    }

    // MARK: 1.4 accuracy from logits

    /// Compares an accuracy function with a count done here, on random
    /// logits and targets.
    static func checkAccuracy(_ accuracy: (Tensor, [Int]) throws -> Double) throws {
        var answers: [Double] = []
        for seed in UInt64(0)..<6 {
            let g = Generator(seed: seed)
            let rows = 1 + g.nextInt(below: 20), classes = 2 + g.nextInt(below: 6)
            let logits = Tensor.normal([rows, classes], generator: g)
            // Make roughly half the targets right, so the answer is not 0 or 1.
            var targets: [Int] = []
            var correct = 0
            for r in 0..<rows {
                let row = Array(logits.scalars[(r * classes)..<((r + 1) * classes)])
                let best = row.indices.max { row[$0] < row[$1] }!
                let target = g.nextUniform() < 0.5 ? best : g.nextInt(below: classes)
                targets.append(target)
                if target == best { correct += 1 }
            }
            let got = try accuracy(logits, targets)
            let expected = Double(correct) / Double(rows)
            try requireShare(got, expected, "accuracy of \(rows) rows × \(classes) classes (seed \(seed))",
                             hint: "the prediction of a row is the index of its largest logit (argmax over the last dimension)",
                             earlier: answers)
            answers.append(expected)
        }
    }

    @Test("1.4 accuracy from logits (reference)") func reference1_4() {
        reference("1.4") { try Self.checkAccuracy { Solutions.Day1.accuracy(logits: $0, targets: $1) } }
    }

    static let graded1_4 = GradedExercise("1.4", "accuracy from logits", function: "accuracy")

    @Test("1.4 accuracy from logits") func exercise1_4() async throws {
        try await grade(Self.graded1_4) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("1.4") { try Day01Tests.checkAccuracy { try day1.accuracy(logits: $0, targets: $1) } }
            }
        }
    }

    @Test("1.4 the check accepts a float32 accuracy") func acceptsFloat1_4() {
        reference("1.4") {
            try Self.checkAccuracy { logits, targets in
                Double(Float(zip(logits.argmax(dim: -1), targets).filter { $0 == $1 }.count) / Float(targets.count))
            }
        }
    }

    @Test("1.4 the check rejects wrong accuracies") func rejectsWrong1_4() {
        expectRejects("1.4", "argmax over the rows instead of the classes") {
            try Self.checkAccuracy { logits, targets in
                let predictions = logits.argmax(dim: 0)
                return Double(zip(predictions, targets).filter { $0 == $1 }.count) / Double(targets.count)
            }
        }
        expectRejects("1.4", "an integer division", saying: "integer division") {
            try Self.checkAccuracy { logits, targets in
                Double(zip(logits.argmax(dim: -1), targets).filter { $0 == $1 }.count / targets.count)
            }
        }
        expectRejects("1.4", "the answer of the first case, hard-coded", saying: "hard-coded") {
            try Self.checkAccuracy { _, _ in 9.0 / 13.0 }
        }
        expectRejects("1.4", "a count of correct rows instead of a share") {
            try Self.checkAccuracy { logits, targets in
                Double(zip(logits.argmax(dim: -1), targets).filter { $0 == $1 }.count)
            }
        }
    }
}
