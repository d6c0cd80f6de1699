import Course
import Foundation
import Solutions
import Testing
import TestSupport
import Torchlet
@testable import day7

/// Day 7's exercises: each check runs against the reference solution (must
/// pass), against the student's code (graded in a child process with a time
/// limit; cancelled while it throws TODO), and against deliberately wrong
/// versions (must be rejected).
@Suite("Day07") struct Day07Tests {
    // MARK: 7.1 clip the gradient norm

    typealias Clip = ([Tensor], Float) throws -> Float

    /// Runs `clip` on parameters with the given gradients (and one without a
    /// gradient) and compares the returned norm and the clipped gradients.
    static func compareClip(_ clip: Clip, gradients: [Tensor], maxNorm: Float, expectedNorm: Float,
                            expectedGradients: [[Float]], what: String) throws {
        let parameters = gradients.map { g -> Tensor in
            let p = Tensor.zeros(g.shape)
            p.requiresGrad = true
            p.grad = Tensor(g.scalars, shape: g.shape)
            return p
        }
        let withoutGradient = Tensor.zeros([2])
        withoutGradient.requiresGrad = true
        let norm = try clip(parameters + [withoutGradient], maxNorm)
        try requireClose([norm], [expectedNorm], tolerance: 1e-5, "the returned norm of \(what)",
                         hint: "√(Σ g²) over every gradient together, measured before clipping")
        for (k, p) in parameters.enumerated() {
            try requireClose(p.grad!.scalars, expectedGradients[k], tolerance: 1e-5, "gradient \(k) after clipping \(what)",
                             hint: "every gradient times min(1, maxNorm / (total + 1e-6)): one scale for all, none below the threshold")
        }
        if withoutGradient.grad != nil {
            throw CheckFailure("a parameter without a gradient got one while clipping \(what)", expected: "nil", got: "a gradient",
                               hint: "skip parameters whose grad is nil")
        }
    }

    /// PyTorch's `clip_grad_norm_` on the `clip_grad_norm` fixture (above and
    /// below the threshold), then Torchlet's `clipGradNorm` on random
    /// gradients from several seeds and scales.
    static func checkClip(_ clip: Clip) throws {
        let f = try Fixture.load("clip_grad_norm")
        for name in ["above", "below"] {
            let gradients = try ["a", "b", "c"].map { try f.tensor("\(name).grad.\($0)") }
            try compareClip(clip, gradients: gradients, maxNorm: Float(try f.double("\(name).max_norm")),
                            expectedNorm: try f.values("\(name).total_norm").data[0],
                            expectedGradients: try ["a", "b", "c"].map { try f.values("\(name).clipped.\($0)").data },
                            what: "PyTorch's case \"\(name)\" (threshold \(try f.double("\(name).max_norm")))")
        }
        for seed in UInt64(0)..<10 {
            let g = Generator(seed: 70 + seed)
            let shapes = (0..<(1 + g.nextInt(below: 4))).map { _ in [1 + g.nextInt(below: 4), 1 + g.nextInt(below: 3)] }
            let scale = [0.01, 1, 10][Int(seed % 3)]
            let gradients = shapes.map { Tensor.normal($0, std: Float(scale), generator: g) }
            let maxNorm = 1 + g.nextUniform()
            let expected = gradients.map { g -> Tensor in
                let p = Tensor.zeros(g.shape)
                p.grad = Tensor(g.scalars, shape: g.shape)
                return p
            }
            let norm = clipGradNorm(expected, maxNorm: maxNorm)
            try compareClip(clip, gradients: gradients, maxNorm: maxNorm, expectedNorm: norm,
                            expectedGradients: expected.map { $0.grad!.scalars },
                            what: "\(shapes.count) random gradients of norm \(norm), threshold \(maxNorm) (seed \(seed))")
        }
    }

    @Test("7.1 clip the gradient norm (reference)") func reference7_1() {
        reference("7.1") { try Self.checkClip { Solutions.Day7.clipGradientNorm($0, maxNorm: $1) } }
    }

    static let graded7_1 = GradedExercise("7.1", "clip the gradient norm", function: "clipGradientNorm",
                                          forbids: ["clipGradNorm", "clipGradValue"])

