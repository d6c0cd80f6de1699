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
        try write(svg: plot.svg(), name: name, kind: .plot, print: print)
    }

    /// Writes the SVG document `figure` as `name.svg` in the folder, creating
    /// it, and prints `figure: output/day4/name.svg`; returns the path it printed.
    ///
    /// The same as ``write(_:name:print:)`` for a picture that is not a
    /// ``LinePlot``, such as ``packingDiagramSVG(lengths:title:)``.
    ///
    /// ```swift
    /// try folder.write(figure: packingDiagramSVG(lengths: [3, 4, 5]), name: "packing")
    /// // figure: output/day4/packing.svg
    /// ```
    ///
    /// - Parameters:
    ///   - name: the file name, with or without the `.svg` extension.
    ///   - print: where the line goes; standard output by default.
    /// - Throws: the file system's error when the file cannot be written.
    @discardableResult
    public func write(figure: String, name: String, print: (String) -> Void = { Swift.print($0) }) throws -> String {
        try write(svg: figure, name: name, kind: .figure, print: print)
    }

    /// What an SVG file holds, the word that starts the line printed for it.
    enum Kind: String {
        case plot, figure
    }

    /// `name` with the `.svg` extension.
    static func fileName(_ name: String) -> String { name.hasSuffix(".svg") ? name : name + ".svg" }

    /// Writes `svg` as `name.svg`, creating the folder, and prints `<kind>: <path>`:
    /// the one path every plot and figure is written by.
    func write(svg: String, name: String, kind: Kind, print: (String) -> Void) throws -> String {
        precondition(
            !name.isEmpty && !name.contains("/") && name != "." && name != "..",
            "OutputFolder.write: \(kind) name \"\(name)\" should be a plain file name such as \"loss\"")
        let url = URL(fileURLWithPath: path(of: Self.fileName(name)))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try svg.write(to: url, atomically: true, encoding: .utf8)
        let shown = Self.displayPath(url.path)
        print("\(kind): \(shown)")
        return shown
    }

    /// `path` relative to the current directory when it lies below it, else `path`.
    public static func displayPath(_ path: String, from directory: String = FileManager.default.currentDirectoryPath) -> String {
        let base = URL(fileURLWithPath: directory).standardizedFileURL.path
        let target = URL(fileURLWithPath: path).standardizedFileURL.path
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return target.hasPrefix(prefix) ? String(target.dropFirst(prefix.count)) : target
    }
}

extension OutputFolder {
    /// Writes `plot` like ``write(_:name:print:)``, but reports a failure
    /// instead of throwing it: one line naming the file and the reason, on
    /// standard error by default, and the lesson goes on.
    ///
    /// ```
    /// plot: could not write output/day2/loss.svg: Not a directory (output is a file, not a folder)
    /// ```
    ///
    /// - Returns: the printed path, or `nil` when the file could not be written.
    @discardableResult
    public func writeReportingFailure(
        _ plot: LinePlot, name: String, print: (String) -> Void = { Swift.print($0) },
        report: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    ) -> String? {
        writeReportingFailure(svg: plot.svg(), name: name, kind: .plot, print: print, report: report)
    }

    /// Writes the SVG document `figure` like ``write(figure:name:print:)``,
    /// but reports a failure instead of throwing it, like
    /// ``writeReportingFailure(_:name:print:report:)``.
    ///
    /// - Returns: the printed path, or `nil` when the file could not be written.
    @discardableResult
    public func writeReportingFailure(
        figure: String, name: String, print: (String) -> Void = { Swift.print($0) },
        report: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    ) -> String? {
        writeReportingFailure(svg: figure, name: name, kind: .figure, print: print, report: report)
    }

    /// Writes `svg` and turns a thrown error into one reported line.
    func writeReportingFailure(
        svg: String, name: String, kind: Kind, print: (String) -> Void, report: (String) -> Void
    ) -> String? {
        do {
            return try write(svg: svg, name: name, kind: kind, print: print)
        } catch {
            let file = path(of: Self.fileName(name))
            report("\(kind): could not write \(Self.displayPath(file)): \(Self.reason(for: error))")
            return nil
        }
    }

    /// Why a file operation failed, in words: the operating system's reason
    /// (`Permission denied`, `Not a directory`), not Foundation's
    /// `NSCocoaErrorDomain error 512`, and which file is in the way when a
    /// folder on the path is a file.
    static func reason(for error: Error) -> String {
        let error = error as NSError
        // The underlying error is a Swift `Error` on Linux, an NSError on macOS.
        let underlying = (error.userInfo[NSUnderlyingErrorKey] as? Error).map { $0 as NSError }
        let posix = [error, underlying].compactMap { $0 }.first { $0.domain == NSPOSIXErrorDomain }
        guard let posix else { return error.localizedDescription }
        var reason = String(cString: strerror(Int32(posix.code)))
        if posix.code == Int(ENOTDIR), let target = error.userInfo[NSFilePathErrorKey] as? String,
           let file = firstFile(onPathTo: target) {
            reason += " (\(displayPath(file)) is a file, not a folder)"
        }
        return reason
    }

    /// The first existing path on the way to `path` that is not a folder.
    static func firstFile(onPathTo path: String) -> String? {
        var partial = ""
        for component in URL(fileURLWithPath: path).standardizedFileURL.pathComponents.dropLast() {
            partial = partial.isEmpty ? component : (partial as NSString).appendingPathComponent(component)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: partial, isDirectory: &isFolder) else { return nil }
            if !isFolder.boolValue { return partial }
        }
        return nil
    }
}

extension Lesson {
    /// The lesson's output folder, `output/day<day>/` under the package root.
    public var outputFolder: OutputFolder { OutputFolder(day: info.day) }

    /// Writes `plot` as `output/day<day>/<name>.svg` and prints where; a
    /// failure to write is one line on standard error naming the file and
    /// the reason, and the lesson goes on.
    ///
    /// ```swift
    /// lesson.writePlot(plot, name: "loss")   // plot: output/day2/loss.svg
    /// ```
    ///
    /// - Returns: the printed path, or `nil` when the file could not be written.
    @discardableResult
    public func writePlot(_ plot: LinePlot, name: String) -> String? {
        outputFolder.writeReportingFailure(plot, name: name)
    }

    /// Writes the SVG document `figure` as `output/day<day>/<name>.svg` and
    /// prints where, like ``writePlot(_:name:)``; a failure to write is one
    /// line on standard error and the lesson goes on.
    ///
    /// ```swift
    /// lesson.writeFigure(packingDiagramSVG(lengths: [3, 4, 5]), name: "packing")
    /// // figure: output/day4/packing.svg
    /// ```
    ///
    /// - Returns: the printed path, or `nil` when the file could not be written.
    @discardableResult
    public func writeFigure(_ figure: String, name: String) -> String? {
        outputFolder.writeReportingFailure(figure: figure, name: name)
    }
}
