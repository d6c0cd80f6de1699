import Testing
import TestSupport
@testable import Torchlet

/// Bad settings for optimizers, clipping, schedulers and generator states
/// stop the program with a message that names the problem (exit tests: each
/// body runs in a child process, which must crash).
@Suite struct OptimPreconditionTests {
    /// The body must crash with `message` on standard error.
    static let cases: [(name: String, message: String)] = [
        ("nesterovWithoutMomentum", "SGD: nesterov needs momentum > 0 and dampening 0, got momentum 0.0 and dampening 0.0"),
        ("nesterovWithDampening", "SGD: nesterov needs momentum > 0 and dampening 0, got momentum 0.9 and dampening 0.1"),
        ("sgdNegativeWeightDecay", "SGD: weightDecay -0.1 must not be negative"),
        ("adamWNegativeWeightDecay", "AdamW: weightDecay -0.01 must not be negative"),
        ("adamWBadBeta", "AdamW: betas (1.0, 0.999) must be in [0, 1)"),
        ("clipNegativeMaxNorm", "clipGradNorm: maxNorm -1.0 must not be negative"),
        ("clipZeroNormType", "clipGradNorm: normType 0.0 must be positive (or .infinity)"),
        ("clipNegativeValue", "clipGradValue: clipValue -0.5 must not be negative"),
        ("stepLRZeroStepSize", "StepLR: stepSize 0 must be positive"),
        ("plateauFactorOne", "ReduceLROnPlateau: factor 1.0 must be in [0, 1)"),
        ("plateauNegativePatience", "ReduceLROnPlateau: patience -1 must not be negative"),
        ("warmupTotalNotAfterWarmup", "WarmupCosineLR: totalSteps 5 must be greater than warmupSteps 5"),
        ("warmupMinLRAboveLR", "WarmupCosineLR: minLR 0.5 must be in [0, learningRate 0.1]"),
        ("generatorStateWordCount", "Generator.state: 3 words, expected 4"),
        ("generatorStateAllZero", "Generator.state: all four words are zero, which is not a valid state"),
    ]

    /// Runs the bad call of case `name` (in the child process).
    static func badCall(_ name: String) {
        let p = [Tensor.zeros([2], requiresGrad: true)]
        switch name {
        case "nesterovWithoutMomentum": _ = SGD(p, learningRate: 0.1, nesterov: true)
        case "nesterovWithDampening": _ = SGD(p, learningRate: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true)
        case "sgdNegativeWeightDecay": _ = SGD(p, learningRate: 0.1, weightDecay: -0.1)
        case "adamWNegativeWeightDecay": _ = AdamW(p, weightDecay: -0.01)
        case "adamWBadBeta": _ = AdamW(p, beta1: 1)
        case "clipNegativeMaxNorm": clipGradNorm(p, maxNorm: -1)
        case "clipZeroNormType": clipGradNorm(p, maxNorm: 1, normType: 0)
        case "clipNegativeValue": clipGradValue(p, clipValue: -0.5)
        case "stepLRZeroStepSize": _ = StepLR(SGD(p, learningRate: 0.1), stepSize: 0)
        case "plateauFactorOne": _ = ReduceLROnPlateau(SGD(p, learningRate: 0.1), factor: 1)
        case "plateauNegativePatience": _ = ReduceLROnPlateau(SGD(p, learningRate: 0.1), patience: -1)
        case "warmupTotalNotAfterWarmup": _ = WarmupCosineLR(SGD(p, learningRate: 0.1), warmupSteps: 5, totalSteps: 5)
        case "warmupMinLRAboveLR": _ = WarmupCosineLR(SGD(p, learningRate: 0.1), warmupSteps: 1, totalSteps: 5, minLR: 0.5)
        case "generatorStateWordCount": Generator(seed: 0).state = [1, 2, 3]
        case "generatorStateAllZero": Generator(seed: 0).state = [0, 0, 0, 0]
        default: return  // an unknown name does not crash, so its test fails
        }
    }

    @Test(arguments: cases.map(\.name))
    func badSettingStops(_ name: String) async {
        let message = Self.cases.first { $0.name == name }!.message
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { [name] in
            OptimPreconditionTests.badCall(name)
        }
        expectStandardError(result, contains: [message])
    }
}