    @Test("7.1 clip the gradient norm") func exercise7_1() async throws {
        try await grade(Self.graded7_1) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("7.1") { try Day07Tests.checkClip { try day7.clipGradientNorm($0, maxNorm: $1) } }
            }
        }
    }

    @Test("7.1 the check rejects wrong clipping") func rejectsWrong7_1() {
        expectRejects("7.1", "each parameter clipped by its own norm") {
            try Self.checkClip { parameters, maxNorm in
                var total: Float = 0
                for p in parameters { if p.grad != nil { total += Solutions.Day7.clipGradientNorm([p], maxNorm: maxNorm).squared } }
                return total.squareRoot()
            }
        }
        expectRejects("7.1", "the norm after clipping returned") {
            try Self.checkClip { parameters, maxNorm in
                Solutions.Day7.clipGradientNorm(parameters, maxNorm: maxNorm)
                return Solutions.Day7.clipGradientNorm(parameters, maxNorm: .infinity)
            }
        }
        expectRejects("7.1", "scaled to maxNorm even below the threshold") {
            try Self.checkClip { parameters, maxNorm in
                let total = Solutions.Day7.clipGradientNorm(parameters, maxNorm: .infinity)
                for p in parameters { if let g = p.grad { g.scalars = g.scalars.map { $0 * maxNorm / total } } }
                return total
            }
        }
    }

    // MARK: 7.2 reduce on plateau

    typealias PlateauStep = (inout PlateauState, Float, PlateauSettings) throws -> Void

    /// PyTorch's `ReduceLROnPlateau` trace of 40 metrics (with cooldown and a
    /// minimum rate), then Torchlet's on random noisy traces with random
    /// settings: the rate, best, bad epochs and cooldown after every epoch.
    static func checkPlateau(_ step: PlateauStep) throws {
        let f = try Fixture.load("reduce_lr_on_plateau_min")
        let settings = PlateauSettings(factor: Float(try f.double("factor")), patience: try f.int("patience"),
                                       threshold: Float(try f.double("threshold")), cooldown: try f.int("cooldown"),
                                       minLR: Float(try f.double("minLR")), eps: Float(try f.double("eps")))
        var state = PlateauState(learningRate: Float(try f.double("lr")))
        let (metrics, rates, bests) = (try f.values("metric").data, try f.values("lr").data, try f.values("best").data)
        let (bad, cooldown) = (try f.indices("num_bad_epochs").data, try f.indices("cooldown_counter").data)
        for (e, metric) in metrics.enumerated() {
            try step(&state, metric, settings)
            try compare(state, PlateauState(learningRate: rates[e], best: bests[e], badEpochs: bad[e], cooldownLeft: cooldown[e]),
                        "after epoch \(e + 1) of PyTorch's trace (factor 0.5, patience 2, threshold 1%, cooldown 2, min 0.02)")
        }
        for seed in UInt64(0)..<6 {
            let g = Generator(seed: 80 + seed)
            let settings = PlateauSettings(factor: 0.3 + 0.4 * g.nextUniform(), patience: g.nextInt(below: 3),
                                           threshold: [0, 1e-4, 0.05][g.nextInt(below: 3)], cooldown: g.nextInt(below: 3),
                                           minLR: 0.001)
            let optimizer = SGD([Tensor.zeros([1])], learningRate: 0.1)
            let scheduler = ReduceLROnPlateau(optimizer, factor: settings.factor, patience: settings.patience,
                                              threshold: settings.threshold, cooldown: settings.cooldown, minLR: settings.minLR)
            var state = PlateauState(learningRate: 0.1)
            var level: Float = 1
            for e in 0..<40 {
                level *= 0.97
                let metric = level * (1 + 0.1 * g.nextNormal())
                scheduler.step(metric)
                try step(&state, metric, settings)
                let expected = PlateauState(learningRate: optimizer.learningRate, best: scheduler.best,
                                            badEpochs: scheduler.numBadEpochs, cooldownLeft: scheduler.cooldownCounter)
                try compare(state, expected, "after epoch \(e + 1) of a random trace (seed \(seed), patience \(settings.patience), "
                            + "threshold \(settings.threshold), cooldown \(settings.cooldown))")
            }
        }
    }

    /// Throws unless the two states agree (the rate and best within float rounding).
    static func compare(_ got: PlateauState, _ expected: PlateauState, _ what: String) throws {
        try requireClose([got.learningRate], [expected.learningRate], tolerance: 1e-6, "the learning rate \(what)",
                         hint: "reduce (rate · factor, not below minLR) only when badEpochs > patience, then start the cooldown")
        try requireClose([got.best], [expected.best], tolerance: 1e-6, "best \(what)",
                         hint: "a metric is better only below best · (1 − threshold)")
        try requireEqual(got.badEpochs, expected.badEpochs, "badEpochs \(what)",
                         hint: "+1 when not better, 0 when better, 0 during a cooldown epoch and after a reduction")
        try requireEqual(got.cooldownLeft, expected.cooldownLeft, "cooldownLeft \(what)",
                         hint: "set to cooldown at a reduction, counted down by 1 in each later epoch")
    }

    @Test("7.2 reduce on plateau (reference)") func reference7_2() {
        reference("7.2") { try Self.checkPlateau { Solutions.Day7.plateauStep(&$0, metric: $1, settings: $2) } }
    }

    static let graded7_2 = GradedExercise("7.2", "reduce on plateau", function: "plateauStep", forbids: ["ReduceLROnPlateau"])

    @Test("7.2 reduce on plateau") func exercise7_2() async throws {
        try await grade(Self.graded7_2) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("7.2") { try Day07Tests.checkPlateau { try day7.plateauStep(&$0, metric: $1, settings: $2) } }
            }
        }
    }

    @Test("7.2 the check rejects wrong plateau steps") func rejectsWrong7_2() {
        /// A plateau step with its parts switchable.
        func step(absoluteThreshold: Bool = false, early: Bool = false, cooldown: Bool = true, floor: Bool = true) -> PlateauStep {
            { state, metric, settings in
                let better = absoluteThreshold ? metric < state.best - settings.threshold : metric < state.best * (1 - settings.threshold)
                if better { state.best = metric; state.badEpochs = 0 } else { state.badEpochs += 1 }
                if cooldown && state.cooldownLeft > 0 { state.cooldownLeft -= 1; state.badEpochs = 0 }
                if early ? state.badEpochs >= settings.patience : state.badEpochs > settings.patience {
                    let reduced = floor ? max(state.learningRate * settings.factor, settings.minLR) : state.learningRate * settings.factor
                    if state.learningRate - reduced > settings.eps { state.learningRate = reduced }
                    state.cooldownLeft = cooldown ? settings.cooldown : 0
                    state.badEpochs = 0
                }
            }
        }
        expectRejects("7.2", "an absolute threshold (best − threshold)") { try Self.checkPlateau(step(absoluteThreshold: true)) }
        expectRejects("7.2", "a reduction one epoch early (badEpochs >= patience)") { try Self.checkPlateau(step(early: true)) }
        expectRejects("7.2", "no cooldown") { try Self.checkPlateau(step(cooldown: false)) }
        expectRejects("7.2", "no minimum rate") { try Self.checkPlateau(step(floor: false)) }
    }

    // MARK: 7.3 early stopping

    /// A model with one parameter that training sets to the epoch number.
    final class EpochStamp: Module {
        let stamp = Tensor.zeros([1])
        override init() {
            super.init()
            registerParameter("stamp", stamp)
        }
    }

    typealias EarlyStopping = (Module, Int, Int, () -> Void, () -> Float) throws -> (bestEpoch: Int, bestLoss: Float)

    /// Runs early stopping on scripted validation losses: which epoch it
    /// keeps, how many epochs it trains, and whether the model holds the
    /// best epoch's weights afterwards.
    static func checkEarlyStopping(_ earlyStopping: EarlyStopping) throws {
        var cases: [(losses: [Float], maxEpochs: Int, patience: Int)] = [
            ([0.9, 0.7, 0.8, 0.75, 0.72, 0.6, 0.5], 10, 3),   // the doc comment's example
            ([0.9, 0.8, 0.7, 0.6], 4, 2),                    // still improving at maxEpochs
            ([0.5, 0.5, 0.5, 0.4], 10, 2),                   // ties are not improvements
            ([1, 2, 0.5], 10, 1),                            // patience 1
        ]
        for seed in UInt64(0)..<8 {
            let g = Generator(seed: 90 + seed)
            cases.append(((0..<12).map { _ in 0.5 + g.nextUniform() }, 3 + g.nextInt(below: 10), 1 + g.nextInt(below: 4)))
        }
        for (losses, maxEpochs, patience) in cases {
            // What should happen, epoch by epoch.
            var best = (epoch: 0, loss: Float.infinity), trained = 0
            for epoch in 1...maxEpochs {
                trained = epoch
                if losses[epoch - 1] < best.loss { best = (epoch, losses[epoch - 1]) } else if epoch - best.epoch >= patience { break }
            }
            let model = EpochStamp()
            var epochsTrained = 0, lossesMeasured = 0
            let result = try earlyStopping(model, maxEpochs, patience, {
                epochsTrained += 1
                model.stamp.scalars = [Float(epochsTrained)]
            }, {
                lossesMeasured += 1
                return losses[min(lossesMeasured, losses.count) - 1]
            })
            let what = "validation losses \(losses.prefix(trained).map { format($0, 2) }), patience \(patience), at most \(maxEpochs) epochs"
            try requireEqual(epochsTrained, trained, "the epochs trained with \(what)",
                             hint: "stop once `patience` epochs in a row bring no new lowest loss, or after maxEpochs")
            try requireEqual(lossesMeasured, trained, "the validation losses measured with \(what)", hint: "one after each epoch")
            try requireEqual(result.bestEpoch, best.epoch, "the best epoch with \(what)",
                             hint: "the epoch (from 1) with the lowest loss; only a strictly lower loss counts")
            try requireClose([result.bestLoss], [best.loss], "the best loss with \(what)", hint: "the lowest validation loss")
            try requireEqual(model.stamp.scalars, [Float(best.epoch)], "the model's weights after early stopping with \(what)",
                             hint: "keep model.stateDict() at each new best and load it back with loadStateDict before returning")
        }
    }

    @Test("7.3 early stopping (reference)") func reference7_3() {
        reference("7.3") {
            try Self.checkEarlyStopping {
                Solutions.Day7.trainWithEarlyStopping($0, maxEpochs: $1, patience: $2, trainOneEpoch: $3, validationLoss: $4)
            }
        }
    }

    static let graded7_3 = GradedExercise("7.3", "early stopping with the best weights", function: "trainWithEarlyStopping")

    @Test("7.3 early stopping with the best weights") func exercise7_3() async throws {
        try await grade(Self.graded7_3) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("7.3") {
                    try Day07Tests.checkEarlyStopping {
                        try day7.trainWithEarlyStopping($0, maxEpochs: $1, patience: $2, trainOneEpoch: $3, validationLoss: $4)
                    }
                }
            }
        }
    }

    @Test("7.3 the check rejects wrong early stopping") func rejectsWrong7_3() {
        /// Early stopping with its parts switchable.
        func stopping(restore: Bool = true, tiesImprove: Bool = false, extraEpoch: Bool = false) -> EarlyStopping {
            { model, maxEpochs, patience, train, validate in
                var best: (epoch: Int, loss: Float, weights: StateDict)?
                for epoch in 1...maxEpochs {
                    train()
                    let loss = validate()
                    if best == nil || loss < best!.loss || (tiesImprove && loss == best!.loss) {
                        best = (epoch, loss, model.stateDict())
                    } else if epoch - best!.epoch >= patience + (extraEpoch ? 1 : 0) {
                        break
                    }
                }
                if restore { try model.loadStateDict(best!.weights) }
                return (best!.epoch, best!.loss)
            }
        }
        expectRejects("7.3", "the last epoch's weights kept") { try Self.checkEarlyStopping(stopping(restore: false)) }
        expectRejects("7.3", "a tie counted as an improvement") { try Self.checkEarlyStopping(stopping(tiesImprove: true)) }
        expectRejects("7.3", "one epoch more than the patience") { try Self.checkEarlyStopping(stopping(extraEpoch: true)) }
    }

    // MARK: 7.4 one Adam step by hand

    typealias AdamStep = (Tensor, inout [Float], inout [Float], Int, Float, Float, Float, Float) throws -> Void

    /// Six steps on random gradients, next to Torchlet's `Adam` (pinned to
    /// PyTorch's by its own fixtures): the parameters, and `m` and `v`
    /// against Adam's `exp_avg` and `exp_avg_sq`, after every step.
    static func checkAdamStep(_ adamStep: AdamStep) throws {
        for seed in UInt64(0)..<6 {
            let g = Generator(seed: 100 + seed)
            let shape = [1 + g.nextInt(below: 4), 1 + g.nextInt(below: 4)]
            let (lr, beta1, beta2, epsilon) = (0.001 + 0.1 * g.nextUniform(), [0.9, 0.5][Int(seed % 2)] as Float,
                                               [0.999, 0.9][Int(seed / 2 % 2)] as Float, Float(1e-8))
            let start = Tensor.normal(shape, generator: g)
            let byHand = Tensor(start.scalars, shape: shape), byAdam = Tensor(start.scalars, shape: shape)
            let adam = Adam([byAdam], learningRate: lr, beta1: beta1, beta2: beta2, epsilon: epsilon)
            var m = [Float](repeating: 0, count: start.count), v = m
            for step in 1...6 {
                let gradient = Tensor.normal(shape, std: [1e-6, 1, 100][(step - 1) % 3], generator: g)   // tiny ones: ε matters
                byHand.grad = Tensor(gradient.scalars, shape: shape)
                byAdam.grad = Tensor(gradient.scalars, shape: shape)
                adam.step()
                try adamStep(byHand, &m, &v, step, lr, beta1, beta2, epsilon)
                let what = "step \(step) (lr \(lr), β₁ \(beta1), β₂ \(beta2), seed \(seed))"
                let state = adam.stateDict()
                try requireClose(m, state["state.0.exp_avg"]!.scalars, tolerance: 1e-5, "m after \(what)",
                                 hint: "m = β₁ m + (1 − β₁) g, kept between steps (not bias-corrected)")
                try requireClose(v, state["state.0.exp_avg_sq"]!.scalars, tolerance: 1e-5, "v after \(what)",
                                 hint: "v = β₂ v + (1 − β₂) g², kept between steps (not bias-corrected)")
                try requireClose(byHand.scalars, byAdam.scalars, tolerance: 1e-5, "the parameter after \(what)",
                                 hint: "p −= lr · m̂ / (√v̂ + ε) with m̂ = m / (1 − β₁^step), v̂ = v / (1 − β₂^step)")
            }
        }
    }

    @Test("7.4 one Adam step by hand (reference)") func reference7_4() {
        reference("7.4") {
            try Self.checkAdamStep {
                Solutions.Day7.adamStep($0, m: &$1, v: &$2, step: $3, learningRate: $4, beta1: $5, beta2: $6, epsilon: $7)
            }
        }
    }

    static let graded7_4 = GradedExercise("7.4", "one Adam step by hand", function: "adamStep", forbids: ["Adam"])

    @Test("7.4 one Adam step by hand") func exercise7_4() async throws {
        try await grade(Self.graded7_4) {
            await #expect(processExitsWith: .failure, observing: childOutput) {
                runGradedCheck("7.4") {
                    try Day07Tests.checkAdamStep {
                        try day7.adamStep($0, m: &$1, v: &$2, step: $3, learningRate: $4, beta1: $5, beta2: $6, epsilon: $7)
                    }
                }
            }
        }
    }

    @Test("7.4 the check rejects wrong Adam steps") func rejectsWrong7_4() {
        /// An Adam step with its parts switchable.
        func step(biasCorrection: Bool = true, epsilonInsideRoot: Bool = false, squareInV: Bool = true) -> AdamStep {
            { p, m, v, t, lr, b1, b2, eps in
                let g = p.grad!.scalars
                var x = p.scalars
                for i in g.indices {
                    m[i] = b1 * m[i] + (1 - b1) * g[i]
                    v[i] = b2 * v[i] + (1 - b2) * (squareInV ? g[i] * g[i] : abs(g[i]))
                    let mHat = biasCorrection ? m[i] / (1 - pow(b1, Float(t))) : m[i]
                    let vHat = biasCorrection ? v[i] / (1 - pow(b2, Float(t))) : v[i]
                    x[i] -= lr * mHat / (epsilonInsideRoot ? (vHat + eps).squareRoot() : vHat.squareRoot() + eps)
                }
                p.scalars = x
            }
        }
        expectRejects("7.4", "no bias correction") { try Self.checkAdamStep(step(biasCorrection: false)) }
        expectRejects("7.4", "|g| instead of g² in v") { try Self.checkAdamStep(step(squareInV: false)) }
        expectRejects("7.4", "ε inside the square root") { try Self.checkAdamStep(step(epsilonInsideRoot: true)) }
    }
}

private extension Float {
    var squared: Float { self * self }
}
