import Torchlet

/// The capstone tagger: word embeddings, optionally joined by character
/// features, a bidirectional LSTM over packed sentences, and a linear layer.
///
/// ```
/// word id ─ Embedding ─────────────────────────────────────────┐
/// chars ── Embedding ─ Conv1d ─ max over the word's characters ─┴─ concat ─ Dropout ─ BiLSTM ─ Dropout ─ Linear ─ tag scores
/// ```
/// A word never seen in training has only the `<unk>` embedding; its
/// characters still say a lot ("-tion", "-ous", "-ize"), and the
/// convolution learns which character n-grams matter. With
/// `characterFilters: 0` the model is the words-only tagger.
///
/// The character features are computed by `characterFeatures`, a function
/// of the words' character ids, the character embedding and the
/// convolution (`[N, filters]` for `N` words); the lesson passes exercise
/// 10.2, and the default is ``CharacterTagger/maskedMaxFeatures(chars:embedding:conv:)``.
public final class CharacterTagger: Module {
    public typealias CharacterFeatures = ([[Int]], Embedding, Conv1d) -> Tensor

    public let embedding: Embedding
    public let characterEmbedding: Embedding?
    public let conv: Conv1d?
    public let lstm: LSTM
    public let classifier: Linear
    public let dropout: Dropout
    let characterFeatures: CharacterFeatures

    public init(
        vocabularySize: Int, characterCount: Int, tagCount: Int, embeddingDim: Int = 32,
        characterDim: Int = 16, characterFilters: Int = 32, kernelSize: Int = 3,
        hiddenSize: Int = 64, dropout p: Float = 0, generator: Generator = .default,
        characterFeatures: @escaping CharacterFeatures = CharacterTagger.maskedMaxFeatures
    ) {
        embedding = Embedding(numEmbeddings: vocabularySize, embeddingDim: embeddingDim, paddingIndex: 0, generator: generator)
        if characterFilters > 0 {
            characterEmbedding = Embedding(numEmbeddings: characterCount, embeddingDim: characterDim, paddingIndex: 0,
                                           generator: generator)
            conv = Conv1d(inChannels: characterDim, outChannels: characterFilters, kernelSize: kernelSize,
                          padding: kernelSize / 2, generator: generator)
        } else {
            (characterEmbedding, conv) = (nil, nil)
        }
        lstm = LSTM(inputSize: embeddingDim + characterFilters, hiddenSize: hiddenSize, bidirectional: true, generator: generator)
        classifier = Linear(inFeatures: 2 * hiddenSize, outFeatures: tagCount, generator: generator)
        dropout = Dropout(p: p, generator: generator)
        self.characterFeatures = characterFeatures
        super.init()
        registerModule("embedding", embedding)
        if let characterEmbedding, let conv {
            registerModule("char_embedding", characterEmbedding)
            registerModule("char_conv", conv)
        }
        registerModule("lstm", lstm)
        registerModule("classifier", classifier)
        registerModule("dropout", dropout)
    }

    /// Tag scores `[N, tags]` for the `N` tokens of `batch`, in its packed order.
    public func callAsFunction(_ batch: PackedTaggingBatch) -> Tensor {
        var features = embedding(batch.words)                                     // [N, E]
        if let characterEmbedding, let conv {
            let perWord = characterFeatures(batch.chars, characterEmbedding, conv)     // [distinct words, F]
            let characters = perWord.indexSelect(dim: 0, indices: batch.typeOfRow)   // [N, F]
            features = Tensor(concatenating: [features, characters], dim: 1)         // [N, E + F]
        }
        let (output, _) = lstm(batch.positions.replacing(data: dropout(features)))
        return classifier(dropout(output.data))                                  // [N, tags]
    }

    /// The features of `N` words from their character ids: pad the ids with
    /// 0 to the longest word, embed `[N, W, C]`, convolve over the
    /// characters `[N, F, W]`, and take each filter's maximum over the
    /// word's real characters (`maskedMax`), so padding never wins.
    public static func maskedMaxFeatures(chars: [[Int]], embedding: Embedding, conv: Conv1d) -> Tensor {
        let (ids, shape) = padSequence(chars, batchFirst: true, paddingValue: 0)           // [N, W]
        let embedded = embedding(ids, shape: shape).transposed(1, 2)                        // [N, C, W]
        let maps = conv(embedded)                                                           // [N, F, W]
        let mask = lengthMask(lengths: chars.map(\.count), maxLength: shape[1]).unsqueezed(dim: 1)  // [N, 1, W]
        return maskedMax(maps, mask: mask, dim: 2)                                          // [N, F]
    }
}
