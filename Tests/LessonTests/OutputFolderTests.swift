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

    @Test func writeFigureWritesTheSVGAsItIsAndPrintsWhere() throws {
        let (root, _) = try Self.temporaryPackage()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = OutputFolder(day: 4, root: root)
        let figure = packingDiagramSVG(lengths: [3, 4, 5])
        var printed: [String] = []
        let shown = try folder.write(figure: figure, name: "packing.svg") { printed.append($0) }
        let file = folder.path(of: "packing.svg")
        #expect(file.hasSuffix("output/day4/packing.svg"))
        #expect(printed == ["figure: \(shown)"])
        #expect(try String(contentsOfFile: file, encoding: .utf8) == figure)
    }

    @Test func aFigureThatCannotBeWrittenIsReportedAsAFigure() throws {
        let (root, _) = try Self.temporaryPackage()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(FileManager.default.createFile(atPath: root + "/output", contents: Data("not a folder".utf8)))
        let folder = OutputFolder(day: 4, root: root)
        var printed: [String] = [], reported: [String] = []
        let shown = folder.writeReportingFailure(figure: "<svg/>", name: "packing", print: { printed.append($0) },
                                                 report: { reported.append($0) })
        #expect(shown == nil && printed.isEmpty)
        #expect(reported == ["figure: could not write \(root)/output/day4/packing.svg: Not a directory "
                             + "(\(root)/output is a file, not a folder)"])
    }

    /// A small plot to write.
    static var plot: LinePlot {
        var plot = LinePlot(title: "loss")
        plot.addSeries("train", y: [3.0, 2.0, 1.5])
        return plot
    }

    @Test func aFileInTheWayIsReportedWithThePathAndTheReason() throws {
        let (root, _) = try Self.temporaryPackage()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(FileManager.default.createFile(atPath: root + "/output", contents: Data("not a folder".utf8)))
        let folder = OutputFolder(day: 7, root: root)
        var printed: [String] = [], reported: [String] = []
        let shown = folder.writeReportingFailure(Self.plot, name: "loss", print: { printed.append($0) },
                                                 report: { reported.append($0) })
        #expect(shown == nil && printed.isEmpty)
        #expect(reported == ["plot: could not write \(root)/output/day7/loss.svg: Not a directory "
                             + "(\(root)/output is a file, not a folder)"])
    }

    @Test func aFolderWhereThePlotGoesIsReported() throws {
        let (root, _) = try Self.temporaryPackage()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = OutputFolder(day: 7, root: root)
        try FileManager.default.createDirectory(atPath: folder.path(of: "loss.svg"), withIntermediateDirectories: true)
        var reported: [String] = []
        folder.writeReportingFailure(Self.plot, name: "loss", print: { _ in }, report: { reported.append($0) })
        #expect(reported.count == 1)
        #expect(reported.first?.hasPrefix("plot: could not write \(root)/output/day7/loss.svg: ") == true)
        #expect(reported.first?.contains("NSCocoaErrorDomain") == false, "\(reported)")
    }

    @Test func aReadOnlyFolderIsReported() throws {
        guard geteuid() != 0 else { return }  // root writes anywhere: nothing to see
        let (root, _) = try Self.temporaryPackage()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = OutputFolder(day: 7, root: root)
        try folder.create()
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path) }
        var reported: [String] = []
        folder.writeReportingFailure(Self.plot, name: "loss", print: { _ in }, report: { reported.append($0) })
        #expect(reported == ["plot: could not write \(root)/output/day7/loss.svg: Permission denied"])
    }

    @Test func aLessonReportsOnStandardErrorAndGoesOn() async {
        let result = await #expect(
            processExitsWith: .success, observing: [\.standardOutputContent, \.standardErrorContent]
        ) {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("plot-failure-\(UUID().uuidString)").path
            try! FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            try! "// swift-tools-version:6.0\n".write(toFile: root + "/Package.swift", atomically: true, encoding: .utf8)
            _ = FileManager.default.createFile(atPath: root + "/output", contents: Data())
            _ = FileManager.default.changeCurrentDirectoryPath(root)
            let info = LessonInfo(day: 7, about: "a test lesson")
            let lesson = Lesson(info: info, options: LessonOptions(defaultsFor: info))
            var plot = LinePlot(title: "loss")
            plot.addSeries("train", y: [3.0, 2.0])
            let shown = lesson.writePlot(plot, name: "loss")
            print(shown == nil ? "the lesson goes on" : "written?")
            try? FileManager.default.removeItem(atPath: root)
        }
        guard let result else { return }
        let stdout = String(decoding: result.standardOutputContent, as: UTF8.self)
        let stderr = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(stdout == "the lesson goes on\n")
        #expect(stderr == "plot: could not write output/day7/loss.svg: Not a directory (output is a file, not a folder)\n")
    }

    @Test func displayPathIsRelativeBelowTheCurrentDirectory() {
        #expect(OutputFolder.displayPath("/a/b/output/day2/loss.svg", from: "/a/b") == "output/day2/loss.svg")
        #expect(OutputFolder.displayPath("/elsewhere/loss.svg", from: "/a/b") == "/elsewhere/loss.svg")
    }
}
