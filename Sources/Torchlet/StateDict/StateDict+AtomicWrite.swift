import Foundation

extension StateDict {
    /// Writes `data` to `path` so that, at every moment, `path` holds either
    /// its previous contents or all of `data`, never a mix or a fragment.
    ///
    /// ```
    /// write  .model.safetensors.1a2b3c4d.tmp   (same folder, so rename cannot cross file systems)
    /// fsync  it                                 (the bytes are on disk before the name points to them)
    /// rename it over model.safetensors          (atomic in POSIX)
    /// fsync  the folder                         (the rename itself survives a power cut)
    /// ```
    ///
    /// On any error the temporary file is removed and the previous file is
    /// untouched. A process killed mid-write leaves the previous file intact
    /// too, and at worst a hidden `.…tmp` file beside it. The new file keeps
    /// the previous one's permissions.
    ///
    /// - Throws: `StateDictError` naming `path`, the step and the system's reason.
    static func writeAtomically(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/." + url.lastPathComponent + "." + UUID().uuidString.prefix(8).lowercased() + ".tmp"
        func failure(_ step: String, _ code: Int32) -> StateDictError {
            StateDictError(path: path, problem: "cannot save: \(step): \(String(cString: strerror(code)))")
        }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw failure("cannot create a temporary file in \(folder)", errno) }
        var isOpen = true, isRenamed = false
        defer {
            if isOpen { close(fd) }
            if !isRenamed { unlink(temporary) }
        }
        var previous = stat()
        if stat(path, &previous) == 0 && (previous.st_mode & S_IFMT) == S_IFREG {
            _ = fchmod(fd, previous.st_mode & 0o7777)
        }
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            // In chunks, so a slow disk or a signal interrupts cleanly between them.
            var offset = 0
            while offset < raw.count {
                let written = write(fd, raw.baseAddress! + offset, min(1 << 20, raw.count - offset))
                if written < 0 {
                    if errno == EINTR { continue }
                    throw failure("write failed after \(offset) of \(raw.count) bytes", errno)
                }
                offset += written
            }
        }
        guard fsync(fd) == 0 else { throw failure("fsync failed", errno) }
        isOpen = false
        guard close(fd) == 0 else { throw failure("close failed", errno) }
        guard rename(temporary, path) == 0 else { throw failure("cannot rename the temporary file over it", errno) }
        isRenamed = true
        let folderDescriptor = open(folder, O_RDONLY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            _ = fsync(folderDescriptor)  // best effort: not every file system syncs folders
            close(folderDescriptor)
        }
    }
}
