import Course
import Solutions
import Testing
import TestSupport
import Torchlet
@testable import day3

/// Day 3's exercises: each check runs against the reference solution (must
/// pass), against the student's code (graded in a child process with a time
/// limit; cancelled while it throws TODO), and against deliberately wrong
/// versions (must be rejected).
@Suite("Day03") struct Day03Tests {
    /// Random lengths for a batch of `batch` sequences, each in `1...longest`,
    /// with at least two different lengths when `batch > 1` (so padding
    /// always exists and its side matters).
    static func raggedLengths(batch: Int, longest: Int, generator g: Generator) -> [Int] {
        var lengths = (0..<batch).map { _ in 1 + g.nextInt(below: longest) }
        if batch > 1 && Set(lengths).count == 1 {
            lengths[g.nextInt(below: batch)] = lengths[0] == 1 ? 2 : lengths[0] - 1
        }
        return lengths
    }

    // MARK: 3.1 pad a batch and return its lengths

    typealias PadBatch = ([[Int]], Int) throws -> (padded: [[Int]], lengths: [Int])

    /// Compares padded rows and lengths with Torchlet's `padSequence` on
    /// random ragged batches of token ids and random padding values.
    static func checkPadBatch(_ padBatch: PadBatch) throws {
        for seed in UInt64(0)..<8 {
            let g = Generator(seed: seed)
            let batch = 1 + g.nextInt(below: 8)
            let lengths = raggedLengths(batch: batch, longest: 12, generator: g)
            let sequences = lengths.map { length in (0..<length).map { _ in 1 + g.nextInt(below: 500) } }
            let paddingValue = [0, -1, 99, 1_000][Int(seed % 4)]
            let (flat, shape) = padSequence(sequences, batchFirst: true, paddingValue: paddingValue)
            let expected = (0..<shape[0]).map { b in Array(flat[(b * shape[1])..<((b + 1) * shape[1])]) }

            let got = try padBatch(sequences, paddingValue)
            let what = "\(batch) sequences of lengths \(lengths), paddingValue \(paddingValue) (seed \(seed))"
            try requireEqual(got.lengths, lengths, "the lengths of \(what)",
                             hint: "lengths[i] is the length of sequences[i] before padding")
            try requireEqual(got.padded.map(\.count), expected.map(\.count), "the row lengths of \(what)",
                             hint: "every row is as long as the longest sequence, no longer")
            for (b, (row, expectedRow)) in zip(got.padded, expected).enumerated() {
                try requireEqual(row, expectedRow, "row \(b) of \(what)",
                                 hint: "the sequence's own values first, then paddingValue at the end")
            }
        }
    }

    @Test("3.1 pad a batch and return its lengths (reference)") func reference3_1() {
        reference("3.1") { try Self.checkPadBatch { Solutions.Day3.padBatch($0, paddingValue: $1) } }
    }

    static let graded3_1 = GradedExercise("3.1", "pad a batch and return its lengths", function: "padBatch")

