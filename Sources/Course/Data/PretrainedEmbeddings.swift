import Foundation
import Torchlet

/// Word vectors read from a file in the GloVe text format, ready to be
/// copied into an `Embedding`: PyTorch's `nn.Embedding.from_pretrained`
/// after torchtext's `GloVe`.
///
/// ```
/// the 0.418 0.24968 -0.41242 …
/// ,   0.013441 0.23682 -0.16899 …
/// ```
///
/// One word per line, then its `dimension` numbers, separated by spaces.
/// A word2vec-style first line of two integers (`400000 50`: the number of
/// words and the dimension) is accepted and checked against the vectors.
/// Errors name the file and the line: `glove.txt:3: expected 50 numbers
/// after 'cat' (the dimension of line 1), got 49`.
///
/// ```swift
/// let glove = try PretrainedEmbeddings.read(path: "glove.6B.50d.txt")
/// let coverage = glove.coverage(of: words)                 // how much of the vocabulary it knows
/// glove.copy(into: tagger.embedding, vocabulary: words)   // those rows; the others keep their init
/// tagger.embedding.weight.requiresGrad = false             // frozen (from_pretrained(freeze=True))
/// ```
///
/// The other way, a trained model's embedding becomes such a file
/// (Day 8's language model writes `output/day8/embeddings.txt`):
///
/// ```swift
/// try PretrainedEmbeddings(embedding: model.embedding, vocabulary: vocabulary).write(to: "embeddings.txt")
/// ```
public struct PretrainedEmbeddings: Sendable {
    /// The length of every vector.
    public let dimension: Int
    /// The words, in file order.
    public let words: [String]
    /// Each word's vector.
    public let vectors: [String: [Float]]

    /// The rows of `embedding`, one per word of `vocabulary` except `<pad>`: a trained model's word vectors.
    ///
    /// - Precondition: `embedding` has one row per word of `vocabulary`, and no word has whitespace in it
    ///   (the file format separates fields by spaces).
    public init(embedding: Embedding, vocabulary: Vocabulary) {
        let weight = embedding.weight
        precondition(weight.shape.count == 2 && weight.shape[0] == vocabulary.count,
                     "PretrainedEmbeddings: the embedding is \(weight.shape), expected \(vocabulary.count) rows (one per word)")
        let dimension = weight.shape[1], values = weight.scalars
        var words: [String] = [], vectors: [String: [Float]] = [:]
        for (row, word) in vocabulary.words.enumerated() where word != Vocabulary.padToken {
            precondition(!word.contains(where: \.isWhitespace), "PretrainedEmbeddings: the word '\(word)' has whitespace in it")
            words.append(word)
            vectors[word] = Array(values[(row * dimension)..<((row + 1) * dimension)])
        }
        self.init(dimension: dimension, words: words, vectors: vectors)
    }

    init(dimension: Int, words: [String], vectors: [String: [Float]]) {
        (self.dimension, self.words, self.vectors) = (dimension, words, vectors)
    }

    /// The vectors in the GloVe text format, one `word v1 v2 …` line per word in order; each number reads back exactly.
    public var gloveText: String {
        words.map { word in ([word] + vectors[word]!.map(\.description)).joined(separator: " ") + "\n" }.joined()
    }

