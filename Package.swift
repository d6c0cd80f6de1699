// swift-tools-version:6.0
import Foundation
import PackageDescription

/// Torchlet is always compiled optimized, even in a debug build, so that
/// `swift run day1` is fast without `-c release`. Unsafe flags are allowed
/// because this is the root package.
///
/// The target CPU: on x86-64 the default is `haswell` (AVX2 and FMA, every
/// x86-64 CPU since 2013), because the matrix kernels are built on fused
/// multiply-add, which the baseline x86-64 target lacks (its FMA falls back
/// to a library call per value, 20× slower). Apple Silicon always has it.
/// `TORCHLET_CPU=native swift build` builds for this machine's own CPU
/// (AVX-512 where present); measured in the README's Speed section.
let targetCPU: [String] = {
    if let cpu = ProcessInfo.processInfo.environment["TORCHLET_CPU"], !cpu.isEmpty {
        return ["-target-cpu", cpu]
    }
    #if arch(x86_64)
    return ["-target-cpu", "haswell"]
    #else
    return []
    #endif
}()

/// Sixteen-wide SIMD in the matrix kernel, for a native build on a CPU
/// with AVX-512 (read from /proc/cpuinfo on Linux).
let wideSIMD: [String] = {
    guard ProcessInfo.processInfo.environment["TORCHLET_CPU"] == "native",
          let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          cpuinfo.contains(" avx512f")
    else { return [] }
    return ["-D", "TORCHLET_WIDE_SIMD"]
}()

/// TorchletWide is GEMM.swift (and the LSTM's gate arithmetic) compiled
/// again for AVX-512 (`skylake-avx512`: F, CD, BW, DQ and VL, which every
/// AVX-512 CPU since 2017 has); Torchlet uses it only on CPUs that have it
/// (checked at run time). `TORCHLET_WIDE_MODULE` tells the shared files
/// which module they are in (`TORCHLET_WIDE_SIMD` is also set for Torchlet
/// itself in a native build).
#if arch(x86_64)
let wideTarget = ["-target-cpu", "skylake-avx512", "-D", "TORCHLET_WIDE_SIMD", "-D", "TORCHLET_WIDE_MODULE"]
#else
let wideTarget: [String] = []
#endif

let optimizedInDebug: [SwiftSetting] = [
    .unsafeFlags(["-O"], .when(configuration: .debug)),
    .unsafeFlags(targetCPU + wideSIMD),
]

let days = (1...10).map { day in
    Target.executableTarget(
        name: "day\(day)",
        dependencies: ["Torchlet", "Course", "Solutions"],
        path: "Lessons/Day" + (day < 10 ? "0\(day)" : "\(day)"),
        // The lesson text, its recorded output and its figures are not sources.
        // Every lesson folder has all three (an empty output.txt and a
        // figures/.gitkeep until there is something to record): the list is
        // fixed because SwiftPM caches a manifest's result across clones, so
        // a list computed from the files on disk goes stale.
        exclude: ["README.md", "output.txt", "figures"]
    )
}

let package = Package(
    name: "LSTMCourse",
    products: [
        .library(name: "Torchlet", targets: ["Torchlet"]),
        .executable(name: "weave", targets: ["weave"]),
        .executable(name: "bench", targets: ["bench"]),
        .executable(name: "scalingplot", targets: ["scalingplot"]),
        .executable(name: "grade", targets: ["grade"]),
    ] + (1...10).map { .executable(name: "day\($0)", targets: ["day\($0)"]) },
    targets: [
        .target(name: "Torchlet", dependencies: ["TorchletWide", "CacheHints"], swiftSettings: optimizedInDebug),
        .target(name: "TorchletWide", dependencies: ["CacheHints"], swiftSettings: [
            .unsafeFlags(["-O"], .when(configuration: .debug)),
            .unsafeFlags(wideTarget),
        ]),
        // A C header for what Swift cannot say: a prefetch (see GEMM.block).
        .target(name: "CacheHints"),
        .target(name: "Course", dependencies: ["Torchlet", "Markup"]),
        .target(name: "Markup"),
        .target(name: "Weaver"),
        .target(name: "Grading", dependencies: ["Weaver", "Markup"]),
        .executableTarget(name: "grade", dependencies: ["Grading"]),
        .executableTarget(name: "weave", dependencies: ["Weaver"]),
        .executableTarget(name: "bench", dependencies: ["Torchlet", "Course"], swiftSettings: optimizedInDebug),
        .executableTarget(name: "scalingplot", dependencies: ["Course"]),
        .target(name: "Solutions", dependencies: ["Torchlet", "Course"], path: "Solutions"),
        .target(name: "TestSupport", dependencies: ["Torchlet", "Course", "Grading"], path: "Tests/TestSupport"),
        .testTarget(
            name: "TorchletTests",
            dependencies: ["Torchlet", "TorchletWide", "TestSupport"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "LessonTests",
            dependencies: ["Torchlet", "Course", "Solutions", "TestSupport", "Weaver", "Grading"]
                + (1...10).map { .target(name: "day\($0)") }
        ),
    ] + days,
    swiftLanguageModes: [.v5]
)
