import Foundation
import Torchlet

/// A trained ``CharacterTagger`` with the three vocabularies it reads and
/// writes through, saved to and loaded from one folder.
///
/// A model's weights alone are not a tool: word 17 means nothing without
/// the word list that made it 17. So the folder holds everything needed
/// to tag new text:
///
/// ```
/// tagger.safetensors   the weights, and the layer sizes in its metadata
/// words.txt            the word vocabulary, one entry per line in index order (<pad> and <unk> first)
/// characters.txt       the character vocabulary, likewise
/// tags.txt             the tags, likewise
/// ```
/// The weights file is the same safetensors a PyTorch model's
/// `state_dict()` saves to, with the same names (`lstm.weight_ih_l0`, …).
public struct SavedTagger {
    public let model: CharacterTagger
    public let words: Vocabulary
    public let characters: Vocabulary
    public let tags: Vocabulary

    /// The file names inside the folder.
    static let weightsFile = "tagger.safetensors"
    static let vocabularyFiles = (words: "words.txt", characters: "characters.txt", tags: "tags.txt")

    public init(model: CharacterTagger, words: Vocabulary, characters: Vocabulary, tags: Vocabulary) {
        (self.model, self.words, self.characters, self.tags) = (model, words, characters, tags)
    }

    /// Writes the weights and the vocabularies into `folder`, creating it if needed.
    ///
    /// - Throws: `DataFileError` when a file is where the folder must be
    ///   (see ``problemSaving(to:)``); otherwise a file-system error or
    ///   `StateDictError` naming the file that could not be written.
    public func save(to folder: String) throws {
        if let problem = Self.problemSaving(to: folder) { throw DataFileError(fileName: folder, line: nil, message: problem) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var state = model.stateDict()
        state.setScalar(model.embedding.weight.shape[1], forKey: "embedding_dim")
        state.setScalar(model.characterEmbedding?.weight.shape[1] ?? 0, forKey: "character_dim")
        state.setScalar(model.conv?.outChannels ?? 0, forKey: "character_filters")
        state.setScalar(model.conv?.kernelSize ?? 0, forKey: "kernel_size")
        state.setScalar(model.lstm.hiddenSize, forKey: "hidden_size")
        try state.save(to: Self.path(folder, Self.weightsFile))
        let files = Self.vocabularyFiles
        for (vocabulary, name) in [(words, files.words), (characters, files.characters), (tags, files.tags)] {
            let text = vocabulary.words.map { $0 + "\n" }.joined()
            try text.write(toFile: Self.path(folder, name), atomically: true, encoding: .utf8)
        }
    }

    /// Why ``save(to:)`` could not write to `folder`, or `nil`: a file is
    /// there, or on the way there, where a folder must be.
    public static func problemSaving(to folder: String) -> String? {
        var path = URL(fileURLWithPath: folder).standardizedFileURL
        while path.path != "/" {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path.path, isDirectory: &isFolder) {
                return isFolder.boolValue ? nil : "\(path.path) is a file, not a folder"
            }
            path.deleteLastPathComponent()
        }
        return nil
    }

    /// Reads a tagger saved by ``save(to:)`` from `folder`.
    ///
    /// - Throws: `DataFileError` naming the folder or the vocabulary file and
    ///   line that is wrong, or `StateDictError` naming the weights file and key.
    public static func load(from folder: String) throws -> SavedTagger {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw DataFileError(fileName: folder, line: nil, message: "no such folder; train a tagger first (swift run day10)")
        }
        let files = vocabularyFiles
        let words = try readVocabulary(path(folder, files.words))
        let characters = try readVocabulary(path(folder, files.characters))
        let tags = try readVocabulary(path(folder, files.tags))
        for (vocabulary, name) in [(words, files.words), (characters, files.characters)]
        where vocabulary.padIndex != 0 || vocabulary.unknownIndex != 1 {
            throw DataFileError(fileName: path(folder, name), line: nil,
                                message: "expected \(Vocabulary.padToken) and \(Vocabulary.unknownToken) on lines 1 and 2")
        }
        let weightsPath = path(folder, weightsFile)
        let state = try StateDict.load(from: weightsPath)
        let model = CharacterTagger(
            vocabularySize: words.count, characterCount: characters.count, tagCount: tags.count,
            embeddingDim: try state.scalar("embedding_dim", source: weightsPath),
            characterDim: try state.scalar("character_dim", source: weightsPath),
            characterFilters: try state.scalar("character_filters", source: weightsPath),
            kernelSize: try state.scalar("kernel_size", source: weightsPath),
            hiddenSize: try state.scalar("hidden_size", source: weightsPath))
        try model.loadStateDict(state, source: weightsPath)
        model.eval()
        return SavedTagger(model: model, words: words, characters: characters, tags: tags)
    }

    /// The predicted tag of every word of each sentence (the model in evaluation mode, no gradients).
    ///
    /// Empty sentences get no tags.
    public func tag(_ sentences: [[String]]) -> [[String]] {
        let nonEmpty = sentences.filter { !$0.isEmpty }
        guard !nonEmpty.isEmpty else { return sentences.map { _ in [] } }
        let wasTraining = model.isTraining
        model.eval()
        defer { model.train(wasTraining) }
        // The batch needs gold tags to be built; any tag will do, they are not read.
        let batch = PackedTaggingBatch(
            nonEmpty.map { TaggedSentence(words: $0, tags: $0.map { _ in tags.word(at: 0) }) },
            words: words, tags: tags, characters: characters)
        let predicted = withNoGrad { model(batch).argmax(dim: 1) }
        // Packed row r holds token number positions.data[r], counted through the sentences in order.
        var byToken = [String](repeating: "", count: predicted.count)
        for (row, token) in batch.positions.data.scalars.enumerated() {
            byToken[Int(token)] = tags.word(at: predicted[row])
        }
        var next = 0
        return sentences.map { sentence in
            defer { next += sentence.count }
            return Array(byToken[next..<next + sentence.count])
        }
    }

    static func path(_ folder: String, _ name: String) -> String {
        URL(fileURLWithPath: folder).appendingPathComponent(name).path
    }

    /// A vocabulary file: one entry per line, in index order, no entry twice.
    static func readVocabulary(_ path: String) throws -> Vocabulary {
        let text = try readDataFile(path)
        try requireContent(text, fileName: path, expected: "one vocabulary entry per line")
        var lines = Array(numberedLines(text))
        if lines.last?.text.isEmpty == true { lines.removeLast() }  // the file's last newline
        var entries: [String] = []
        var seen: [String: Int] = [:]
        for (number, line) in lines {
            let entry = String(line)
            guard !entry.isEmpty else { throw DataFileError(fileName: path, line: number, message: "empty entry") }
            if let first = seen[entry] {
                throw DataFileError(fileName: path, line: number, message: "'\(entry)' repeats line \(first)")
            }
            seen[entry] = number
            entries.append(entry)
        }
        return Vocabulary(corpus: [entries], specials: [])
    }
}