    @Test("3.1 pad a batch and return its lengths") func exercise3_1() async throws {
        try await grade(Self.graded3_1) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("3.1") { try Day03Tests.checkPadBatch { try day3.padBatch($0, paddingValue: $1) } }
            }
        }
    }

    @Test("3.1 the check rejects wrong padding") func rejectsWrong3_1() {
        expectRejects("3.1", "padding at the front (left padding)") {
            try Self.checkPadBatch { sequences, value in
                let longest = sequences.map(\.count).max()!
                return (sequences.map { [Int](repeating: value, count: longest - $0.count) + $0 }, sequences.map(\.count))
            }
        }
        expectRejects("3.1", "lengths measured after padding") {
            try Self.checkPadBatch { sequences, value in
                let padded = Solutions.Day3.padBatch(sequences, paddingValue: value).padded
                return (padded, padded.map(\.count))
            }
        }
        expectRejects("3.1", "padding to a fixed length instead of the longest") {
            try Self.checkPadBatch { sequences, value in
                (sequences.map { $0 + [Int](repeating: value, count: 12 - $0.count) }, sequences.map(\.count))
            }
        }
    }

    // MARK: 3.2 a mask from lengths

    /// Compares a mask with Torchlet's `lengthMask` on random lengths, some
    /// batches with no sequence as long as `maxLength`, some with empty ones.
    static func checkMask(_ makeMask: ([Int], Int) throws -> Tensor) throws {
        for seed in UInt64(0)..<8 {
            let g = Generator(seed: seed)
            let batch = 1 + g.nextInt(below: 6)
            var lengths = raggedLengths(batch: batch, longest: 9, generator: g)
            if seed % 3 == 2 { lengths[g.nextInt(below: batch)] = 0 }
            let maxLength = lengths.max()! + (seed % 2 == 0 ? 0 : 1 + g.nextInt(below: 3))
            let expected = lengthMask(lengths: lengths, maxLength: maxLength)
            let got = try makeMask(lengths, maxLength)
            try requireClose(got, expected, tolerance: 0, "the mask of lengths \(lengths), maxLength \(maxLength) (seed \(seed))",
                             hint: "shape [B, T] = [lengths.count, maxLength]; mask[b, t] = 1 exactly when t < lengths[b]")
        }
    }

    @Test("3.2 a mask from lengths (reference)") func reference3_2() {
        reference("3.2") { try Self.checkMask { Solutions.Day3.mask(lengths: $0, maxLength: $1) } }
    }

    static let graded3_2 = GradedExercise("3.2", "a mask from lengths", function: "mask", forbids: ["lengthMask"])

    @Test("3.2 a mask from lengths") func exercise3_2() async throws {
        try await grade(Self.graded3_2) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("3.2") { try Day03Tests.checkMask { try day3.mask(lengths: $0, maxLength: $1) } }
            }
        }
    }

    @Test("3.2 the check rejects wrong masks") func rejectsWrong3_2() {
        expectRejects("3.2", "a mask that is 1 at padding") {
            try Self.checkMask { lengths, maxLength in 1 - lengthMask(lengths: lengths, maxLength: maxLength) }
        }
        expectRejects("3.2", "an off-by-one mask (t <= length)") {
            try Self.checkMask { lengths, maxLength in
                lengthMask(lengths: lengths.map { min($0 + 1, maxLength) }, maxLength: maxLength)
            }
        }
        expectRejects("3.2", "a time-first mask [T, B]") {
            try Self.checkMask { lengths, maxLength in lengthMask(lengths: lengths, maxLength: maxLength, batchFirst: false) }
        }
    }

    // MARK: 3.3 masked cross-entropy

    /// Compares a masked cross-entropy with `crossEntropy(ignoreIndex:)` on
    /// random padded batches, value and gradient. The targets at padding
    /// hold a random class in most batches, 0 in some and −100 in others,
    /// so only the mask can tell which positions count.
    static func checkMaskedCrossEntropy(_ maskedCrossEntropy: (Tensor, [Int], Tensor) throws -> Tensor) throws {
        for seed in UInt64(0)..<8 {
            let g = Generator(seed: seed)
            let batch = 1 + g.nextInt(below: 5), classes = 2 + g.nextInt(below: 5)
            let lengths = raggedLengths(batch: batch, longest: 7, generator: g)
            let steps = lengths.max()! + g.nextInt(below: 2)
            let positionMask = lengthMask(lengths: lengths, maxLength: steps).flattened()  // [B·T]
            var targets: [Int] = [], ignoring: [Int] = []
            for b in 0..<batch {
                for t in 0..<steps {
                    if t < lengths[b] {
                        let target = g.nextInt(below: classes)
                        targets.append(target)
                        ignoring.append(target)
                    } else {
                        targets.append([g.nextInt(below: classes), g.nextInt(below: classes), 0, -100][Int(seed % 4)])
                        ignoring.append(-100)
                    }
                }
            }
            let logits = Tensor.normal([batch * steps, classes], std: 2, generator: g)
            let x = leafCopy(logits), y = leafCopy(logits)
            let expected = crossEntropy(x, targets: ignoring, ignoreIndex: -100)
            let got = try maskedCrossEntropy(y, targets, positionMask)
            let what = "\(batch) sentences of lengths \(lengths) padded to \(steps), \(classes) classes (seed \(seed))"
            try requireClose(got, expected, "the masked cross-entropy of \(what)",
                             hint: "sum the per-position losses times the mask, divide by the sum of the mask (not by B·T), return a scalar")
            guard got.requiresGrad else {
                throw CheckFailure("the masked cross-entropy of \(what) has no gradient",
                                   expected: "a loss that requires grad", got: "a constant",
                                   hint: "build the loss from tensor operations on the logits (not from .item or .scalars)")
            }
            expected.backward()
            got.backward()
            try requireGradClose(y, x, "the logits, \(what)",
                                 hint: "build the loss from tensor operations on the logits so gradients flow; padding rows get zero gradient")
        }
    }

    @Test("3.3 masked cross-entropy (reference)") func reference3_3() {
        reference("3.3") {
            try Self.checkMaskedCrossEntropy { Solutions.Day3.maskedCrossEntropy(logits: $0, targets: $1, mask: $2) }
        }
    }

    static let graded3_3 = GradedExercise("3.3", "masked cross-entropy", function: "maskedCrossEntropy", forbids: ["ignoreIndex", "maskedMean"])

    @Test("3.3 masked cross-entropy") func exercise3_3() async throws {
        try await grade(Self.graded3_3) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("3.3") {
                    try Day03Tests.checkMaskedCrossEntropy { try day3.maskedCrossEntropy(logits: $0, targets: $1, mask: $2) }
                }
            }
        }
    }

    @Test("3.3 the check rejects wrong masked losses") func rejectsWrong3_3() {
        expectRejects("3.3", "a mean over all positions (divided by B·T)") {
            try Self.checkMaskedCrossEntropy { logits, targets, m in
                let perPosition = crossEntropy(logits, targets: targets, reduction: .none)
                return (perPosition * m).sum() / Float(targets.count)
            }
        }
        expectRejects("3.3", "a loss that forgets the mask") {
            try Self.checkMaskedCrossEntropy { logits, targets, _ in crossEntropy(logits, targets: targets) }
        }
        expectRejects("3.3", "the right value computed outside autograd (no gradient)") {
            try Self.checkMaskedCrossEntropy { logits, targets, m in
                let value = withNoGrad { Solutions.Day3.maskedCrossEntropy(logits: logits, targets: targets, mask: m).item }
                return Tensor(value)
            }
        }
    }

    // MARK: 3.4 accuracy on real tokens

    typealias MaskedAccuracy = (Tensor, [Int], [Int]) throws -> Double

    /// Compares an accuracy over real tokens with a count done here, on
    /// random `[B, T, C]` logits. At padding the targets are the predicted
    /// tag in some batches (so counting padding inflates the answer) and a
    /// wrong tag or −100 in others.
    static func checkMaskedAccuracy(_ accuracy: MaskedAccuracy) throws {
        var answers: [Double] = []
        for seed in UInt64(0)..<8 {
            let g = Generator(seed: seed)
            let batch = 1 + g.nextInt(below: 6), classes = 2 + g.nextInt(below: 5)
            let lengths = raggedLengths(batch: batch, longest: 8, generator: g)
            let steps = lengths.max()! + g.nextInt(below: 2)
            let logits = Tensor.normal([batch, steps, classes], generator: g)
            let predictions = logits.argmax(dim: -1)
            var targets: [Int] = []
            var correct = 0
            for b in 0..<batch {
                for t in 0..<steps {
                    let predicted = predictions[b * steps + t]
                    if t < lengths[b] {
                        // Roughly half right, so the answer is not 0 or 1.
                        let target = g.nextUniform() < 0.5 ? predicted : g.nextInt(below: classes)
                        targets.append(target)
                        if target == predicted { correct += 1 }
                    } else {
                        targets.append([predicted, (predicted + 1) % classes, -100][Int(seed % 3)])
                    }
                }
            }
            let expected = Double(correct) / Double(lengths.reduce(0, +))
            let got = try accuracy(logits, targets, lengths)
            try requireShare(got, expected, "the accuracy on real tokens of \(batch) sentences of lengths \(lengths) "
                             + "padded to \(steps), \(classes) tags (seed \(seed))",
                             hint: "count only positions (b, t) with t < lengths[b], at index b·T + t; divide by the number of real tokens",
                             earlier: answers)
            answers.append(expected)
        }
    }

    @Test("3.4 accuracy on real tokens (reference)") func reference3_4() {
        reference("3.4") { try Self.checkMaskedAccuracy { Solutions.Day3.maskedAccuracy(logits: $0, targets: $1, lengths: $2) } }
    }

    static let graded3_4 = GradedExercise("3.4", "accuracy on real tokens", function: "maskedAccuracy")

    @Test("3.4 accuracy on real tokens") func exercise3_4() async throws {
        try await grade(Self.graded3_4) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("3.4") { try Day03Tests.checkMaskedAccuracy { try day3.maskedAccuracy(logits: $0, targets: $1, lengths: $2) } }
            }
        }
    }

    @Test("3.4 the check accepts a float32 accuracy") func acceptsFloat3_4() {
        reference("3.4") {
            try Self.checkMaskedAccuracy { logits, targets, lengths in
                Double(Float(Solutions.Day3.maskedAccuracy(logits: logits, targets: targets, lengths: lengths)))
            }
        }
    }

    @Test("3.4 the check rejects wrong accuracies") func rejectsWrong3_4() {
        expectRejects("3.4", "an integer division", saying: "integer division") {
            try Self.checkMaskedAccuracy { logits, targets, lengths in
                let share = Solutions.Day3.maskedAccuracy(logits: logits, targets: targets, lengths: lengths)
                let real = lengths.reduce(0, +)
                return Double(Int((share * Double(real)).rounded()) / real)
            }
        }
        expectRejects("3.4", "an accuracy over all positions, padding included") {
            try Self.checkMaskedAccuracy { logits, targets, _ in
                let predictions = logits.argmax(dim: -1)
                return Double(zip(predictions, targets).filter { $0 == $1 }.count) / Double(targets.count)
            }
        }
        expectRejects("3.4", "an accuracy that skips only −100 targets instead of using the lengths") {
            try Self.checkMaskedAccuracy { logits, targets, _ in
                Torchlet.maskedAccuracy(logits: logits.reshaped(to: [-1, logits.shape[2]]), targets: targets, ignoreIndex: -100)
            }
        }
        expectRejects("3.4", "time-first indexing (t·B + b) of batch-first predictions") {
            try Self.checkMaskedAccuracy { logits, targets, lengths in
                let (batch, steps) = (logits.shape[0], logits.shape[1])
                let predictions = logits.argmax(dim: -1)
                var correct = 0
                for b in 0..<batch {
                    for t in 0..<lengths[b] where predictions[t * batch + b] == targets[b * steps + t] { correct += 1 }
                }
                return Double(correct) / Double(lengths.reduce(0, +))
            }
        }
    }
}
