import Foundation
import Testing
import Torchlet
@testable import Course

/// `PretrainedEmbeddings`: the GloVe text format, errors that name the file
/// and line, coverage, and copying into an `Embedding` (frozen or not).
@Suite struct PretrainedEmbeddingsTests {
    func errorDescription(_ body: () throws -> Any) -> String? {
        do { _ = try body(); return nil } catch { return "\(error)" }
    }

    static let glove = "the 0.1 0.2 -0.3\ndog 1 2 3\r\ncat -1e-2 0.5 4\n\nran 0 0 1.5\n"

    @Test func readsWordsAndVectorsInFileOrder() throws {
        let e = try PretrainedEmbeddings.parse(text: Self.glove)
        #expect(e.dimension == 3)
        #expect(e.words == ["the", "dog", "cat", "ran"])
        #expect(e.vectors["cat"] == [-0.01, 0.5, 4])
        #expect(e.vector(for: "Dog") == [1, 2, 3], "falls back to the lowercase form")
        #expect(e.vector(for: "bird") == nil)
    }

    @Test func acceptsAndChecksAWord2vecHeader() throws {
        #expect(try PretrainedEmbeddings.parse(text: "2 2\na 1 2\nb 3 4\n").words == ["a", "b"])
        #expect(errorDescription { try PretrainedEmbeddings.parse(text: "2 3\na 1 2\n", fileName: "w.txt") }
            == "w.txt:2: expected 3 numbers after 'a' (the dimension in the header, line 1), got 2")
        #expect(errorDescription { try PretrainedEmbeddings.parse(text: "3 2\na 1 2\nb 3 4\n", fileName: "w.txt") }
            == "w.txt:1: the header promises 3 words, the file has 2")
    }

    @Test func badFilesNameTheFileAndLine() throws {
        let cases: [(String, String)] = [
            ("the 1 2 3\ndog 1 2\n", "g.txt:2: expected 3 numbers after 'dog' (the dimension of line 1), got 2"),
            ("the 1 2\n\ndog 1 2 3\n", "g.txt:3: expected 2 numbers after 'dog' (the dimension of line 1), got 3"),
            ("the 1 2\ndog 1 x\n", "g.txt:2: value 2 of 'dog' is 'x', not a finite number"),
            ("the 1 nan\n", "g.txt:1: value 2 of 'the' is 'nan', not a finite number"),
            ("the 1 2\nlonely\n", "g.txt:2: expected a word and its numbers separated by spaces, got only 'lonely'"),
            ("the 1 2\ndog 3 4\nthe 5 6\n", "g.txt:3: 'the' has a vector already, on line 1"),
            ("", "g.txt: the file is empty; expected word vectors ('word v1 v2 …' lines)"),
            ("5 2\n", "g.txt: expected word vectors after the header, found none"),
        ]
        for (text, message) in cases {
            #expect(errorDescription { try PretrainedEmbeddings.parse(text: text, fileName: "g.txt") } == message)
        }
        #expect(errorDescription { try PretrainedEmbeddings.read(path: "/nonexistent/glove.txt") }
            == "/nonexistent/glove.txt: no such file")
    }

    @Test func readsAFileFromDisk() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("glove-\(UUID().uuidString).txt")
        try Self.glove.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try PretrainedEmbeddings.read(path: url.path).words.count == 4)
    }

    @Test func coverageCountsWordsWithoutTheSpecialsAndRunningTokens() throws {
        let e = try PretrainedEmbeddings.parse(text: Self.glove)
        let vocabulary = Vocabulary(corpus: [["The", "dog", "barked"], ["the", "cat"]])
        let coverage = e.coverage(of: vocabulary, tokens: ["The", "dog", "barked", "the", "cat", "dog"])
        #expect(coverage == EmbeddingCoverage(wordsFound: 4, words: 5, tokensFound: 5, tokens: 6))
        #expect(coverage.description == "4 of 5 words (80.0%), 5 of 6 tokens (83.3%)")
    }

    @Test func copiesKnownRowsKeepsTheOthersAndThePaddingRow() throws {
        let e = try PretrainedEmbeddings.parse(text: Self.glove)
        let vocabulary = Vocabulary(corpus: [["the", "dog", "barked"]])   // <pad> <unk> the dog barked
        let embedding = Embedding(numEmbeddings: vocabulary.count, embeddingDim: 3, paddingIndex: 0, generator: Generator(seed: 1))
        let before = embedding.weight.scalars
        let coverage = e.copy(into: embedding, vocabulary: vocabulary)
        #expect(coverage.wordsFound == 2 && coverage.words == 3)
        let rows = (0..<5).map { Array(embedding.weight.scalars[($0 * 3)..<($0 * 3 + 3)]) }
        #expect(rows[0] == [0, 0, 0])
        #expect(rows[1] == Array(before[3..<6]) && rows[4] == Array(before[12..<15]))
        #expect(rows[2] == [0.1, 0.2, -0.3] && rows[3] == [1, 2, 3])
    }

    @Test func aFrozenEmbeddingGetsNoGradientAndFineTuningDoes() throws {
        let e = try PretrainedEmbeddings.parse(text: Self.glove)
        let vocabulary = Vocabulary(corpus: [["the", "dog"]])
        for freeze in [true, false] {
            let embedding = Embedding(numEmbeddings: vocabulary.count, embeddingDim: 3, paddingIndex: 0, generator: Generator(seed: 2))
            e.copy(into: embedding, vocabulary: vocabulary)
            embedding.weight.requiresGrad = !freeze
            let linear = Linear(inFeatures: 3, outFeatures: 1, generator: Generator(seed: 3))
            let loss = linear(embedding([2, 3])).sum()
            loss.backward()
            #expect((embedding.weight.grad == nil) == freeze)
            #expect(linear.weight.grad != nil)
        }
    }

    @Test func aTrainedEmbeddingWritesAFileThatReadsBackExactly() throws {
        let vocabulary = Vocabulary(corpus: [["the", "dog", "ran"]])   // <pad>, <unk>, the, dog, ran
        let embedding = Embedding(numEmbeddings: vocabulary.count, embeddingDim: 3, paddingIndex: 0, generator: Generator(seed: 4))
        embedding.weight.scalars[7] = 1e-30   // a value that needs every digit
        let written = PretrainedEmbeddings(embedding: embedding, vocabulary: vocabulary)
        #expect(written.words == ["<unk>", "the", "dog", "ran"], "every word but <pad>")
        #expect(written.gloveText.split(separator: "\n").first?.split(separator: " ").count == 4)
        let read = try PretrainedEmbeddings.parse(text: written.gloveText)
        #expect(read.words == written.words && read.dimension == 3)
        for (row, word) in vocabulary.words.enumerated().dropFirst() {
            #expect(read.vectors[word] == Array(embedding.weight.scalars[(3 * row)..<(3 * row + 3)]), "\(word)")
        }
    }

    @Test func nearestRanksByCosineAndLeavesTheWordOut() throws {
        let e = try PretrainedEmbeddings.parse(text: "a 1 0\nb 2 0.1\nc 0 1\nd -1 0\ne 1 1\n")
        let nearest = e.nearest(to: "a", count: 3)
        #expect(nearest.map(\.word) == ["b", "e", "c"])
        #expect(abs(nearest[1].cosine - Float(0.5).squareRoot()) < 1e-6)
        #expect(e.nearest(to: "zebra", count: 3).isEmpty)
        #expect(e.nearest(to: "a", count: 10).count == 4)
    }
}
