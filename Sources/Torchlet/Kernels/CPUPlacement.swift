#if canImport(Glibc)
import Glibc
#endif

/// Tells which CPU a thread runs on and sets the CPUs it may run on, so
/// that `WorkerPool` can keep a job's threads on different CPUs (Linux only).
///
/// Why a pool needs this: a worker that slept between jobs is woken by the
/// caller, and Linux may put it on the caller's own CPU even with another
/// one idle. On a 2-vCPU AMD EPYC virtual machine (a Firecracker guest)
/// the two threads then took turns on one CPU for milliseconds, with the
/// second CPU idle, before the scheduler spread them, so a product split in
/// two ran at one thread's speed: after 50 ms pauses, 571–590 of 800 jobs
/// of two 130 µs pieces ran both on one CPU, median job 261 µs
/// (`ThreadingMeasurement.piecesAfterAPause`). Pinning threads for good
/// would fight the scheduler once the caller moves. Instead the caller,
/// before waking workers, takes its own CPU out of their allowed CPUs, so
/// the wake-up lands elsewhere; each worker gives itself back all its CPUs
/// once awake, which leaves it where it is; and a worker that finds itself
/// on a CPU its job already uses moves off it the same way. (With that,
/// the same measurement: 6–10 of 800 jobs on one CPU, mostly the first
/// after a pause, median job 131–133 µs.)
///
/// CPUs are told apart by a bit of an `Int`, so only CPUs 0…63 take part;
/// elsewhere (macOS, higher CPUs) nothing moves.
enum CPUPlacement {
    /// A set of CPUs as Linux's `cpu_set_t` holds it: 1,024 bits, the first
    /// word CPUs 0…63.
    typealias CPUSet = [UInt64]

    private typealias GetCPU = @convention(c) () -> Int32
    private typealias GetThreadID = @convention(c) () -> Int32
    private typealias Affinity = @convention(c) (Int32, Int, UnsafeMutableRawPointer) -> Int32

    // sched_getcpu, gettid and the affinity calls are declared behind
    // _GNU_SOURCE, which the Glibc module does not export: they are looked
    // up by name, as `Allocator` does `mallopt`.
    #if canImport(Glibc)
    private static let getCPU = dlsym(nil, "sched_getcpu").map { unsafeBitCast($0, to: GetCPU.self) }
    private static let getThreadID = dlsym(nil, "gettid").map { unsafeBitCast($0, to: GetThreadID.self) }
    private static let getAffinity = dlsym(nil, "sched_getaffinity").map { unsafeBitCast($0, to: Affinity.self) }
    private static let setAffinity = dlsym(nil, "sched_setaffinity").map { unsafeBitCast($0, to: Affinity.self) }
    #endif

    /// The bit of the CPU the calling thread runs on, or 0 when unknown.
    static func currentCPUBit() -> Int {
        #if canImport(Glibc)
        guard let getCPU else { return 0 }
        let cpu = Int(getCPU())
        return (0..<Int.bitWidth).contains(cpu) ? 1 << cpu : 0
        #else
        return 0
        #endif
    }

    /// The calling thread's id for `setAllowedCPUs`, or 0 when unknown.
    static func currentThreadID() -> Int32 {
        #if canImport(Glibc)
        return getThreadID?() ?? 0
        #else
        return 0
        #endif
    }

    /// The CPUs the calling thread may run on, or nil when unknown.
    static func allowedCPUs() -> CPUSet? {
        #if canImport(Glibc)
        guard let getAffinity else { return nil }
        var allowed = CPUSet(repeating: 0, count: 16)
        let got = allowed.withUnsafeMutableBytes { getAffinity(0, $0.count, $0.baseAddress!) }
        return got == 0 ? allowed : nil
        #else
        return nil
        #endif
    }

    /// Lets `thread` (0: the calling thread) run only on `cpus`; a running
    /// thread outside them moves at once, a sleeping one wakes inside them.
    static func setAllowedCPUs(_ cpus: CPUSet, thread: Int32 = 0) {
        #if canImport(Glibc)
        var cpus = cpus
        _ = cpus.withUnsafeMutableBytes { setAffinity?(thread, $0.count, $0.baseAddress!) }
        #endif
    }

    /// `cpus` without the CPUs of `taken`, or nil when that leaves none or
    /// takes none away.
    static func removing(_ taken: Int, from cpus: CPUSet) -> CPUSet? {
        var rest = cpus
        rest[0] &= ~UInt64(bitPattern: Int64(taken))
        return rest != cpus && rest.contains { $0 != 0 } ? rest : nil
    }

    /// Moves the calling thread off the CPUs of `taken`, onto one of
    /// `allowed`, then lets it run on all of `allowed` again; returns the
    /// bit of the CPU it runs on.
    static func moveOff(_ taken: Int, within allowed: CPUSet) -> Int {
        if let rest = removing(taken, from: allowed) {
            setAllowedCPUs(rest)
            setAllowedCPUs(allowed)
        }
        return currentCPUBit()
    }
}
