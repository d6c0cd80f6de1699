import Foundation
import Testing
import TestSupport
@testable import Torchlet

/// Saving is atomic: a save that fails or is killed part-way leaves the
/// previous checkpoint byte-identical, and a failed save leaves no
/// temporary file behind.
@Suite struct AtomicSaveTests {
    /// A fresh empty folder with a small checkpoint `model.safetensors` in it.
    static func folderWithCheckpoint() throws -> (folder: String, path: String, bytes: Data) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("torchlet-atomic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        let path = folder + "/model.safetensors"
        try Linear(inFeatures: 3, outFeatures: 2, generator: Generator(seed: 0)).save(to: path)
        return (folder, path, try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Limits this process's file size to `bytes` (`ulimit -f`).
    static func limitFileSize(to bytes: UInt64) {
        var limit = rlimit(rlim_cur: rlim_t(bytes), rlim_max: rlim_t(bytes))
        #if os(Linux)
        let result = setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit)
        #else
        let result = setrlimit(RLIMIT_FSIZE, &limit)
        #endif
        precondition(result == 0, "setrlimit failed")
    }

    /// A 4 MB state dict, much larger than the file-size limit the tests set.
    static func largeStateDict() -> StateDict {
        StateDict([("embedding.weight", Tensor.ones([1000, 1000]))])
    }

    /// A file-size limit makes `write` fail with EFBIG after 64 KB (SIGXFSZ
    /// ignored): the save throws, naming the file and the reason, the old
    /// checkpoint is unchanged and the temporary file is gone.
    @Test func failedSaveKeepsThePreviousCheckpoint() async throws {
        let (folder, path, before) = try Self.folderWithCheckpoint()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) { [path = path as String] in
            signal(SIGXFSZ, SIG_IGN)
            AtomicSaveTests.limitFileSize(to: 64 * 1024)
            do {
                try AtomicSaveTests.largeStateDict().save(to: path)
                FileHandle.standardError.write(Data("the save did not fail\n".utf8))
                exit(1)
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                exit(error is StateDictError ? 0 : 2)
            }
        }
        expectStandardError(result, contains: [path + ": cannot save: write failed after", "File too large"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "the previous checkpoint is byte-identical")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["model.safetensors"], "no temporary file is left")
        #expect(try StateDict.load(from: path)["weight"]?.shape == [2, 3])
    }

    /// The same limit with SIGXFSZ's default action kills the process
    /// mid-write: the old checkpoint is still byte-identical.
    @Test func killedSaveKeepsThePreviousCheckpoint() async throws {
        let (folder, path, before) = try Self.folderWithCheckpoint()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        await #expect(processExitsWith: .signal(SIGXFSZ)) { [path = path as String] in
            // The test runner may pass SIGXFSZ on ignored or blocked: restore its default, killing action.
            signal(SIGXFSZ, SIG_DFL)
            var signals = sigset_t()
            sigemptyset(&signals)
            sigaddset(&signals, SIGXFSZ)
            pthread_sigmask(SIG_UNBLOCK, &signals, nil)
            AtomicSaveTests.limitFileSize(to: 64 * 1024)
            do {
                try AtomicSaveTests.largeStateDict().save(to: path)
            } catch {
                FileHandle.standardError.write(Data("not killed: \(error)\n".utf8))
            }
            exit(0)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "the previous checkpoint is byte-identical")
        let others = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0 != "model.safetensors" }
        #expect(others.allSatisfy { $0.hasPrefix(".model.safetensors.") && $0.hasSuffix(".tmp") }, "only a hidden temporary file may remain: \(others)")
    }

    @Test func thrownErrorsLeaveNoTemporaryFile() throws {
        let (folder, path, before) = try Self.folderWithCheckpoint()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The target is a folder: the rename fails after the data was written.
        let directoryTarget = folder + "/checkpoints"
        try FileManager.default.createDirectory(atPath: directoryTarget, withIntermediateDirectories: false)
        let renameError = #expect(throws: StateDictError.self) { try Self.largeStateDict().save(to: directoryTarget) }
        #expect(renameError.map(String.init(describing:))?.hasPrefix(directoryTarget + ": cannot save: cannot rename") == true,
                "\(String(describing: renameError))")
        // A NaN refused by the JSON writer: nothing is written at all.
        let model = Linear(inFeatures: 3, outFeatures: 2, generator: Generator(seed: 1))
        model.weight.scalars[0] = .nan
        #expect(throws: StateDictError.self) { try model.save(to: path, format: .json) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder)) == ["model.safetensors", "checkpoints"])
        // A folder that does not exist.
        let missing = folder + "/no/such/folder/model.safetensors"
        let missingError = #expect(throws: StateDictError.self) { try model.save(to: missing) }
        #expect(missingError.map(String.init(describing:))?.hasPrefix(missing + ": cannot save: cannot create a temporary file") == true)
    }

    @Test func overwriteKeepsPermissions() throws {
        let (folder, path, _) = try Self.folderWithCheckpoint()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        try Linear(inFeatures: 3, outFeatures: 2, generator: Generator(seed: 9)).save(to: path)
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["model.safetensors"])
    }
}
