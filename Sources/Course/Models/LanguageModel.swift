import Torchlet

/// A word-level language model, the one of PyTorch's
/// `examples/word_language_model`: embedding → LSTM → linear over the
/// vocabulary, scoring the next token at every step.
///
/// ```
/// token ids [T, B] ─ Embedding ─ [T, B, E] ─ LSTM (time first) ─ [T, B, H] ─ Linear ─ [T, B, V]
/// ```
/// Time comes first, as in PyTorch's example: row `t` of a batch holds step
/// `t` of each of the `B` streams. The state goes in and comes out, so a
/// caller can carry it from one chunk of a long stream to the next.
public final class LanguageModel: Module {
    public let embedding: Embedding
    public let lstm: LSTM
    public let decoder: Linear

    public init(vocabularySize: Int, embeddingDim: Int, hiddenSize: Int, numLayers: Int = 1,
                generator: Generator = .default) {
        embedding = Embedding(numEmbeddings: vocabularySize, embeddingDim: embeddingDim, generator: generator)
        lstm = LSTM(inputSize: embeddingDim, hiddenSize: hiddenSize, numLayers: numLayers, generator: generator)
        decoder = Linear(inFeatures: hiddenSize, outFeatures: vocabularySize, generator: generator)
        super.init()
        registerModule("embedding", embedding)
        registerModule("lstm", lstm)
        registerModule("decoder", decoder)
    }

    /// The number of tokens it scores.
    public var vocabularySize: Int { decoder.weight.shape[0] }

    /// Next-token scores `[T, B, V]` for token ids `[T][B]` (every row the
    /// same length), starting from `state` (zeros when `nil`), and the
    /// state after the last step.
    public func callAsFunction(_ tokens: [[Int]], _ state: LSTMState? = nil) -> (scores: Tensor, state: LSTMState) {
        let steps = tokens.count, batch = tokens.first?.count ?? 0
        precondition(steps > 0 && batch > 0 && tokens.allSatisfy { $0.count == batch },
                     "LanguageModel: token rows \(tokens.map(\.count)) should be \(steps) rows of one batch size > 0")
        let vectors = embedding(tokens.flatMap { $0 }, shape: [steps, batch])   // [T, B, E]
        let (output, newState) = lstm(vectors, state)                           // [T, B, H]
        return (decoder(output), newState)                                      // [T, B, V]
    }
}
