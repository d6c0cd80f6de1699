import Foundation

/// A value that can appear in a `summary:` line or a progress line, printed compactly.
///
/// Floating-point values print with four decimals (`0.9612`), integers and
/// strings as they are.
public protocol MetricValue {
    /// The value as it appears after `key=`.
    var metricText: String { get }
}

extension Double: MetricValue {
    public var metricText: String { isFinite ? String(format: "%.4f", self) : "\(self)" }
}

extension Float: MetricValue {
    public var metricText: String { Double(self).metricText }
}

extension Int: MetricValue {
    public var metricText: String { String(self) }
}

extension String: MetricValue {
    /// The string, with spaces replaced by `_` so the line stays `key=value` pairs.
    public var metricText: String { replacingOccurrences(of: " ", with: "_") }
}

/// Formats the machine-readable line that ends every lesson.
///
/// ```swift
/// summaryLine(day: 1, ["accuracy": 0.9612, "baseline": 0.8123], seconds: 12.31)
/// // "summary: day=1 accuracy=0.9612 baseline=0.8123 seconds=12.3"
/// ```
///
/// Keys keep their order; `seconds` comes last, with one decimal.
public func summaryLine(day: Int, _ metrics: KeyValuePairs<String, any MetricValue>, seconds: Double) -> String {
    var parts = ["summary:", "day=\(day)"]
    for (key, value) in metrics {
        parts.append("\(key)=\(value.metricText)")
    }
    parts.append("seconds=" + String(format: "%.1f", seconds))
    return parts.joined(separator: " ")
}

/// Prints ``summaryLine(day:_:seconds:)``.
public func printSummary(day: Int, _ metrics: KeyValuePairs<String, any MetricValue>, seconds: Double) {
    print(summaryLine(day: day, metrics, seconds: seconds))
}

/// Measures elapsed wall-clock seconds on a monotonic clock.
///
/// ```swift
/// let stopwatch = Stopwatch()
/// train()
/// print(stopwatch.seconds) // 12.3
/// ```
public struct Stopwatch: Sendable {
    private var start: TimeInterval

    /// Starts measuring now.
    public init() {
        start = ProcessInfo.processInfo.systemUptime
    }

    /// Seconds since the stopwatch started or was last reset.
    public var seconds: Double {
        ProcessInfo.processInfo.systemUptime - start
    }

    /// Starts measuring again from now.
    public mutating func reset() {
        start = ProcessInfo.processInfo.systemUptime
    }

    /// Runs `body` and returns its result with the seconds it took.
    public static func time<T>(_ body: () throws -> T) rethrows -> (result: T, seconds: Double) {
        let stopwatch = Stopwatch()
        let result = try body()
        return (result, stopwatch.seconds)
    }
}
