import Foundation

/// Runs a command in its own process group, its output appended to a log file, and stops the whole group after a time limit.
///
/// A process group, so that a stop also ends everything the command
/// started (the test runner and each exercise's child process): grading
/// never leaves a process running.
struct Subprocess {
    /// How the command ended.
    struct Ending {
        /// The exit status (or 128 + the signal), or `nil` when the time limit stopped it.
        var status: Int32?
        /// Wall-clock seconds it ran.
        var seconds: Double
    }

    /// Runs `arguments` (looked up on `PATH`) with `environment` added, writing its standard output and error to `log`
    /// (and to the terminal as well when `echo`).
    static func run(_ arguments: [String], environment: [String: String] = [:], log: URL, echo: Bool,
                    timeLimit: Double) throws -> Ending {
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let logFile = try FileHandle(forWritingTo: log)
        defer { try? logFile.close() }
        let pipe = Pipe()

        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t?
        var attributes: posix_spawnattr_t?
        #else
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        let write = pipe.fileHandleForWriting.fileDescriptor
        posix_spawn_file_actions_adddup2(&actions, write, 1)
        posix_spawn_file_actions_adddup2(&actions, write, 2)
        posix_spawn_file_actions_addclose(&actions, pipe.fileHandleForReading.fileDescriptor)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)

        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        let environmentLines = merged.map { "\($0.key)=\($0.value)" }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environmentLines.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        var pid: pid_t = 0
        let started = Date()
        let error = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
        try? pipe.fileHandleForWriting.close()
        guard error == 0 else {
            throw SubprocessError(description: "cannot run \(arguments[0]): \(String(cString: strerror(error)))")
        }

        // Copy the output on a thread of its own, so a full pipe never blocks the command.
        let reader = Thread {
            let handle = pipe.fileHandleForReading
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                logFile.write(data)
                if echo { FileHandle.standardOutput.write(data) }
            }
        }
        reader.start()

        var status: Int32 = 0
        var ended = false
        while !ended {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { ended = true; break }
            if Date().timeIntervalSince(started) > timeLimit {
                kill(-pid, SIGKILL)
                waitpid(pid, &status, 0)
                return Ending(status: nil, seconds: Date().timeIntervalSince(started))
            }
            usleep(50_000)
        }
        // The command is done; end anything it left running in its group.
        kill(-pid, SIGKILL)
        while !reader.isFinished { usleep(10_000) }
        let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Ending(status: code, seconds: Date().timeIntervalSince(started))
    }
}

/// A command that could not be started.
struct SubprocessError: Error, CustomStringConvertible {
    var description: String
}
