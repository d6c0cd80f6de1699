import Foundation
import Testing
import TestSupport
@testable import Torchlet

/// Tied weights, PyTorch's `decoder.weight = embedding.weight`: one tensor
/// registered under two names is one parameter (listed, counted and
/// updated once), appears under both names in the state dict, and
/// survives a save and load.
@Suite struct TiedWeightsTests {
    /// An embedding and a decoder over the same `vocabulary`, the decoder's
    /// weight tied to the embedding's when `tied`.
    final class Pair: Module {
        let embedding: Embedding
        let decoder: Linear
        init(vocabulary: Int = 5, dim: Int = 3, tied: Bool, seed: UInt64) {
            let g = Generator(seed: seed)
            embedding = Embedding(numEmbeddings: vocabulary, embeddingDim: dim, generator: g)
            decoder = Linear(inFeatures: dim, outFeatures: vocabulary, generator: g)
            super.init()
            registerModule("embedding", embedding)
            registerModule("decoder", decoder)
            if tied { decoder.weight = embedding.weight }
        }
        func callAsFunction(_ ids: [Int]) -> Tensor { decoder(embedding(ids).tanh()) }
    }

    @Test func aTiedTensorIsOneParameter() {
        let tied = Pair(tied: true, seed: 1), untied = Pair(tied: false, seed: 1)
        #expect(tied.decoder.weight === tied.embedding.weight)
        #expect(tied.namedParameters().map(\.name) == ["embedding.weight", "decoder.bias"])
        #expect(tied.namedParameters(removingDuplicates: false).map(\.name) == ["embedding.weight", "decoder.weight", "decoder.bias"])
        #expect(tied.parameters().count == 2)
        #expect(tied.parameterCount == untied.parameterCount - 15)
        #expect(tied.decoder.namedParameters().map(\.name) == ["weight", "bias"], "the decoder alone still owns its weight")
        #expect(tied.decoder.weight.requiresGrad)
    }

    /// One SGD step on a tied pair moves the shared tensor by the sum of
    /// the gradients of its two uses, once.
    @Test func oneStepAddsBothGradients() {
        let ids = [0, 3, 1, 3]
        let tied = Pair(tied: true, seed: 2)
        let before = tied.embedding.weight.scalars
        // The gradient of each use, from an untied pair holding the same values.
        let untied = Pair(tied: false, seed: 2)
        untied.decoder.weight.scalars = before
        untied(ids).pow(2).sum().backward()
        let summed = zip(untied.embedding.weight.grad!.scalars, untied.decoder.weight.grad!.scalars).map { $0 + $1 }

        let optimizer = SGD(tied.parameters(), learningRate: 0.1)
        tied(ids).pow(2).sum().backward()
        assertClose(tied.embedding.weight.grad!.scalars, summed)
        optimizer.step()
        assertClose(tied.decoder.weight.scalars, zip(before, summed).map { $0 - 0.1 * $1 })
    }

    @Test func theStateDictRoundTripsATiedModel() throws {
        let path = StateDictTests.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let saved = Pair(tied: true, seed: 3)
        try saved.save(to: path)
        let dict = try StateDict.load(from: path)
        #expect(dict.entries.map(\.name) == ["embedding.weight", "decoder.weight", "decoder.bias"])
        #expect(dict["decoder.weight"]?.scalars == saved.embedding.weight.scalars)

        let loaded = Pair(tied: true, seed: 4)
        try loaded.load(from: path)
        #expect(loaded.decoder.weight === loaded.embedding.weight, "loading copies values; the tie stays")
        #expect(loaded([0, 1, 4]).scalars == saved([0, 1, 4]).scalars)
        // The file also loads into an untied pair, as PyTorch's does.
        let untied = Pair(tied: false, seed: 5)
        try untied.load(from: path)
        #expect(untied([2, 2]).scalars == saved([2, 2]).scalars)
    }

    @Test func loadingDifferentValuesIntoATiedTensorFails() throws {
        let tied = Pair(tied: true, seed: 6)
        let before = tied.embedding.weight.scalars
        let untiedFile = Pair(tied: false, seed: 7).stateDict()
        #expect {
            try tied.loadStateDict(untiedFile, source: "untied.safetensors")
        } throws: { error in
            "\(error)".contains("embedding.weight and decoder.weight are one tensor in the model (tied) but differ in the file")
                && "\(error)".contains("untied.safetensors")
        }
        #expect(tied.embedding.weight.scalars == before, "nothing is loaded when the file is refused")
    }

    @Test func replacingAParameterNeedsItsName() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            Linear(inFeatures: 2, outFeatures: 2).replaceParameter("weights", with: .zeros([2, 2]))
        }
        expectStandardError(result, contains: ["replaceParameter: no parameter called weights; registered: [\"weight\", \"bias\"]"])
    }

    @Test func aTiedWeightMustHaveTheDecodersShape() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let decoder = Linear(inFeatures: 3, outFeatures: 5)
            decoder.weight = Embedding(numEmbeddings: 5, embeddingDim: 4).weight    // [5, 4] is not [5, 3]
        }
        expectStandardError(result, contains: ["Linear: the new weight [5, 4] must have the shape of the old, [5, 3]"])
    }
}
