#if canImport(Glibc)
import Glibc
#endif

/// Keeps large tensor buffers in the process heap between uses.
///
/// glibc serves every allocation above its mmap threshold (128 KB to start)
/// with a fresh `mmap` and returns it with `munmap` on free, so a training
/// loop that allocates the same few megabytes every step spends a third of
/// its time in the kernel zeroing new pages (measured on the LSTM benchmark).
/// Raising the thresholds makes freed buffers reusable, which is what
/// PyTorch's caching allocator achieves for the same reason. Other systems'
/// allocators (macOS) already cache, so this is a no-op there.
enum Allocator {
    /// Runs once, the first time a kernel asks for it.
    static let configured: Void = {
        #if canImport(Glibc)
        // mallopt is in <malloc.h>, which the Glibc module does not export;
        // look it up by name and call it with the C calling convention.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let mTrimThreshold: Int32 = -1, mMmapThreshold: Int32 = -3  // from <malloc.h>
        if let symbol = dlsym(nil, "mallopt") {
            let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
            _ = mallopt(mMmapThreshold, 256 << 20)
            _ = mallopt(mTrimThreshold, 512 << 20)
        }
        #endif
    }()
}
