import Course
import Testing
import TestSupport
import Torchlet

/// `LanguageModel`'s kinds of recurrent layers: their parameter names, the
/// state each carries, and the same weights for `.lstm` and
/// `.residualLSTM` from one seed (Day 9 compares the two on them).
@Suite struct LanguageModelTests {
    @Test func eachKindRegistersItsLayersUnderItsName() {
        let names = [LanguageModel.Kind.lstm, .residualLSTM, .gru].map {
            LanguageModel(vocabularySize: 7, embeddingDim: 3, hiddenSize: 4, numLayers: 2, kind: $0).namedParameters().map(\.name)
        }
        #expect(names[0][1] == "lstm.weight_ih_l0" && names[0].contains("lstm.weight_hh_l1"))
        #expect(names[1][1] == "stack.layers.0.weight_ih_l0" && names[1].contains("stack.layers.1.bias_hh_l0"))
        #expect(names[2][1] == "gru.weight_ih_l0" && names[2].contains("gru.weight_hh_l1"))
        #expect(names.allSatisfy { $0.first == "embedding.weight" && $0.last == "decoder.bias" })
    }

    @Test func aGRUModelCarriesAnEmptyCellState() {
        let model = LanguageModel(vocabularySize: 7, embeddingDim: 3, hiddenSize: 4, numLayers: 2, kind: .gru, generator: Generator(seed: 1))
        let tokens = [[1, 2, 3], [4, 5, 6]]
        let (scores, state) = model(tokens)
        #expect(scores.shape == [2, 3, 7])
        #expect(state.h.shape == [2, 3, 4] && state.c.shape == [2, 3, 0])
        let carried = model(tokens, (state.h.detached(), state.c.detached()))
        guard case .gru(let gru) = model.recurrent else { Issue.record("not a GRU"); return }
        let expected = gru(model.embedding(tokens.flatMap { $0 }, shape: [2, 3]), state.h)
        assertClose(carried.state.h, expected.h, "h_n from the carried h")
    }

    @Test(arguments: [1, 4]) func lstmAndResidualStackDrawTheSameWeightsFromOneSeed(layers: Int) {
        let plain = LanguageModel(vocabularySize: 9, embeddingDim: 4, hiddenSize: 4, numLayers: layers, generator: Generator(seed: 3))
        let residual = LanguageModel(vocabularySize: 9, embeddingDim: 4, hiddenSize: 4, numLayers: layers, kind: .residualLSTM,
                                     generator: Generator(seed: 3))
        #expect(plain.parameterCount == residual.parameterCount)
        for (a, b) in zip(plain.parameters(), residual.parameters()) {
            #expect(a.scalars == b.scalars)
        }
        if layers == 1 {
            #expect(plain([[1, 2]]).scores.scalars == residual([[1, 2]]).scores.scalars, "one layer has no skip")
        }
    }
}
