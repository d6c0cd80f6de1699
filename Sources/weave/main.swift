// weave: writes each lesson's README.md from its Swift sources (see Weaver).
import Foundation
import Weaver

let usage = """
    usage: swift run weave [--check | --run] [LESSON_DIR ...]

    Writes README.md in each lesson directory from its Swift sources
    (main.swift, Exercises.swift, then the other .swift files), turning
    /*: ... */ blocks and //: lines into prose and the rest into Swift code blocks.

      (no directories)  every Lessons/Day* directory of the package
      --check           write nothing; exit 1 listing each README that is stale or missing
      --run             first record each lesson's reference run (--solution): its output
                        under each code block (output.txt) and its plots (figures/);
                        builds an instrumented copy in .build/weave-run (minutes the first time)
      -h, --help        show this help
    """

func fail(_ message: String, code: Int32 = 2) -> Never {
    FileHandle.standardError.write(Data("weave: \(message)\n".utf8))
    exit(code)
}

var check = false
var record = false
var directories: [URL] = []
let currentDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
for argument in CommandLine.arguments.dropFirst() {
    switch argument {
    case "-h", "--help":
        print(usage)
        exit(0)
    case "--check":
        check = true
    case "--run":
        record = true
    default:
        if argument.hasPrefix("-") { fail("unknown option \"\(argument)\"\n\n\(usage)") }
        directories.append(URL(fileURLWithPath: argument, relativeTo: currentDirectory).standardizedFileURL)
    }
}

if directories.isEmpty {
    guard let root = Weaver.findRoot(from: currentDirectory) else {
        fail("no Lessons directory here or above \(currentDirectory.path); run weave from the package root")
    }
    do {
        directories = try Weaver.lessonDirectories(under: root)
    } catch {
        fail("cannot list \(root.appendingPathComponent("Lessons").path): \(error)")
    }
}

func display(_ url: URL) -> String {
    let base = currentDirectory.standardizedFileURL.path + "/"
    return url.path.hasPrefix(base) ? String(url.path.dropFirst(base.count)) : url.path
}

if check && record { fail("--check and --run do not go together") }
if record {
    guard let root = Weaver.findRoot(from: directories.first ?? currentDirectory) else {
        fail("no Lessons directory above \(display(directories.first ?? currentDirectory))")
    }
    do {
        // Lessons still being written (no Exercises.swift yet) have nothing to record.
        try Recorder(root: root).record(directories.filter {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("Exercises.swift").path)
        }, display: display)
    } catch {
        fail("\(error)")
    }
}

var stale: [String] = []
for directory in directories {
    guard Weaver.isLessonDirectory(directory) else { fail("\(display(directory)) has no main.swift") }
    do {
        if check {
            if let found = try Weaver.staleReadme(in: directory) {
                stale.append(display(found.readme) + (found.isMissing ? " (missing)" : " (stale)"))
            }
        } else if try Weaver.writeReadme(in: directory) {
            print("wrote \(display(directory.appendingPathComponent(Weaver.readmeName)))")
        }
    } catch let error as WeaveError {
        fail("\(display(URL(fileURLWithPath: error.file)))\(error.line > 0 ? ":\(error.line)" : ""): \(error.problem)")
    } catch {
        fail("\(display(directory)): \(error)")
    }
}

if check {
    if stale.isEmpty {
        print("weave: \(directories.count) README\(directories.count == 1 ? "" : "s") up to date")
    } else {
        print("weave: these READMEs differ from their sources; run swift run weave and commit them:")
        stale.forEach { print("  " + $0) }
        exit(1)
    }
}
