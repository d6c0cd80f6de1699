import Testing
import TestSupport
@testable import Torchlet

/// Misuses a student plausibly makes, and bad settings for optimizers,
/// clipping, schedulers and generator states, stop with a message that
/// names the call and the bad value, as PyTorch raises, instead of a trap
/// deep in the library or a silently wrong result (exit tests: each body
/// runs in a child process, which must crash).
@Suite struct MisusePreconditionTests {
    /// The body must crash with `message` on standard error.
    static let cases: [(name: String, message: String)] = [
        ("uniformNegativeSize", "uniform: negative dimension in shape [-2, 3]"),
        ("normalNegativeSize", "normal: negative dimension in shape [3, -1]"),
        ("zerosTooLarge", "full: shape [9223372036854775807, 2] holds more values than memory can"),
        ("linearNegativeSize", "Linear: inFeatures (4) and outFeatures (-2) must not be negative"),
        ("embeddingNegativeSize", "Embedding: numEmbeddings (-1) and embeddingDim (2) must not be negative"),
        ("permutationNegative", "permutation: n = -1 must not be negative"),
        ("arangeNaN", "arange: start 0.0, end nan and step 1.0 must be finite"),
        ("arangeWrongWay", "arange: from 5.0 to 0.0 by 1.0 goes the wrong way"),
        ("gradOfAnotherShape", "grad: a gradient of shape [2] assigned to a tensor of shape [3]; the shapes must match"),
        ("sgdEmptyParameters", "SGD: got an empty parameter list (was the model's layer registered?)"),
        ("adamEmptyParameters", "Adam: got an empty parameter list"),
        ("adamNegativeEpsilon", "Adam: epsilon -1e-08 must not be negative"),
        ("dropoutAboveOne", "dropout: p = 1.5 must be in [0, 1]"),
        ("dropoutNegative", "dropout: p = -0.5 must be in [0, 1]"),
        ("argmaxOfNothing", "argmax: dimension 1 of shape [2, 0] is empty"),
        ("matmulVectorMismatch", "matmul: [3] × [4, 2]: inner dimensions 3 and 4 differ"),
        ("stackingDimOutOfRange", "stacking: dimension 3 is out of range for shape [2, 3]"),
        ("splitNegativeSize", "split: sizes [4, -1] must not be negative"),
        ("embeddingPaddingOutOfRange", "Embedding: paddingIndex -4 is out of range -3..<3"),
        ("lstmUnbatchedStateShape", "LSTM: initial state shape [1, 1, 3] should be [1, 3] for an unbatched input [seq, 4]"),
        ("gruUnbatchedStateShape", "GRU: initial state shape [] should be [1, 3] for an unbatched input [seq, 4]"),
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
        case "uniformNegativeSize": _ = Tensor.uniform([-2, 3])
        case "normalNegativeSize": _ = Tensor.normal([3, -1])
        case "zerosTooLarge": _ = Tensor.zeros([Int.max, 2])
        case "linearNegativeSize": _ = Linear(inFeatures: 4, outFeatures: -2)
        case "embeddingNegativeSize": _ = Embedding(numEmbeddings: -1, embeddingDim: 2)
        case "permutationNegative": _ = Generator(seed: 0).permutation(-1)
        case "arangeNaN": _ = Tensor.arange(0, .nan)
        case "arangeWrongWay": _ = Tensor.arange(5, 0)
        case "gradOfAnotherShape":
            let p = Tensor([1, 2, 3], requiresGrad: true)
            p.grad = Tensor([1, 1])
        case "sgdEmptyParameters": _ = SGD([], learningRate: 0.1)
        case "adamEmptyParameters": _ = Adam([])
        case "adamNegativeEpsilon": _ = Adam([Tensor.zeros([2], requiresGrad: true)], epsilon: -1e-8)
        case "dropoutAboveOne": _ = dropout(Tensor.ones([4]), p: 1.5, training: true)
        case "dropoutNegative": _ = dropout(Tensor.ones([4]), p: -0.5, training: true)
        case "argmaxOfNothing": _ = Tensor.zeros([2, 0]).argmax(dim: 1)
        case "matmulVectorMismatch": _ = Tensor.zeros([3]).matmul(Tensor.zeros([4, 2]))
        case "stackingDimOutOfRange": _ = Tensor(stacking: [Tensor.zeros([2, 3]), Tensor.zeros([2, 3])], dim: 3)
        case "splitNegativeSize": _ = Tensor.zeros([2, 3]).split(sizes: [4, -1], dim: 1)
        case "embeddingPaddingOutOfRange": _ = Embedding(numEmbeddings: 3, embeddingDim: 2, paddingIndex: -4)
        case "lstmUnbatchedStateShape":
            let lstm = LSTM(inputSize: 4, hiddenSize: 3, generator: Generator(seed: 0))
            _ = lstm(Tensor.zeros([5, 4]), (Tensor.zeros([1, 1, 3]), Tensor.zeros([1, 1, 3])))
        case "gruUnbatchedStateShape":
            _ = GRU(inputSize: 4, hiddenSize: 3, generator: Generator(seed: 0))(Tensor.zeros([5, 4]), Tensor(0))
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
    func misuseStops(_ name: String) async {
        let message = Self.cases.first { $0.name == name }!.message
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { [name] in
            MisusePreconditionTests.badCall(name)
        }
        expectStandardError(result, contains: [message])
    }

    /// What PyTorch allows still works: an empty range, dropout of everything, a gradient of the right shape.
    @Test func theEdgesPyTorchAllows() {
        #expect(Tensor.arange(3, 3).shape == [0])
        #expect(Tensor.arange(3, 0, step: -1).scalars == [3, 2, 1])
        #expect(dropout(Tensor.ones([4]), p: 1, training: true, generator: Generator(seed: 0)).scalars == [0, 0, 0, 0])
        let p = Tensor([1, 2, 3], requiresGrad: true)
        p.grad = Tensor([1, 1, 1])
        p.grad = nil
        #expect(p.grad == nil)
        // squeeze(dim) of a dimension whose size is not 1 leaves the tensor as it is, as in PyTorch.
        #expect(Tensor.zeros([2, 3]).squeezed(dim: 0).shape == [2, 3])
        #expect(Tensor.zeros([2, 1]).squeezed(dim: -1).shape == [2])
        // A negative padding index counts from the end.
        let embedding = Embedding(numEmbeddings: 3, embeddingDim: 2, paddingIndex: -1, generator: Generator(seed: 0))
        #expect(embedding.paddingIndex == 2 && Array(embedding.weight.scalars[4...]) == [0, 0])
    }
}
