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

/// The median time in milliseconds of `body` over `repeats` runs after `warmup`.
func medianMilliseconds(repeats: Int, warmup: Int = 2, _ body: () -> Void) -> Double {
    let times = sortedMilliseconds(repeats: repeats, warmup: warmup, body)
    return times[times.count / 2]
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
