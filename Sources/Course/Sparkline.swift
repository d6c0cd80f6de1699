/// Draws a series as a one-line chart of block characters, lowest value `▁`, highest `█`.
///
/// ```swift
/// sparkline([3, 2, 1.5, 1.2, 1.1]) // "█▄▂▁▁"
/// ```
///
/// When `width` is given and the series is longer, consecutive values are
/// averaged into `width` buckets. A constant series draws at mid height;
/// non-finite values draw as a space.
public func sparkline<S: Sequence>(_ values: S, width: Int? = nil) -> String where S.Element: BinaryFloatingPoint {
    var series = values.map { Double($0) }
    if let width, width > 0, series.count > width {
        series = (0..<width).map { bucket in
            let range = (bucket * series.count / width)..<((bucket + 1) * series.count / width)
            return series[range].reduce(0, +) / Double(range.count)
        }
    }
    let ticks = Array("▁▂▃▄▅▆▇█")
    let finite = series.filter(\.isFinite)
    guard let low = finite.min(), let high = finite.max() else {
        return String(repeating: " ", count: series.count)
    }
    return String(series.map { value -> Character in
        guard value.isFinite else { return " " }
        guard high > low else { return ticks[3] }
        let index = Int(((value - low) / (high - low) * Double(ticks.count - 1)).rounded())
        return ticks[min(max(index, 0), ticks.count - 1)]
    })
}

/// Draws `value` as a horizontal bar of `width` cells for `max`, with eighth-cell resolution.
///
/// ```swift
/// bar(0.5, max: 1, width: 10) // "█████     "
/// ```
///
/// The result is always `width` characters (padded with spaces) so bars line
/// up in a table; values are clamped to `0...max`.
///
/// A `max` that is no positive number (every loss 0, or NaN, from a wrong
/// exercise) draws an empty bar rather than stopping the lesson.
///
/// - Precondition: `width >= 0`.
public func bar<F: BinaryFloatingPoint>(_ value: F, max: F, width: Int) -> String {
    precondition(width >= 0, "bar: width must be non-negative, got \(width)")
    guard max > 0 && max.isFinite else { return String(repeating: " ", count: width) }
    let fraction = value.isFinite ? Swift.min(Swift.max(Double(value) / Double(max), 0), 1) : 0
    let eighths = Int((fraction * Double(width) * 8).rounded())
    let partials = Array(" ▏▎▍▌▋▊▉")
    var text = String(repeating: "█", count: eighths / 8)
    if eighths % 8 > 0 { text.append(partials[eighths % 8]) }
    return text + String(repeating: " ", count: width - text.count)
}
