import Foundation

extension Weaver {
    /// A README that differs from what weave produces now, or is missing.
    public struct Stale: Equatable, Sendable {
        /// The README's path.
        public var readme: URL
        /// Whether the README does not exist at all.
        public var isMissing: Bool
    }

    /// The name of the generated file in each lesson directory.
    public static let readmeName = "README.md"

    /// Reads the `.swift` files directly inside `directory`, in lesson order (see ``ordered(_:)``).
    ///
    /// - Throws: the file system's error if the directory cannot be listed;
    ///   ``WeaveError`` if a file cannot be read or is not UTF-8.
    public static func sourceFiles(in directory: URL) throws -> [(name: String, text: String)] {
        // A symbolic link is another lesson's file (a later day compiles an
        // earlier day's exercises to use them): its own lesson weaves it.
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".swift") }
            .filter { (try? FileManager.default.destinationOfSymbolicLink(atPath: directory.appendingPathComponent($0).path)) == nil }
        let files = try names.map { name -> (name: String, text: String) in
            (name, try readText(directory.appendingPathComponent(name)))
        }
        return ordered(files)
    }

    /// The text of a UTF-8 file.
    ///
    /// - Throws: ``WeaveError`` naming the file (and the first line that is not UTF-8).
    static func readText(_ url: URL) throws -> String {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw WeaveError(file: url.path, line: 0, problem: "cannot read the file")
        }
        if let text = String(data: data, encoding: .utf8) { return text }
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let bad = lines.firstIndex { String(data: Data($0), encoding: .utf8) == nil } ?? 0
        throw WeaveError(file: url.path, line: bad + 1, problem: "is not UTF-8 text; save the file as UTF-8")
    }

    /// Weaves the `.swift` files of one lesson directory into the text of its README.
    ///
    /// - Throws: ``WeaveError`` naming the file by its path.
    public static func weave(directory: URL) throws -> String {
        do {
            let recording = directory.appendingPathComponent(LessonOutput.fileName)
            let output = FileManager.default.fileExists(atPath: recording.path)
                ? try LessonOutput(text: try readText(recording), file: recording.path) : nil
            return try weave(files: try sourceFiles(in: directory), output: output)
        } catch var error as WeaveError where !error.file.hasPrefix("/") {
            error.file = directory.appendingPathComponent(error.file).path
            throw error
        }
    }

    /// The lesson directories `Lessons/Day*` under `root`, sorted by name.
    public static func lessonDirectories(under root: URL) throws -> [URL] {
        let lessons = root.appendingPathComponent("Lessons")
        return try FileManager.default.contentsOfDirectory(atPath: lessons.path)
            .filter { $0.hasPrefix("Day") }
            .sorted()
            .map { lessons.appendingPathComponent($0) }
            .filter { isDirectory($0) }
    }

    /// Finds the package root from `start`: the nearest directory, `start` or above, holding a `Lessons` directory.
    public static func findRoot(from start: URL) -> URL? {
        var directory = start.standardizedFileURL
        while true {
            if isDirectory(directory.appendingPathComponent("Lessons")) { return directory }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { return nil }
            directory = parent
        }
    }

    /// Writes `README.md` in `directory` if its text changed; returns whether it wrote.
    @discardableResult
    public static func writeReadme(in directory: URL) throws -> Bool {
        let readme = directory.appendingPathComponent(readmeName)
        let text = try weave(directory: directory)
        if (try? String(contentsOf: readme, encoding: .utf8)) == text { return false }
        try text.write(to: readme, atomically: true, encoding: .utf8)
        return true
    }

    /// Compares `README.md` in `directory` with what weave produces now; `nil` when it is up to date.
    public static func staleReadme(in directory: URL) throws -> Stale? {
        let readme = directory.appendingPathComponent(readmeName)
        guard let committed = try? String(contentsOf: readme, encoding: .utf8) else {
            return Stale(readme: readme, isMissing: true)
        }
        return committed == (try weave(directory: directory)) ? nil : Stale(readme: readme, isMissing: false)
    }

    static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}

extension Weaver {
    /// Whether `directory` holds a lesson's `main.swift`.
    public static func isLessonDirectory(_ directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent("main.swift").path)
    }
}
