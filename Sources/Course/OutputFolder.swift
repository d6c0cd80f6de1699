import Foundation
import Torchlet

/// The folder a lesson writes its plots to, `output/dayN/` under the package root.
///
/// The root is the nearest folder at or above the current directory that
/// holds `Package.swift`, so `swift run day2` writes to the same place from
/// anywhere in the checkout; outside a checkout it is the current
/// directory. The repository's `.gitignore` ignores `/output/`, so plots
/// never end up in a commit.
///
/// ```swift
/// let folder = OutputFolder(day: 2)
/// try folder.write(plot, name: "loss")   // prints "plot: output/day2/loss.svg"
/// ```
public struct OutputFolder: Sendable {
    /// The lesson's day.
    public let day: Int
    /// The package root the folder lives under.
    public let root: String

    /// The folder for lesson `day` under `root` (by default the package root
    /// found from the current directory). Nothing is created until a write.
    public init(day: Int, root: String? = nil) {
        self.day = day
        self.root = root ?? Self.packageRoot()
    }

    /// The folder's path relative to the package root, such as `output/day2`.
    public var relativePath: String { "output/day\(day)" }

    /// The folder's full path.
    public var path: String { URL(fileURLWithPath: root).appendingPathComponent(relativePath).path }

    /// The nearest folder at or above `directory` that contains `Package.swift`,
    /// or `directory` itself when there is none.
    public static func packageRoot(from directory: String = FileManager.default.currentDirectoryPath) -> String {
        let start = URL(fileURLWithPath: directory).standardizedFileURL
        var candidate = start
        while true {
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("Package.swift").path) {
                return candidate.path
            }
            let parent = candidate.deletingLastPathComponent()
            if parent.path == candidate.path || parent.path.isEmpty { return start.path }
            candidate = parent
        }
    }

    /// Creates the folder (and `output/`) if it does not exist yet.
    public func create() throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The full path of the file `name` in the folder.
    public func path(of name: String) -> String {
        URL(fileURLWithPath: path).appendingPathComponent(name).path
    }

    /// Writes `plot` as `name.svg` in the folder, creating it, and prints
    /// `plot: output/day2/name.svg`; returns the path it printed.
    ///
    /// The printed path is relative to the current directory when the file
    /// is below it (the usual case, running from the package root), and
    /// absolute otherwise, so it can be opened from the same terminal.
    ///
    /// - Parameters:
    ///   - name: the file name, with or without the `.svg` extension.
    ///   - print: where the line goes; standard output by default.
    /// - Throws: the file system's error when the file cannot be written.
    @discardableResult
    public func write(_ plot: LinePlot, name: String, print: (String) -> Void = { Swift.print($0) }) throws -> String {
        precondition(
            !name.isEmpty && !name.contains("/") && name != "." && name != "..",
            "OutputFolder.write: plot name \"\(name)\" should be a plain file name such as \"loss\"")
        let fileName = name.hasSuffix(".svg") ? name : name + ".svg"
        let full = path(of: fileName)
        try plot.write(to: full)
        let shown = Self.displayPath(full)
        print("plot: \(shown)")
        return shown
    }

    /// `path` relative to the current directory when it lies below it, else `path`.
    static func displayPath(_ path: String, from directory: String = FileManager.default.currentDirectoryPath) -> String {
        let base = URL(fileURLWithPath: directory).standardizedFileURL.path
        let target = URL(fileURLWithPath: path).standardizedFileURL.path
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return target.hasPrefix(prefix) ? String(target.dropFirst(prefix.count)) : target
    }
}

extension Lesson {
    /// The lesson's output folder, `output/day<day>/` under the package root.
    public var outputFolder: OutputFolder { OutputFolder(day: info.day) }

    /// Writes `plot` as `output/day<day>/<name>.svg` and prints where; a
    /// failure to write is printed too, and the lesson goes on.
    ///
    /// ```swift
    /// lesson.writePlot(plot, name: "loss")   // plot: output/day2/loss.svg
    /// ```
    ///
    /// - Returns: the printed path, or `nil` when the file could not be written.
    @discardableResult
    public func writePlot(_ plot: LinePlot, name: String) -> String? {
        do {
            return try outputFolder.write(plot, name: name)
        } catch {
            print("plot: could not write \(outputFolder.relativePath)/\(name): \(error.localizedDescription)")
            return nil
        }
    }
}
