import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Shows the progress of long work on one line: `epoch 3/10  loss 0.4123  ETA 4s`.
///
/// On a terminal the line is redrawn in place with `\r` (at most ten times a
/// second). When standard output is not a terminal (a pipe, a CI log) it
/// prints plain lines instead, one per completed step, or one per tenth of the
/// work when there are more than 20 steps, so a log stays short.
///
/// ```swift
/// let progress = ProgressLine("epoch", total: epochs)
/// for epoch in 0..<epochs {
///     for (i, batch) in batches.enumerated() {
///         let loss = trainStep(batch)
///         progress.update(Double(epoch) + Double(i + 1) / Double(batches.count), ["loss": loss])
///     }
/// }
/// progress.finish()
/// ```
public final class ProgressLine {
    /// What one step is called, such as `epoch`.
    public let unit: String
    /// How many steps the work has.
    public let total: Int
    /// Whether the line is redrawn in place (`true` when standard output is a terminal).
    public let isTerminal: Bool

    private let write: (String) -> Void
    private let stopwatch = Stopwatch()
    private var lastDraw = -Double.infinity
    private var lastLogged = 0
    private var drawnWidth = 0
    private var line = ""
    private var finished = false

    /// Starts showing progress of `total` steps called `unit`.
    ///
    /// - Parameters:
    ///   - isTerminal: redraw one line in place; by default, whether standard output is a terminal.
    ///   - write: where the text goes; standard output by default.
    /// - Precondition: `total > 0`.
    public init(_ unit: String = "epoch", total: Int, isTerminal: Bool = standardOutputIsTerminal,
                write: ((String) -> Void)? = nil) {
        precondition(total > 0, "ProgressLine: total must be positive, got \(total)")
        self.unit = unit
        self.total = total
        self.isTerminal = isTerminal
        self.write = write ?? { text in
            fputs(text, stdout)
            fflush(stdout)
        }
    }

    /// Reports that `completed` steps are done (fractions allowed: 2.5 is halfway through step 3), with the latest `metrics`.
    public func update(_ completed: Double, _ metrics: KeyValuePairs<String, any MetricValue> = [:]) {
        let done = min(max(completed, 0), Double(total))
        let whole = Int(done.rounded(.down))
        let step = done == Double(whole) ? max(whole, 1) : whole + 1
        var parts = ["\(unit) \(step)/\(total)"]
        for (key, value) in metrics {
            parts.append("\(key) \(value.metricText)")
        }
        let elapsed = stopwatch.seconds
        if done >= Double(total) {
            parts.append(Self.duration(elapsed))
        } else if done > 0 {
            parts.append("ETA " + Self.duration(elapsed / done * (Double(total) - done)))
        }
        line = parts.joined(separator: "  ")
        if isTerminal {
            if whole > lastLogged || elapsed - lastDraw >= 0.1 {
                lastLogged = max(lastLogged, whole)
                lastDraw = elapsed
                draw()
            }
        } else if whole > lastLogged {
            let every = total <= 20 ? 1 : (total + 9) / 10
            if whole == total || whole / every > lastLogged / every {
                write(line + "\n")
            }
            lastLogged = whole
        }
    }

    /// Prints `text` on its own line without garbling the progress line.
    public func print(_ text: String) {
        if isTerminal && drawnWidth > 0 {
            write("\r" + String(repeating: " ", count: drawnWidth) + "\r" + text + "\n")
            draw()
        } else {
            write(text + "\n")
        }
    }

    /// Ends the progress line: on a terminal, moves to a new line; otherwise prints the last state if it was not printed.
    public func finish() {
        guard !finished else { return }
        finished = true
        if isTerminal {
            if drawnWidth > 0 || !line.isEmpty {
                draw()
                write("\n")
            }
        } else if lastLogged < total && !line.isEmpty {
            write(line + "\n")
        }
    }

    private func draw() {
        let padding = max(0, drawnWidth - line.count)
        write("\r" + line + String(repeating: " ", count: padding))
        drawnWidth = line.count
    }

    /// Formats seconds as `4s`, `2m05s` or `1h02m`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        if seconds < 10 { return String(format: "%.1fs", max(seconds, 0)) }
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60)
    }
}

/// Whether standard output is a terminal (not a pipe or a file), checked once.
public let standardOutputIsTerminal: Bool = isatty(1) != 0
