import Foundation
import Weaver

/// Records each lesson's reference run for its text: its output block by block (`output.txt`) and its figures (`figures/`).
///
/// It keeps an instrumented copy of the package in `.build/weave-run`
/// (only changed files are copied, so rebuilds are incremental), puts a
/// marker after each code block of each lesson's `main.swift`, builds,
/// runs each lesson with `--solution`, and splits the output at the markers.
struct Recorder {
    let root: URL
    var scratch: URL { root.appendingPathComponent(".build/weave-run") }

    /// Copies what the build needs into the scratch package, rewriting only files whose bytes changed and removing files the package no longer has.
    func syncCopy() throws {
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        for item in ["Package.swift", "Sources", "Lessons", "Solutions", "Tests"] {
            try sync(root.appendingPathComponent(item), to: scratch.appendingPathComponent(item))
        }
    }

    private func sync(_ source: URL, to destination: URL) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: source.path, isDirectory: &isDirectory) else { return }
        if isDirectory.boolValue {
            try manager.createDirectory(at: destination, withIntermediateDirectories: true)
            let names = try manager.contentsOfDirectory(atPath: source.path)
            for name in names {
                try sync(source.appendingPathComponent(name), to: destination.appendingPathComponent(name))
            }
            // What the package no longer has must go, or the copy would build it twice.
            for name in try manager.contentsOfDirectory(atPath: destination.path) where !names.contains(name) {
                try manager.removeItem(at: destination.appendingPathComponent(name))
            }
        } else {
            let data = try Data(contentsOf: source)
            if (try? Data(contentsOf: destination)) != data { try data.write(to: destination) }
        }
    }

    /// Writes `text` to `url` unless it already holds exactly that.
    private func write(_ text: String, to url: URL) throws {
        if (try? String(contentsOf: url, encoding: .utf8)) != text { try text.write(to: url, atomically: true, encoding: .utf8) }
    }

    /// Runs `arguments` in `directory`; returns the exit status and standard output.
    private func run(_ arguments: [String], in directory: URL, showOutput: Bool) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        if !showOutput { process.standardOutput = pipe }
        try process.run()
        let data = showOutput ? Data() : pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Records every lesson in `directories` and writes its `output.txt` and `figures/`.
    func record(_ directories: [URL], display: (URL) -> String) throws {
        try syncCopy()
        for directory in directories {
            let main = try String(contentsOf: directory.appendingPathComponent("main.swift"), encoding: .utf8)
            let copy = scratch.appendingPathComponent("Lessons").appendingPathComponent(directory.lastPathComponent)
            try write(try LessonOutput.instrumented(main), to: copy.appendingPathComponent("main.swift"))
        }
        print("weave: building the instrumented lessons in \(display(scratch)) …")
        let (built, _) = try run(["swift", "build"], in: scratch, showOutput: true)
        guard built == 0 else { throw RecorderError(message: "the instrumented copy does not build") }
        for directory in directories {
            let name = directory.lastPathComponent  // DayNN
            let day = Int(name.dropFirst(3)) ?? 0
            let program = scratch.appendingPathComponent(".build/debug/day\(day)").path
            let outputFolder = scratch.appendingPathComponent("output/day\(day)")
            try? FileManager.default.removeItem(at: outputFolder)
            print("weave: running day\(day) --solution …")
            let (status, output) = try run([program, "--solution"], in: scratch, showOutput: false)
            guard status == 0 else {
                throw RecorderError(message: "day\(day) --solution exited with status \(status):\n\(output.suffix(2000))")
            }
            let main = try String(contentsOf: directory.appendingPathComponent("main.swift"), encoding: .utf8)
            let codeBlocks = try Weaver.blocks(of: main, file: "main.swift").compactMap { block -> String? in
                if case .code(let code) = block { return code } else { return nil }
            }
            let recording = LessonOutput(run: output, codeBlocks: codeBlocks)
            try write(recording.text, to: directory.appendingPathComponent(LessonOutput.fileName))
            print("wrote \(display(directory.appendingPathComponent(LessonOutput.fileName)))")
            try copyFigures(from: outputFolder, to: directory.appendingPathComponent("figures"), display: display)
        }
    }

    /// Replaces the lesson's committed figures with the SVGs its run wrote.
    private func copyFigures(from folder: URL, to figures: URL, display: (URL) -> String) throws {
        let manager = FileManager.default
        let svgs = ((try? manager.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".svg") }.sorted()
        if let old = try? manager.contentsOfDirectory(atPath: figures.path) {
            for name in old where name.hasSuffix(".svg") && !svgs.contains(name) {
                try manager.removeItem(at: figures.appendingPathComponent(name))
            }
        }
        guard !svgs.isEmpty else { return }
        try manager.createDirectory(at: figures, withIntermediateDirectories: true)
        for name in svgs {
            try write(try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8),
                      to: figures.appendingPathComponent(name))
        }
        print("wrote \(svgs.count) figure\(svgs.count == 1 ? "" : "s") in \(display(figures))")
    }
}

/// A recording that could not be made.
struct RecorderError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
