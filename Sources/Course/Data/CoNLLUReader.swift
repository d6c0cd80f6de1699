/// Reads part-of-speech-tagged sentences from a CoNLL-U file, the format of
/// the Universal Dependencies treebanks.
///
/// Each word is a line of 10 tab-separated columns; the reader keeps FORM
/// (column 2) and UPOS (column 4). Sentences are separated by blank lines;
/// lines may end in "\n", "\r\n" or "\r" (old Mac files), even mixed.
/// Comment lines (`# text = …`), multiword-token lines (ID `3-4`) and empty
/// nodes (ID `5.1`) are skipped.
///
/// ```
/// # text = The dog barked.
/// 1	The	the	DET	DT	_	2	det	_	_
/// 2	dog	dog	NOUN	NN	_	3	nsubj	_	_
/// ```
///
/// Errors name the file and line: `data.conllu:17: expected 10 tab-separated columns, got 3`.
public enum CoNLLUReader {
    /// The sentences of the CoNLL-U file at `path`.
    public static func read(path: String) throws -> [TaggedSentence] {
        try parse(text: readDataFile(path), fileName: path)
    }

    /// The sentences of CoNLL-U `text`; `fileName` is used in error messages.
    ///
    /// Throws when `text` is empty, only whitespace, or has no sentence.
    public static func parse(text: String, fileName: String = "<text>") throws -> [TaggedSentence] {
        try requireContent(text, fileName: fileName, expected: "CoNLL-U sentences")
        var sentences: [TaggedSentence] = []
        var words: [String] = [], tags: [String] = []
        func endSentence() {
            if !words.isEmpty { sentences.append(TaggedSentence(words: words, tags: tags)) }
            words = []
            tags = []
        }
        for (number, line) in numberedLines(text) {
            func fail(_ message: String) -> DataFileError {
                DataFileError(fileName: fileName, line: number, message: message)
            }
            if line.allSatisfy(\.isWhitespace) { endSentence(); continue }
            if line.hasPrefix("#") { continue }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard columns.count == 10 else {
                throw fail("expected 10 tab-separated columns, got \(columns.count)")
            }
            let id = columns[0]
            if id.contains("-") || id.contains(".") { continue }
            guard let index = Int(id), index >= 1 else {
                throw fail("expected a word ID in column 1 (an integer, a range like 3-4 or a decimal like 5.1), got '\(id)'")
            }
            guard index == words.count + 1 else {
                throw fail("expected word ID \(words.count + 1), got \(index) (is a blank line missing between sentences?)")
            }
            let form = String(columns[1]), upos = String(columns[3])
            guard !form.isEmpty else { throw fail("expected a word form in column 2, got an empty column") }
            guard !upos.isEmpty && upos != "_" else {
                throw fail("expected a UPOS tag in column 4, got '\(upos)'")
            }
            words.append(form)
            tags.append(upos)
        }
        endSentence()
        guard !sentences.isEmpty else {
            throw DataFileError(fileName: fileName, line: nil, message: "expected CoNLL-U sentences, found only comments and multiword or empty-node lines")
        }
        return sentences
    }
}
