import Torchlet

/// A batched part-of-speech tagger: embedding → LSTM → linear, the Day 1
/// tagger grown up for minibatches, padding and packing.
///
/// ```
/// word ids [B, T] ─ Embedding ─ [B, T, E] ─ LSTM (batchFirst) ─ [B, T, D·H] ─ Linear ─ [B, T, tags]
/// ```
/// The embedding's `paddingIndex` keeps the pad token a zero vector. Call it
/// on a padded batch (the LSTM then also runs over the padding) or on a
/// `PackedSequence` of word ids (it then runs over real tokens only).
///
/// A padded batch is safe to mask only for a one-directional LSTM, where
/// trailing padding comes after every real token. With `bidirectional:
/// true` the backward direction starts in the padding and carries it into
/// every real token's output: give such a model packed batches.
public final class SequenceTagger: Module {
    public let embedding: Embedding
    public let lstm: LSTM
    public let classifier: Linear

    public init(
        vocabularySize: Int, tagCount: Int, embeddingDim: Int, hiddenSize: Int,
        numLayers: Int = 1, bidirectional: Bool = false, dropout: Float = 0,
        paddingIndex: Int? = 0, generator: Generator = .default
    ) {
        embedding = Embedding(numEmbeddings: vocabularySize, embeddingDim: embeddingDim,
                              paddingIndex: paddingIndex, generator: generator)
        lstm = LSTM(inputSize: embeddingDim, hiddenSize: hiddenSize, numLayers: numLayers, batchFirst: true,
                    dropout: dropout, bidirectional: bidirectional, generator: generator)
        classifier = Linear(inFeatures: hiddenSize * (bidirectional ? 2 : 1), outFeatures: tagCount, generator: generator)
        super.init()
        registerModule("embedding", embedding)
        registerModule("lstm", lstm)
        registerModule("classifier", classifier)
    }

    /// Tag scores `[B, T, tags]` for a padded batch of word ids laid out
    /// row-major as `[B, T]`.
    public func callAsFunction(words: [Int], batchSize: Int) -> Tensor {
        precondition(batchSize > 0 && words.count % batchSize == 0,
                     "SequenceTagger: \(words.count) word ids do not form \(batchSize) rows")
        let vectors = embedding(words, shape: [batchSize, words.count / batchSize])  // [B, T, E]
        let (output, _) = lstm(vectors)                                              // [B, T, D·H]
        return classifier(output)                                                    // [B, T, tags]
    }

    /// Tag scores for a packed batch of word ids: the result's data is
    /// `[N, tags]`, one row per real token, in packed order.
    public func callAsFunction(_ words: PackedSequence) -> PackedSequence {
        let (output, _) = lstm(embedding(words))
        return output.replacing(data: classifier(output.data))
    }
}
