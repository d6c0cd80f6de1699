#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sets whether the calling thread rounds subnormal floats to zero, like
/// `torch.set_flush_denormal(mode)`; returns whether this CPU and system support it.
///
/// Subnormal (denormal) numbers are the tiny values below
/// `Float.leastNormalMagnitude` (about 1.2e-38). Many x86 CPUs, Intel's
/// among them, compute with them in microcode, tens of times slower than
/// with normal numbers (AMD's Zen 3 loses little), and a gradient
/// that fades through hundreds of LSTM steps lands exactly there: Day 8
/// shows it, and times a product in subnormals on the CPU it runs on. With
/// the flag on, the CPU treats them as zero (the FTZ and DAZ bits of the
/// SSE control register MXCSR); the results then differ from IEEE
/// arithmetic only in values already below 1e-38.
///
/// As in PyTorch, the setting belongs to the calling thread, and it is off
/// by default; Torchlet's worker threads take the setting of the thread
/// whose work they share (`WorkerPool`). Supported on x86-64 Linux;
/// elsewhere it does nothing and returns `false` (ARM CPUs handle
/// subnormals at full speed anyway).
@discardableResult
public func setFlushDenormal(_ on: Bool) -> Bool {
    #if arch(x86_64) && os(Linux)
    var environment = fenv_t()
    guard fegetenv(&environment) == 0 else { return false }
    if on {
        environment.__mxcsr |= flushToZeroAndDenormalsAreZero
    } else {
        environment.__mxcsr &= ~flushToZeroAndDenormalsAreZero
    }
    return fesetenv(&environment) == 0
    #else
    return false
    #endif
}

#if arch(x86_64) && os(Linux)
/// The FTZ (bit 15) and DAZ (bit 6) bits of the SSE control register MXCSR.
private let flushToZeroAndDenormalsAreZero: UInt32 = 0x8040
#endif

/// Whether the calling thread flushes subnormal floats to zero (see `setFlushDenormal`).
func isFlushingDenormals() -> Bool {
    #if arch(x86_64) && os(Linux)
    var environment = fenv_t()
    guard fegetenv(&environment) == 0 else { return false }
    return environment.__mxcsr & flushToZeroAndDenormalsAreZero == flushToZeroAndDenormalsAreZero
    #else
    return false
    #endif
}
