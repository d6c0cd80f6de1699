import Foundation
import Synchronization

/// A few threads, started once and kept, that run the pieces of one job
/// together with the calling thread: the parallel loop under Torchlet's
/// matrix products and recurrent layers (see `Parallelism.perform`).
///
/// Why not `DispatchQueue.concurrentPerform`: a recurrent layer wants a
/// parallel loop several times per batch, and a worker that spins a little
/// between jobs starts the next one in well under a microsecond instead of
/// waiting to be woken. How it works:
/// - **Claiming.** The pieces are handed out through one atomic *ticket*
///   (job number, piece count, next piece): the caller and every worker
///   take the next unclaimed piece with a compare-and-swap until none is
///   left. So the caller never waits for a worker to start: if the worker
///   is slow to wake (a busy machine), the caller runs every piece itself,
///   no slower than one thread. Which thread ran a piece changes nothing
///   in the results.
/// - **Waiting.** A worker with nothing to do spins for `spinLimit` checks
///   of the ticket (tens of microseconds), so back-to-back jobs find it
///   awake, then sleeps on a semaphore until the next job. The caller,
///   once its own pieces are done, waits for the last piece the same way.
/// - **Where threads run.** Linux may wake a worker on the caller's CPU
///   while another CPU idles, and leave the two sharing it for
///   milliseconds; so the caller takes its CPU out of the sleeping
///   workers' allowed CPUs before waking them, a worker gives itself back
///   all its CPUs once awake, and a worker that finds itself on a CPU the
///   job already uses moves off it (`CPUPlacement`).
/// - **The caller's arithmetic.** A worker takes the caller's
///   `setFlushDenormal` mode at the start of each job, so a piece computes
///   the same on any thread.
/// - **One job at a time.** A call made while a job is running (from
///   another thread, or from inside a piece) runs its pieces inline, one
///   after another: no deadlock, and the same results.
///
/// Thread safety: every field shared between threads is an `Atomic` or a
/// semaphore, except `body`, which the caller writes before publishing the
/// ticket and clears only after every piece has finished; a worker reads it
/// only while it holds a claimed piece.
@available(macOS 15, iOS 18, tvOS 18, watchOS 11, visionOS 2, *)
final class WorkerPool: @unchecked Sendable {
    /// The pool every kernel shares; its threads start on first use.
    static let shared = WorkerPool()

    /// Checks of the ticket before a waiting thread sleeps: about 30 µs
    /// (a check takes 0.5 ns on the development machine), a little longer
    /// than waking a sleeping worker costs (12–16 µs median, measured by
    /// `ThreadingMeasurement`), so back-to-back jobs pay no wake-up and an
    /// idle pool soon stops using the CPU.
    static let spinLimit = 1 << 16

    /// Job number (bits 32…), piece count (16…31) and next piece (0…15).
    private let ticket = Atomic<Int>(0)
    /// Pieces of the current job that have finished.
    private let finished = Atomic<Int>(0)
    /// Whether a job is running (taken by the caller that runs it).
    private let busy = Atomic<Bool>(false)
    /// Workers that went to sleep (or are about to) on `workerSignal`.
    private let sleepers = Atomic<Int>(0)
    private let workerSignal = DispatchSemaphore(value: 0)
    /// Whether the caller sleeps on `callerSignal` for the last piece.
    private let callerSleeps = Atomic<Bool>(false)
    private let callerSignal = DispatchSemaphore(value: 0)
    /// The CPUs the current job's threads run on, one bit each
    /// (`CPUPlacement`; a hint, 0 when unknown).
    private let takenCPUs = Atomic<Int>(0)
    /// Whether the current job's caller flushes subnormals to zero (published with the ticket).
    private let callerFlushes = Atomic<Bool>(false)
    /// The current job's body (see the type's thread-safety note).
    private var body: ((Int) -> Void)?
    /// Touched only by the caller that holds `busy`.
    private var workers: [Worker] = [], jobNumber = 0

    /// A worker thread's id and the CPUs it may run on (those of the
    /// thread that started it), for `CPUPlacement`.
    private final class Worker: Sendable {
        let allowedCPUs = CPUPlacement.allowedCPUs()
        /// Set by the thread once it runs; 0 until then.
        let threadID = Atomic<Int32>(0)
    }

    /// Runs `body(0)`, …, `body(count − 1)` on the calling thread and the
    /// pool's workers, and returns when all have finished.
    ///
    /// The pool starts workers until it has `threads − 1`; ones started
    /// earlier for a larger `threads` that are still spinning may join in
    /// (results do not depend on which thread runs a piece).
    ///
    /// - Precondition: `count` < 65,536.
    func perform(_ count: Int, threads: Int, _ body: (Int) -> Void) {
        precondition(count < 1 << 16, "WorkerPool.perform: \(count) pieces, at most 65,535")
        guard count > 1, threads > 1,
              busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else {
            for piece in 0..<count { body(piece) }
            return
        }
        while workers.count < threads - 1 { startWorker() }
        withoutActuallyEscaping(body) { body in
            self.body = body
            callerFlushes.store(isFlushingDenormals(), ordering: .relaxed)
            let cpu = CPUPlacement.currentCPUBit()
            takenCPUs.store(cpu, ordering: .relaxed)
            finished.store(0, ordering: .relaxed)
            jobNumber = (jobNumber + 1) & 0x7FFF_FFFF
            ticket.store(jobNumber << 32 | count << 16, ordering: .sequentiallyConsistent)
            wakeWorkers(min(count, threads) - 1, awayFrom: cpu)
            runPieces(of: jobNumber)
            waitUntilFinished(count)
            self.body = nil
        }
        busy.store(false, ordering: .releasing)
    }

