import Foundation
import Testing
import Torchlet
@testable import Course

/// Where lessons write their plots: `output/dayN/` under the package root.
@Suite struct OutputFolderTests {
    /// A fresh temporary package: a folder holding a Package.swift and a subfolder.
    static func temporaryPackage() throws -> (root: String, subfolder: String) {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("output-folder-\(UUID().uuidString)").standardizedFileURL
        let subfolder = root.appendingPathComponent("Lessons/Day02")
        try FileManager.default.createDirectory(at: subfolder, withIntermediateDirectories: true)
        try "// swift-tools-version:6.0\n".write(to: root.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        return (root.path, subfolder.path)
    }

    @Test func packageRootIsFoundFromASubfolder() throws {
        let (root, subfolder) = try Self.temporaryPackage()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(OutputFolder.packageRoot(from: subfolder) == root)
        #expect(OutputFolder.packageRoot(from: root) == root)
    }

    @Test func withoutAPackageTheDirectoryItselfIsUsed() throws {
        let lonely = FileManager.default.temporaryDirectory.appendingPathComponent("no-package-\(UUID().uuidString)").standardizedFileURL
        try FileManager.default.createDirectory(at: lonely, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: lonely) }
        // /tmp has no Package.swift above it on a normal machine.
        if !FileManager.default.fileExists(atPath: "/Package.swift") && !FileManager.default.fileExists(atPath: "/tmp/Package.swift") {
            #expect(OutputFolder.packageRoot(from: lonely.path) == lonely.path)
        }
    }

    @Test func writePlotCreatesTheFolderAndPrintsWhere() throws {
        let (root, _) = try Self.temporaryPackage()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = OutputFolder(day: 7, root: root)
        var plot = LinePlot(title: "loss")
        plot.addSeries("train", y: [3.0, 2.0, 1.5])
        var printed: [String] = []
        let shown = try folder.write(plot, name: "loss") { printed.append($0) }
        let file = folder.path(of: "loss.svg")
        #expect(FileManager.default.fileExists(atPath: file))
        #expect(file.hasSuffix("output/day7/loss.svg"))
        #expect(printed == ["plot: \(shown)"])
        let svg = try String(contentsOfFile: file, encoding: .utf8)
        #expect(svg.hasPrefix("<svg") || svg.hasPrefix("<?xml"))
        #expect(svg.contains("train"))
    }

    @Test func displayPathIsRelativeBelowTheCurrentDirectory() {
        #expect(OutputFolder.displayPath("/a/b/output/day2/loss.svg", from: "/a/b") == "output/day2/loss.svg")
        #expect(OutputFolder.displayPath("/elsewhere/loss.svg", from: "/a/b") == "/elsewhere/loss.svg")
    }
}
