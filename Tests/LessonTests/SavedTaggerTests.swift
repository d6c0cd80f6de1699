import Foundation
import Testing
import Torchlet
@testable import Course

/// `SavedTagger` and `tokenize`: a saved tagger loads back with the same
/// parameters and the same predictions, a broken folder is an error naming
/// the file, and plain text splits into treebank-like words.
@Suite struct SavedTaggerTests {
    static let sentences = CharacterTaggerTests.sentences
    static let words = CharacterTaggerTests.words
    static let tags = CharacterTaggerTests.tags
    static let characters = CharacterTaggerTests.characters

    static func tagger(characterFilters: Int = 5, seed: UInt64 = 3) -> SavedTagger {
        let model = CharacterTagger(vocabularySize: words.count, characterCount: characters.count, tagCount: tags.count,
                                    embeddingDim: 4, characterDim: 3, characterFilters: characterFilters, kernelSize: 3,
                                    hiddenSize: 6, generator: Generator(seed: seed))
        return SavedTagger(model: model, words: words, characters: characters, tags: tags)
    }

    static func temporaryFolder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("saved-tagger-\(UUID().uuidString)").path
    }

    /// A file where the folder, or a folder on its way, must be is refused, naming it; nothing is written.
    @Test func savingWhereAFileIsNamesTheFile() throws {
        let file = Self.temporaryFolder()
        try "not a folder".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        for folder in [file, file + "/tagger"] {
            #expect(SavedTagger.problemSaving(to: folder) == "\(file) is a file, not a folder")
            #expect(throws: DataFileError(fileName: folder, line: nil, message: "\(file) is a file, not a folder")) {
                try Self.tagger().save(to: folder)
            }
        }
        #expect(SavedTagger.problemSaving(to: Self.temporaryFolder() + "/new/tagger") == nil)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "not a folder")
    }

    @Test(arguments: [0, 5])
    func loadsBackTheSameParametersAndPredictions(characterFilters: Int) throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let saved = Self.tagger(characterFilters: characterFilters)
        try saved.save(to: folder)
        let loaded = try SavedTagger.load(from: folder)
        #expect(loaded.words == Self.words && loaded.characters == Self.characters && loaded.tags == Self.tags)
        let before = saved.model.namedParameters(), after = loaded.model.namedParameters()
        #expect(before.map(\.name) == after.map(\.name))
        for (a, b) in zip(before, after) {
            #expect(a.tensor.shape == b.tensor.shape && a.tensor.scalars == b.tensor.scalars, "\(a.name)")
        }
        let text = Self.sentences.map(\.words) + [["an", "unseen", "word"], []]
        let predicted = saved.tag(text)
        #expect(predicted == loaded.tag(text))
        #expect(predicted.map(\.count) == text.map(\.count))
        #expect(predicted.joined().allSatisfy(Self.tags.contains))
    }

    @Test func tagsEachSentenceAsItsOwnBatchWould() {
        // Packing reorders the sentences; the tags must come back in the input's order.
        let saved = Self.tagger()
        let text = Self.sentences.map(\.words)
        #expect(saved.tag(text) == text.map { saved.tag([$0])[0] })
    }

    @Test func aBrokenFolderIsAnErrorNamingTheFile() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: DataFileError(fileName: folder, line: nil, message: "no such folder; train a tagger first (swift run day10)")) {
            try SavedTagger.load(from: folder)
        }
        try Self.tagger().save(to: folder)
        let wordsFile = SavedTagger.path(folder, "words.txt")
        try "<pad>\n<unk>\nthe\ndog\nthe\n".write(toFile: wordsFile, atomically: true, encoding: .utf8)
        #expect(throws: DataFileError(fileName: wordsFile, line: 5, message: "'the' repeats line 3")) {
            try SavedTagger.load(from: folder)
        }
        try "the\n<pad>\n<unk>\n".write(toFile: wordsFile, atomically: true, encoding: .utf8)
        #expect(throws: DataFileError(fileName: wordsFile, line: nil, message: "expected <pad> and <unk> on lines 1 and 2")) {
            try SavedTagger.load(from: folder)
        }
        // One word too few for the saved embedding: the weights file names the shape.
        try Self.words.words.dropLast().map { $0 + "\n" }.joined().write(toFile: wordsFile, atomically: true, encoding: .utf8)
        do {
            _ = try SavedTagger.load(from: folder)
            Issue.record("a vocabulary one word short of the weights was accepted")
        } catch let error as StateDictError {
            #expect("\(error)".contains("tagger.safetensors") && "\(error)".contains("embedding.weight"), "\(error)")
        }
    }

    @Test func tokenizeSplitsPunctuationAtWordEdges() {
        #expect(tokenize("The dog barked, loudly.") == ["The", "dog", "barked", ",", "loudly", "."])
        #expect(tokenize("  (see e-mail)  ") == ["(", "see", "e-mail", ")"])
        #expect(tokenize("no?! don't 3.5 ... \"quoted\"") == ["no", "?", "!", "don't", "3.5", "...", "\"", "quoted", "\""])
        #expect(tokenize("") == [] && tokenize(" \t ") == [])
    }
}
