// swift-tools-version:6.0
import PackageDescription

/// Torchlet is always compiled optimized, even in a debug build, so that
/// `swift run day1` is fast without `-c release`. Unsafe flags are allowed
/// because this is the root package.
let optimizedInDebug: [SwiftSetting] = [
    .unsafeFlags(["-O"], .when(configuration: .debug)),
]

let days = (1...10).map { day in
    Target.executableTarget(
        name: "day\(day)",
        dependencies: ["Torchlet", "Course", "Solutions"],
        path: "Lessons/Day" + (day < 10 ? "0\(day)" : "\(day)"),
        exclude: ["README.md"]
    )
}

let package = Package(
    name: "LSTMCourse",
    products: [
        .library(name: "Torchlet", targets: ["Torchlet"]),
        .executable(name: "weave", targets: ["weave"]),
    ] + (1...10).map { .executable(name: "day\($0)", targets: ["day\($0)"]) },
    targets: [
        .target(name: "Torchlet", swiftSettings: optimizedInDebug),
        .target(name: "Course", dependencies: ["Torchlet"]),
        .target(name: "Weaver"),
        .executableTarget(name: "weave", dependencies: ["Weaver"]),
        .target(name: "Solutions", dependencies: ["Torchlet", "Course"], path: "Solutions"),
        .target(name: "TestSupport", dependencies: ["Torchlet", "Course"], path: "Tests/TestSupport"),
        .testTarget(
            name: "TorchletTests",
            dependencies: ["Torchlet", "TestSupport"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "LessonTests",
            dependencies: ["Torchlet", "Course", "Solutions", "TestSupport", "Weaver"]
                + (1...10).map { .target(name: "day\($0)") }
        ),
    ] + days,
    swiftLanguageModes: [.v5]
)
