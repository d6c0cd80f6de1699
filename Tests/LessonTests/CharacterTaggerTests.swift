import Foundation
import Testing
import TestSupport
import Torchlet
@testable import Course

/// `PackedTaggingBatch`, `CharacterTagger` and `Hyperparameters`: the
/// packed rows line up with their words, characters and tags; the model's
/// shapes and parameters; the masked max ignores padding; samples stay in range.
@Suite struct CharacterTaggerTests {
    static let sentences = [
        TaggedSentence(words: ["the", "dog", "ran"], tags: ["DET", "NOUN", "VERB"]),
        TaggedSentence(words: ["dogs", "ran", "the", "dog", "home"], tags: ["NOUN", "VERB", "DET", "NOUN", "NOUN"]),
        TaggedSentence(words: ["ran"], tags: ["VERB"]),
    ]
    static let words = Vocabulary(corpus: sentences.map(\.words))
    static let tags = Vocabulary(corpus: sentences.map(\.tags), specials: [])
    static let characters = Vocabulary(corpus: sentences.flatMap(\.words).map { $0.map { String($0) } })

    @Test func packedRowsCarryTheirWordCharactersAndTag() {
        let b = PackedTaggingBatch(Self.sentences, words: Self.words, tags: Self.tags, characters: Self.characters)
        #expect(b.positions.batchSizes == [3, 2, 2, 1, 1])
        // Step 0: sentence 1 (longest), 0, 2; step 1: sentences 1, 0; …
        #expect(b.tokens == ["dogs", "the", "ran", "ran", "dog", "the", "ran", "dog", "home"])
        #expect(b.words == Self.words.indices(of: b.tokens))
        #expect(b.tags == Self.tags.indices(of: ["NOUN", "DET", "VERB", "VERB", "NOUN", "DET", "VERB", "NOUN", "NOUN"]))
        #expect(b.chars.count == 5, "five distinct words")
        for (row, token) in b.tokens.enumerated() {
            #expect(b.chars[b.typeOfRow[row]] == Self.characters.indices(of: token.map { String($0) }))
        }
        #expect(b.tokenCount == 9)
        #expect(abs(b.paddingShare - (1 - 9.0 / 15)) < 1e-12)
    }

    @Test func theModelScoresEveryPackedRowAndHasCharacterParametersOnlyWhenAsked() {
        let b = PackedTaggingBatch(Self.sentences, words: Self.words, tags: Self.tags, characters: Self.characters)
        let full = CharacterTagger(vocabularySize: Self.words.count, characterCount: Self.characters.count, tagCount: Self.tags.count,
                                   embeddingDim: 4, characterDim: 3, characterFilters: 5, hiddenSize: 6, generator: Generator(seed: 1))
        let plain = CharacterTagger(vocabularySize: Self.words.count, characterCount: Self.characters.count, tagCount: Self.tags.count,
                                    embeddingDim: 4, characterFilters: 0, hiddenSize: 6, generator: Generator(seed: 1))
        #expect(full(b).shape == [9, Self.tags.count])
        #expect(plain(b).shape == [9, Self.tags.count])
        let names = full.namedParameters().map(\.name)
        #expect(names.contains("char_embedding.weight") && names.contains("char_conv.weight"))
        #expect(!plain.namedParameters().map(\.name).contains { $0.hasPrefix("char_") })
        #expect(full.lstm.namedParameters().first { $0.name == "weight_ih_l0" }!.tensor.shape == [24, 9], "input = 4 + 5 features")
    }

    @Test func theMaskedMaxFeaturesIgnorePaddingWhateverItHolds() {
        let g = Generator(seed: 2)
        let embedding = Embedding(numEmbeddings: 6, embeddingDim: 2, paddingIndex: 0, generator: g)
        let conv = Conv1d(inChannels: 2, outChannels: 3, kernelSize: 3, padding: 1, generator: g)
        let chars = [[1, 2, 3, 4, 5], [2], [3, 1]]
        let features = CharacterTagger.maskedMaxFeatures(chars: chars, embedding: embedding, conv: conv)
        #expect(features.shape == [3, 3])
        for (i, word) in chars.enumerated() {
            let alone = conv(embedding(word, shape: [1, word.count]).transposed(1, 2)).max(dim: 2)  // no padding at all
            assertClose(Array(features.scalars[(i * 3)..<(i * 3 + 3)]), alone.scalars, "word \(i) padded vs alone")
        }
    }

    @Test func samplesStayInTheSearchSpaceAndSpreadOverIt() {
        let g = Generator(seed: 3)
        let points = (0..<400).map { _ in Hyperparameters.sample(generator: g) }
        #expect(Set(points.map(\.hiddenSize)) == Set(Hyperparameters.hiddenSizes))
        #expect(points.allSatisfy { Hyperparameters.dropouts.contains($0.dropout) && Hyperparameters.learningRates.contains($0.learningRate) })
        let belowGeometricMiddle = points.filter { $0.learningRate < (0.001 * 0.02 as Float).squareRoot() }.count
        #expect((150...250).contains(belowGeometricMiddle), "log-uniform: half below √(0.001 · 0.02), got \(belowGeometricMiddle) of 400")
        #expect(Hyperparameters(hiddenSize: 64, dropout: 0.2, learningRate: 0.004).description == "hidden 64, dropout 0.20, lr 0.0040")
    }
}