    /// Writes ``gloveText`` to `path`, replacing any file there.
    public func write(to path: String) throws {
        try gloveText.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The vectors of the GloVe text file at `path`.
    public static func read(path: String) throws -> PretrainedEmbeddings {
        try parse(text: readDataFile(path), fileName: path)
    }

    /// The vectors of GloVe-format `text`; `fileName` is used in error messages.
    ///
    /// Throws on an empty file, a line with a word and no numbers, a value
    /// that is not a finite number, a vector whose length differs from the
    /// first one's (or from a word2vec header's), and a word listed twice.
    public static func parse(text: String, fileName: String = "<text>") throws -> PretrainedEmbeddings {
        try requireContent(text, fileName: fileName, expected: "word vectors ('word v1 v2 …' lines)")
        var words: [String] = [], vectors: [String: [Float]] = [:], lineOfWord: [String: Int] = [:]
        var dimension: (size: Int, source: String)?
        var header: (count: Int, line: Int)?
        for (number, line) in numberedLines(text) where !line.allSatisfy(\.isWhitespace) {
            func fail(_ message: String) -> DataFileError {
                DataFileError(fileName: fileName, line: number, message: message)
            }
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if words.isEmpty && header == nil && fields.count == 2, let count = Int(fields[0]), let size = Int(fields[1]) {
                header = (count, number)
                dimension = (size, "the dimension in the header, line \(number)")
                continue
            }
            let word = String(fields[0])
            guard fields.count > 1 else {
                throw fail("expected a word and its numbers separated by spaces, got only '\(word)'")
            }
            let values = try fields.dropFirst().enumerated().map { k, field -> Float in
                guard let value = Float(field), value.isFinite else {
                    throw fail("value \(k + 1) of '\(word)' is '\(field)', not a finite number")
                }
                return value
            }
            if let expected = dimension, values.count != expected.size {
                throw fail("expected \(expected.size) numbers after '\(word)' (\(expected.source)), got \(values.count)")
            }
            dimension = dimension ?? (values.count, "the dimension of line \(number)")
            if let first = lineOfWord[word] {
                throw fail("'\(word)' has a vector already, on line \(first)")
            }
            lineOfWord[word] = number
            words.append(word)
            vectors[word] = values
        }
        guard let dimension, !words.isEmpty else {
            throw DataFileError(fileName: fileName, line: nil, message: "expected word vectors after the header, found none")
        }
        if let header, header.count != words.count {
            throw DataFileError(fileName: fileName, line: header.line,
                                message: "the header promises \(header.count) words, the file has \(words.count)")
        }
        return PretrainedEmbeddings(dimension: dimension.size, words: words, vectors: vectors)
    }

    /// The vector of `word`, or of its lowercase form (GloVe's common
    /// releases are lowercased), or `nil`.
    public func vector(for word: String) -> [Float]? {
        vectors[word] ?? vectors[word.lowercased()]
    }

    /// The `count` words whose vectors point most nearly the way `word`'s does (largest cosine similarity first),
    /// like gensim's `most_similar`; empty when `word` has no vector.
    public func nearest(to word: String, count: Int) -> [(word: String, cosine: Float)] {
        guard let target = vector(for: word) else { return [] }
        func norm(_ v: [Float]) -> Float { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        let targetNorm = norm(target)
        let scored = words.filter { $0 != word }.map { other -> (word: String, cosine: Float) in
            let v = vectors[other]!
            let dot = zip(target, v).reduce(0) { $0 + $1.0 * $1.1 }
            return (other, dot / max(targetNorm * norm(v), .leastNormalMagnitude))
        }
        return Array(scored.sorted { $0.cosine != $1.cosine ? $0.cosine > $1.cosine : $0.word < $1.word }.prefix(count))
    }

    /// How much of `vocabulary` these vectors cover, counting the special
    /// tokens (`<pad>`, `<unk>`) out; with `tokens`, also the share of
    /// running words (a frequent word counts once per occurrence).
    public func coverage(of vocabulary: Vocabulary, tokens: [String] = []) -> EmbeddingCoverage {
        let specials: Set<String> = [Vocabulary.padToken, Vocabulary.unknownToken]
        let types = vocabulary.words.filter { !specials.contains($0) }
        return EmbeddingCoverage(
            wordsFound: types.filter { vector(for: $0) != nil }.count, words: types.count,
            tokensFound: tokens.filter { vector(for: $0) != nil }.count, tokens: tokens.count)
    }

    /// Copies the vector of every word of `vocabulary` these vectors know
    /// into its row of `embedding.weight`; other rows keep their values, and
    /// the padding row stays zero. Returns the coverage.
    ///
    /// - Precondition: `embedding` has `vocabulary.count` rows of `dimension` values.
    @discardableResult
    public func copy(into embedding: Embedding, vocabulary: Vocabulary) -> EmbeddingCoverage {
        let weight = embedding.weight
        precondition(
            weight.shape == [vocabulary.count, dimension],
            "PretrainedEmbeddings.copy: the embedding is \(weight.shape), expected [\(vocabulary.count), \(dimension)] "
                + "(the vocabulary's size and the vectors' dimension)")
        for (row, word) in vocabulary.words.enumerated() where row != embedding.paddingIndex {
            guard let vector = vector(for: word) else { continue }
            weight.scalars.replaceSubrange((row * dimension)..<((row + 1) * dimension), with: vector)
        }
        return coverage(of: vocabulary)
    }
}

/// How many of a vocabulary's words (and of a text's tokens) have a pretrained vector.
public struct EmbeddingCoverage: Equatable, Sendable, CustomStringConvertible {
    public var wordsFound: Int
    public var words: Int
    public var tokensFound: Int
    public var tokens: Int

    public init(wordsFound: Int, words: Int, tokensFound: Int, tokens: Int) {
        (self.wordsFound, self.words, self.tokensFound, self.tokens) = (wordsFound, words, tokensFound, tokens)
    }

    /// The share of vocabulary words with a vector (0 for an empty vocabulary).
    public var wordShare: Double { words == 0 ? 0 : Double(wordsFound) / Double(words) }
    /// The share of running tokens with a vector (0 without tokens).
    public var tokenShare: Double { tokens == 0 ? 0 : Double(tokensFound) / Double(tokens) }

    /// `"412 of 500 words (82.4%), 9,120 of 9,800 tokens (93.1%)"`, the tokens part only when counted.
    public var description: String {
        let wordsPart = "\(wordsFound) of \(words) words (\(percent(wordShare)))"
        return tokens == 0 ? wordsPart : wordsPart + ", \(tokensFound) of \(tokens) tokens (\(percent(tokenShare)))"
    }
}