    /// Claims and runs pieces of job `job` until none is left.
    private func runPieces(of job: Int) {
        var current = ticket.load(ordering: .acquiring)
        while current >> 32 == job {
            let count = (current >> 16) & 0xFFFF, piece = current & 0xFFFF
            if piece >= count { return }
            let (claimed, seen) = ticket.compareExchange(
                expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if !claimed {
                current = seen
                continue
            }
            body!(piece)
            if finished.add(1, ordering: .acquiringAndReleasing).newValue == count,
               callerSleeps.exchange(false, ordering: .sequentiallyConsistent) {
                callerSignal.signal()
            }
            current = ticket.load(ordering: .acquiring)
        }
    }

    /// Spins, then sleeps, until all `count` pieces have finished.
    private func waitUntilFinished(_ count: Int) {
        var spins = 0
        while finished.load(ordering: .acquiring) < count {
            spins += 1
            guard spins >= Self.spinLimit else { continue }
            callerSleeps.store(true, ordering: .sequentiallyConsistent)
            // The worker that finishes the last piece signals only if it
            // takes the flag back; if it did, consume that signal.
            if finished.load(ordering: .sequentiallyConsistent) < count
                || !callerSleeps.exchange(false, ordering: .sequentiallyConsistent) {
                callerSignal.wait()
            }
        }
    }

    /// Wakes up to `wanted` sleeping workers (spinning ones see the
    /// ticket), on CPUs other than `callerCPU` (a bit; 0 when unknown).
    private func wakeWorkers(_ wanted: Int, awayFrom callerCPU: Int) {
        var woken = 0
        var asleep = sleepers.load(ordering: .sequentiallyConsistent)
        if asleep > 0 {
            // The semaphore does not say which worker it wakes, so every
            // started worker is narrowed; one still spinning keeps the
            // narrowed CPUs until it next sleeps, which only keeps it off
            // this CPU (and `moveOff` starts from all its CPUs).
            for worker in workers {
                let id = worker.threadID.load(ordering: .relaxed)
                if id != 0, let allowed = worker.allowedCPUs,
                   let rest = CPUPlacement.removing(callerCPU, from: allowed) {
                    CPUPlacement.setAllowedCPUs(rest, thread: id)
                }
            }
        }
        while woken < wanted && asleep > 0 {
            let (taken, seen) = sleepers.compareExchange(
                expected: asleep, desired: asleep - 1, ordering: .sequentiallyConsistent)
            if taken {
                workerSignal.signal()
                woken += 1
                asleep -= 1
            } else {
                asleep = seen
            }
        }
    }

    private func startWorker() {
        let worker = Worker()
        workers.append(worker)
        let thread = Thread { [self] in work(worker) }
        thread.name = "Torchlet worker \(workers.count)"
        thread.start()
    }

    /// A worker's life: wait for a new job, help run it, repeat.
    private func work(_ worker: Worker) {
        worker.threadID.store(CPUPlacement.currentThreadID(), ordering: .relaxed)
        var lastJob = 0, flushes = false
        while true {
            lastJob = nextJob(after: lastJob, worker)
            let wanted = callerFlushes.load(ordering: .relaxed)  // published by the ticket's store, read after it
            if wanted != flushes {
                setFlushDenormal(wanted)
                flushes = wanted
            }
            let cpu = CPUPlacement.currentCPUBit()
            let taken = takenCPUs.bitwiseOr(cpu, ordering: .relaxed).oldValue
            if cpu & taken != 0, let allowed = worker.allowedCPUs {
                takenCPUs.bitwiseOr(CPUPlacement.moveOff(taken, within: allowed), ordering: .relaxed)
            }
            runPieces(of: lastJob)
        }
    }

    /// Spins, then sleeps, until the ticket shows a job other than `job`.
    ///
    /// A worker counts itself in `sleepers` before its last look at the
    /// ticket, so a caller that publishes a job after that look sees the
    /// count and signals; a count left by a worker that did not sleep
    /// only causes one harmless extra wake-up later.
    private func nextJob(after job: Int, _ worker: Worker) -> Int {
        var spins = 0
        while true {
            let current = ticket.load(ordering: .acquiring) >> 32
            if current != job { return current }
            spins += 1
            guard spins >= Self.spinLimit else { continue }
            sleepers.add(1, ordering: .sequentiallyConsistent)
            if ticket.load(ordering: .sequentiallyConsistent) >> 32 == job { workerSignal.wait() }
            // The caller may have narrowed this thread's CPUs to wake it
            // away from its own (wakeWorkers); give them all back.
            if let allowed = worker.allowedCPUs { CPUPlacement.setAllowedCPUs(allowed) }
            spins = 0
        }
    }
}
