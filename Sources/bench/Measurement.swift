import Foundation
import Torchlet

/// The times in milliseconds of `body` over `repeats` runs after `warmup`, fastest first.
func sortedMilliseconds(repeats: Int, warmup: Int = 2, _ body: () -> Void) -> [Double] {
    for _ in 0..<warmup { body() }
    var times: [Double] = []
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    return times.sorted()
}

/// The times in milliseconds of `body`, fastest first: `repeats` runs
/// after `warmup`, or with `--lockstep` one per turn standard input asks
/// for (each turn's line ending in what `afterTurn` returns, if given).
func timedMilliseconds(
    repeats: Int, warmup: Int = 2, afterTurn: (() -> String)? = nil, _ body: () -> Void
) -> [Double] {
    lockstep
        ? lockstepMilliseconds(warmup: warmup, afterTurn: afterTurn, body)
        : sortedMilliseconds(repeats: repeats, warmup: warmup, body)
}

/// The median of `timedMilliseconds`.
func medianMilliseconds(repeats: Int, warmup: Int = 2, _ body: () -> Void) -> Double {
    let times = timedMilliseconds(repeats: repeats, warmup: warmup, body)
    return times[times.count / 2]
}

/// Whether each case's timed runs take turns with another process (`--lockstep`).
nonisolated(unsafe) var lockstep = false

/// The times of `body`'s turns, fastest first, when a driver on standard
/// input alternates this process with another one (`scripts/lockstep.py`),
/// so that both sides' times are taken milliseconds apart.
///
/// After `warmup` runs it prints `bench: ready ms=…` (the last warm-up's
/// time). Then, for each line `run W N`, it runs `body` `W` times untimed
/// (to bring its data back into the caches the other process used) and `N`
/// times timed, and prints `bench: turn ms=…`, the median of the `N`,
/// followed by what `afterTurn` returns (more `name=value` fields, measured
/// right after the timed runs); a line `stop`, or the end of the input,
/// ends the case.
func lockstepMilliseconds(warmup: Int, afterTurn: (() -> String)? = nil, _ body: () -> Void) -> [Double] {
    var last = 0.0
    for _ in 0..<max(1, warmup) { last = sortedMilliseconds(repeats: 1, warmup: 0, body)[0] }
    print("bench: ready ms=\(String(format: "%.3f", last))")
    fflush(stdout)
    var turns: [Double] = []
    while let line = readLine(), line != "stop" {
        let words = line.split(separator: " ")
        guard words.count == 3, words[0] == "run", let untimed = Int(words[1]), let timed = Int(words[2]),
              untimed >= 0, timed > 0
        else {
            FileHandle.standardError.write("bench: --lockstep expects 'run W N' or 'stop', got '\(line)'\n".data(using: .utf8)!)
            exit(2)
        }
        let times = sortedMilliseconds(repeats: timed, warmup: untimed, body)
        turns.append(times[times.count / 2])
        print("bench: turn ms=\(String(format: "%.4f", turns.last!))" + (afterTurn?() ?? ""))
        fflush(stdout)
    }
    guard !turns.isEmpty else {
        FileHandle.standardError.write("bench: --lockstep got no 'run' line\n".data(using: .utf8)!)
        exit(2)
    }
    return turns.sorted()
}

/// The median time of forward + backward through a recurrent layer: `run`
/// maps a fresh leaf copy of `input` to the output rows and the final `h`,
/// and the loss is the sum of both.
func trainingMilliseconds(
    _ module: Module, _ input: Tensor, repeats: Int, warmup: Int = 2, _ run: (Tensor) -> (output: Tensor, h: Tensor)
) -> Double {
    medianMilliseconds(repeats: repeats, warmup: warmup) {
        let x = Tensor(input.scalars, shape: input.shape, requiresGrad: true)
        let (output, h) = run(x)
        (output.sum() + h.sum()).backward()
        module.zeroGrad()
    }
}

/// Prints one case's line, `bench: case=NAME ms=… gflops=… threads=N`,
/// and any `extra` fields after it (scripts parse the first four).
func report(_ name: String, ms: Double, flops: Double? = nil, extra: String = "") {
    let gflops = flops.map { String(format: "%.1f", $0 / (ms * 1e6)) } ?? "-"
    print("bench: case=\(name) ms=\(String(format: "%.3f", ms)) gflops=\(gflops) threads=\(Parallelism.threadCount)" + extra)
}

/// The largest resident set of this process so far, in megabytes
/// (`getrusage`'s `ru_maxrss`: kilobytes on Linux, bytes on macOS).
func peakResidentMegabytes() -> Double {
    var usage = rusage()
    #if canImport(Darwin)
    getrusage(RUSAGE_SELF, &usage)
    return Double(usage.ru_maxrss) / 1_048_576
    #else
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)  // Glibc imports RUSAGE_SELF as an enum case
    return Double(usage.ru_maxrss) / 1024
    #endif
}
