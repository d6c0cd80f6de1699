import Torchlet

/// A two-class sequence classifier, Day 5's correct reader in one module:
/// embedding → LSTM over the packed batch → `h_n`, the state after each
/// review's last real word → one logit.
///
/// ```
/// token ids (B sequences) ─ pack ─ Embedding ─ LSTM ─ h_n [1, B, H] ─ Linear ─ logits [B]
/// ```
/// Train it with `binaryCrossEntropyWithLogits(logits, targets:)`: a
/// logit above 0 means the second label.
public final class ReviewClassifier: Module {
    public let embedding: Embedding
    public let lstm: LSTM
    public let head: Linear

    public init(vocabularySize: Int, embeddingDim: Int, hiddenSize: Int, generator: Generator = .default) {
        embedding = Embedding(numEmbeddings: vocabularySize, embeddingDim: embeddingDim, generator: generator)
        lstm = LSTM(inputSize: embeddingDim, hiddenSize: hiddenSize, generator: generator)
        head = Linear(inFeatures: hiddenSize, outFeatures: 1, generator: generator)
        super.init()
        registerModule("embedding", embedding)
        registerModule("lstm", lstm)
        registerModule("head", head)
    }

    /// One logit per sequence, `[B]`, for `B` sequences of token ids of any lengths (each at least 1).
    public func callAsFunction(_ sequences: [[Int]]) -> Tensor {
        precondition(!sequences.isEmpty && sequences.allSatisfy { !$0.isEmpty },
                     "ReviewClassifier: every sequence needs a token; lengths \(sequences.map(\.count))")
        let packed = packSequence(sequences, enforceSorted: false)
        let h = lstm(embedding(packed)).state.h                       // [1, B, H], in the batch's order
        return head(h.reshaped(to: [sequences.count, h.shape[2]])).reshaped(to: [sequences.count])
    }
}
