import Torchlet

/// A word-level language model, the one of PyTorch's
/// `examples/word_language_model`: embedding → recurrent layers → linear
/// over the vocabulary, scoring the next token at every step.
///
/// ```
/// token ids [T, B] ─ Embedding ─ [T, B, E] ─ recurrent (time first) ─ [T, B, H] ─ Linear ─ [T, B, V]
/// ```
/// Time comes first, as in PyTorch's example: row `t` of a batch holds step
/// `t` of each of the `B` streams. The state goes in and comes out, so a
/// caller can carry it from one chunk of a long stream to the next.
///
/// The recurrent layers are an `LSTM` (Day 8; parameters `lstm.*`), an
/// `LSTMStack` with residual connections (`stack.layers.k.*`), or a `GRU`
/// (`gru.*`). A GRU has no cell state: its state travels as `(h, c)` with
/// `c` empty, `[L, B, 0]`, so one training step (exercise 8.3) carries and
/// detaches either kind. Tying the decoder to the embedding
/// (`decoder.weight = embedding.weight`) needs `embeddingDim == hiddenSize`.
public final class LanguageModel: Module {
    /// The recurrent layers between the embedding and the decoder.
    public enum Recurrent {
        case lstm(LSTM)
        case residualLSTM(LSTMStack)
        case gru(GRU)
    }

    /// Which recurrent layers to build.
    public enum Kind: String, Sendable {
        case lstm, residualLSTM, gru
    }

    public let embedding: Embedding
    public let recurrent: Recurrent
    public let decoder: Linear

    /// - Parameter dropout: between recurrent layers, in training mode
    ///   (PyTorch's `nn.LSTM(dropout=)`).
    public init(vocabularySize: Int, embeddingDim: Int, hiddenSize: Int, numLayers: Int = 1, dropout: Float = 0,
                kind: Kind = .lstm, generator: Generator = .default) {
        embedding = Embedding(numEmbeddings: vocabularySize, embeddingDim: embeddingDim, generator: generator)
        switch kind {
        case .lstm:
            recurrent = .lstm(LSTM(inputSize: embeddingDim, hiddenSize: hiddenSize, numLayers: numLayers,
                                   dropout: dropout, generator: generator))
        case .residualLSTM:
            recurrent = .residualLSTM(LSTMStack(inputSize: embeddingDim, hiddenSize: hiddenSize, numLayers: numLayers,
                                                residual: true, dropout: dropout, generator: generator))
        case .gru:
            recurrent = .gru(GRU(inputSize: embeddingDim, hiddenSize: hiddenSize, numLayers: numLayers,
                                 dropout: dropout, generator: generator))
        }
        decoder = Linear(inFeatures: hiddenSize, outFeatures: vocabularySize, generator: generator)
        super.init()
        registerModule("embedding", embedding)
        let names: [Kind: String] = [.lstm: "lstm", .residualLSTM: "stack", .gru: "gru"]
        registerModule(names[kind]!, recurrentModule)
        registerModule("decoder", decoder)
    }

    /// The recurrent layers as a module, whichever kind they are.
    public var recurrentModule: Module {
        switch recurrent {
        case .lstm(let lstm): lstm
        case .residualLSTM(let stack): stack
        case .gru(let gru): gru
        }
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
        let (output, newState): (Tensor, LSTMState)                             // [T, B, H]
        switch recurrent {
        case .lstm(let lstm): (output, newState) = lstm(vectors, state)
        case .residualLSTM(let stack): (output, newState) = stack(vectors, state)
        case .gru(let gru):
            let (o, h) = gru(vectors, state?.h)
            (output, newState) = (o, (h, Tensor.zeros([h.shape[0], batch, 0])))  // no cell state
        }
        return (decoder(output), newState)                                      // [T, B, V]
    }

    /// The mean cross-entropy per token of next-token `scores` `[T, B, V]`
    /// against `targets` `[T][B]`, flattened in the same row order.
    public func meanLoss(_ scores: Tensor, targets: [[Int]]) -> Tensor {
        crossEntropy(scores.reshaped(to: [scores.shape[0] * scores.shape[1], vocabularySize]), targets: targets.flatMap { $0 })
    }
}
