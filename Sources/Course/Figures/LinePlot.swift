import Foundation
import Markup

/// A line chart of one or more series, drawn as a standalone SVG file, like
/// a minimal `matplotlib.pyplot.plot` + `savefig`.
///
/// The axes get round tick values (steps of 1, 2 or 5 times a power of ten)
/// that span the data, each series a distinct colour, and a legend names
/// them. Non-finite points (NaN, ±∞, and values ≤ 0 on a log axis) are
/// skipped and leave a gap in the line. Series of up to 40 points also show
/// a dot at every point.
///
/// ```swift
/// var plot = LinePlot(title: "Day 2: loss", xLabel: "epoch", yLabel: "cross-entropy")
/// plot.addSeries("train", y: trainLosses)         // x = 1, 2, …, n
/// plot.addSeries("validation", y: validationLosses)
/// try plot.write(to: "output/day2/loss.svg")
/// ```
///
/// The SVG is built as a string with no dependencies; it opens in any
/// browser and in GitHub's file view.
public struct LinePlot {
    /// One named line of the plot.
    public struct Series {
        /// The name shown in the legend.
        public var name: String
        /// The horizontal coordinates.
        public var x: [Double]
        /// The vertical coordinates, one per `x`.
        public var y: [Double]
    }

    /// The heading above the plot.
    public var title: String
    /// The caption of the horizontal axis.
    public var xLabel: String
    /// The caption of the vertical axis.
    public var yLabel: String
    /// Whether the vertical axis is logarithmic (ticks at 1, 2, 5 × 10ᵏ or 10ᵏ).
    public var logScaleY: Bool
    /// Whether the horizontal axis is logarithmic (for batch sizes 1, 2, 4, … 128).
    public var logScaleX: Bool
    /// The picture's width in pixels.
    public var width: Int
    /// The picture's height in pixels.
    public var height: Int
    /// The series, in the order they were added.
    public private(set) var series: [Series] = []

    /// The colours of the first ten series (matplotlib's `tab10`); later
    /// series reuse them with a dashed line, so every series stays distinct.
    static let palette = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    ]

    /// Creates an empty plot.
    public init(
        title: String, xLabel: String = "", yLabel: String = "",
        logScaleY: Bool = false, logScaleX: Bool = false, width: Int = 720, height: Int = 440
    ) {
        precondition(width >= 200 && height >= 150, "LinePlot: size \(width)×\(height) is too small (at least 200×150)")
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logScaleY = logScaleY
        self.logScaleX = logScaleX
        self.width = width
        self.height = height
    }

    /// Adds a series named `name` through the points `(x[i], y[i])`.
    ///
    /// - Precondition: `x` and `y` have the same count.
    public mutating func addSeries<X: BinaryFloatingPoint, Y: BinaryFloatingPoint>(_ name: String, x: [X], y: [Y]) {
        precondition(x.count == y.count, "LinePlot.addSeries: series \"\(name)\" has \(x.count) x values but \(y.count) y values")
        series.append(Series(name: name, x: x.map { Double($0) }, y: y.map { Double($0) }))
    }

    /// Adds a series named `name` through `(1, y[0]), (2, y[1]), …`: one point per epoch or step.
    public mutating func addSeries<Y: BinaryFloatingPoint>(_ name: String, y: [Y]) {
        addSeries(name, x: (1...Swift.max(y.count, 1)).prefix(y.count).map { Double($0) }, y: y)
    }

    /// Writes the SVG to `path`, creating its parent directories.
    ///
    /// - Throws: the file system's error when the folder or file cannot be written.
    public func write(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try svg().write(to: url, atomically: true, encoding: .utf8)
    }

    /// The plot as a complete SVG document.
    public func svg() -> String {
        let xAxis = PlotAxis(values: series.flatMap { s in zip(s.x, s.y).filter { $0.1.isFinite }.map(\.0) }, logScale: logScaleX)
        let yAxis = PlotAxis(values: series.flatMap { s in zip(s.x, s.y).filter { $0.0.isFinite }.map(\.1) }, logScale: logScaleY)

        // Layout: room for the y tick labels on the left, the legend on the right.
        let charWidth = 7.0
        let yLabelWidth = Double(yAxis.ticks.map { $0.label.count }.max() ?? 1) * charWidth
        let left = 28 + yLabelWidth + 10
        // Legend names are wider per character than tick labels (letters and spaces, not digits).
        let legendWidth = series.isEmpty ? 0 : 40 + Double(series.map { $0.name.count }.max() ?? 0) * (charWidth + 1)
        let right = Double(width) - 16 - legendWidth
        let top = title.isEmpty ? 20.0 : 44.0
        let bottom = Double(height) - 50
        func px(_ x: Double) -> Double { left + xAxis.fraction(x) * (right - left) }
        func py(_ y: Double) -> Double { bottom - yAxis.fraction(y) * (bottom - top) }

        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" \
            viewBox="0 0 \(width) \(height)" font-family="Helvetica, Arial, sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>

            """
        if !title.isEmpty {
            out += ##"<text class="title" x="\##(f((left + right) / 2))" y="26" text-anchor="middle" font-size="15" font-weight="bold">\##(xmlEscaped(title))</text>"## + "\n"
        }

        // Grid lines and tick labels.
        out += ##"<g class="grid" stroke="#e6e6e6" stroke-width="1">"## + "\n"
        for tick in xAxis.ticks {
            out += ##"<line x1="\##(f(px(tick.value)))" y1="\##(f(top))" x2="\##(f(px(tick.value)))" y2="\##(f(bottom))"/>"## + "\n"
        }
        for tick in yAxis.ticks {
            out += ##"<line x1="\##(f(left))" y1="\##(f(py(tick.value)))" x2="\##(f(right))" y2="\##(f(py(tick.value)))"/>"## + "\n"
        }
        out += "</g>\n"
        out += ##"<g class="x-ticks" text-anchor="middle" fill="#333">"## + "\n"
        for tick in xAxis.ticks {
            out += ##"<text x="\##(f(px(tick.value)))" y="\##(f(bottom + 17))">\##(xmlEscaped(tick.label))</text>"## + "\n"
        }
        out += "</g>\n"
        out += ##"<g class="y-ticks" text-anchor="end" fill="#333">"## + "\n"
        for tick in yAxis.ticks {
            out += ##"<text x="\##(f(left - 6))" y="\##(f(py(tick.value) + 4))">\##(xmlEscaped(tick.label))</text>"## + "\n"
        }
        out += "</g>\n"

        // The axes frame and their captions.
        out += ##"<rect class="frame" x="\##(f(left))" y="\##(f(top))" width="\##(f(right - left))" height="\##(f(bottom - top))" fill="none" stroke="#333" stroke-width="1"/>"## + "\n"
        if !xLabel.isEmpty {
            out += ##"<text class="x-label" x="\##(f((left + right) / 2))" y="\##(f(bottom + 38))" text-anchor="middle">\##(xmlEscaped(xLabel))</text>"## + "\n"
        }
        if !yLabel.isEmpty {
            let cy = (top + bottom) / 2
            out += ##"<text class="y-label" x="16" y="\##(f(cy))" text-anchor="middle" transform="rotate(-90 16 \##(f(cy)))">\##(xmlEscaped(yLabel))</text>"## + "\n"
        }

        // One path per series; a gap wherever a point is skipped.
        for (k, s) in series.enumerated() {
            let color = Self.palette[k % Self.palette.count]
            let dash = k >= Self.palette.count ? ##" stroke-dasharray="6 3""## : ""
            var segments: [[(Double, Double)]] = [[]]
            for (x, y) in zip(s.x, s.y) {
                if xAxis.accepts(x) && yAxis.accepts(y) {
                    segments[segments.count - 1].append((px(x), py(y)))
                } else if !segments[segments.count - 1].isEmpty {
                    segments.append([])
                }
            }
            segments.removeAll { $0.isEmpty }
            let d = segments.map { points in
                points.enumerated().map { i, p in "\(i == 0 ? "M" : "L")\(f(p.0)) \(f(p.1))" }.joined(separator: " ")
            }.joined(separator: " ")
            out += ##"<path class="series" stroke="\##(color)"\##(dash) stroke-width="2" fill="none" stroke-linejoin="round" d="\##(d)"><title>\##(xmlEscaped(s.name))</title></path>"## + "\n"
            let pointCount = segments.reduce(0) { $0 + $1.count }
            let dots = segments.flatMap { $0.count == 1 || pointCount <= 40 ? $0 : [] }
            if !dots.isEmpty {
                out += ##"<g class="markers" fill="\##(color)">"##
                for p in dots { out += ##"<circle cx="\##(f(p.0))" cy="\##(f(p.1))" r="2.5"/>"## }
                out += "</g>\n"
            }
        }

        // The legend, right of the plot.
        if !series.isEmpty {
            let lx = right + 16
            out += ##"<g class="legend">"## + "\n"
            for (k, s) in series.enumerated() {
                let ly = top + 10 + Double(k) * 20
                let color = Self.palette[k % Self.palette.count]
                let dash = k >= Self.palette.count ? ##" stroke-dasharray="6 3""## : ""
                out += ##"<line x1="\##(f(lx))" y1="\##(f(ly))" x2="\##(f(lx + 22))" y2="\##(f(ly))" stroke="\##(color)"\##(dash) stroke-width="2"/>"##
                out += ##"<text x="\##(f(lx + 28))" y="\##(f(ly + 4))">\##(xmlEscaped(s.name))</text>"## + "\n"
            }
            out += "</g>\n"
        }
        out += "</svg>\n"
        return out
    }

    /// A coordinate with two decimals, enough for a pixel.
    private func f(_ v: Double) -> String { String(format: "%.2f", v) }
}

/// One axis of a ``LinePlot``: the range it shows and its round ticks.
///
/// Linear ticks step by 1, 2 or 5 × 10ᵏ, the step chosen so that about six
/// intervals cover the data, and the range is widened to the ticks just
/// outside the data:
///
/// ```
/// raw  = (high − low) / 6 = f · 10ᵏ, 1 ≤ f < 10
/// step = 1 · 10ᵏ if f < 1.5,  2 · 10ᵏ if f < 3,  5 · 10ᵏ if f < 7,  else 10ᵏ⁺¹
/// ```
///
/// Log ticks are 1, 2, 5 × 10ᵏ when the data span at most 2.5 decades, and
/// powers of ten otherwise. Tick values are parsed from their decimal text
/// (`Double("2e-1")`), so `0.2` is the double nearest 0.2, not `2 · 0.1`.
struct PlotAxis {
    /// A tick's position and its label.
    struct Tick {
        var value: Double
        var label: String
    }

    let logScale: Bool
    /// The range shown, from the first tick to the last.
    let low: Double, high: Double
    let ticks: [Tick]

    /// An axis for `values`, ignoring the ones it cannot show.
    init(values: [Double], logScale: Bool) {
        self.logScale = logScale
        let shown = values.filter { $0.isFinite && (!logScale || $0 > 0) }
        let ticks: [Tick]
        if logScale {
            ticks = Self.logTicks(low: shown.min() ?? 1, high: shown.max() ?? 10)
        } else {
            ticks = Self.linearTicks(low: shown.min() ?? 0, high: shown.max() ?? 1)
        }
        self.ticks = ticks
        low = ticks.first!.value
        high = ticks.last!.value
    }

    /// Whether `value` can be drawn on this axis.
    func accepts(_ value: Double) -> Bool {
        value.isFinite && (!logScale || value > 0)
    }

    /// Where `value` sits, from 0 at `low` to 1 at `high`.
    func fraction(_ value: Double) -> Double {
        logScale
            ? (Foundation.log10(value) - Foundation.log10(low)) / (Foundation.log10(high) - Foundation.log10(low))
            : (value - low) / (high - low)
    }

    /// `m · 10ᵏ` as the double nearest the decimal number.
    static func decimal(_ m: Int, _ k: Int) -> Double { Double("\(m)e\(k)")! }

    /// Round linear ticks spanning `low...high`.
    static func linearTicks(low: Double, high: Double) -> [Tick] {
        var lo = low, hi = high
        if !(hi > lo) {
            let pad = lo == 0 ? 1 : Swift.abs(lo) * 0.1
            lo -= pad
            hi += pad
        }
        let raw = (hi - lo) / 6
        var exponent = Int(Foundation.floor(Foundation.log10(raw)))
        let f = raw / Foundation.pow(10, Double(exponent))
        let mantissa: Int
        switch f {
        case ..<1.5: mantissa = 1
        case ..<3: mantissa = 2
        case ..<7: mantissa = 5
        default: mantissa = 1; exponent += 1
        }
        let step = decimal(mantissa, exponent)
        let first = Foundation.floor(lo / step + 1e-9), last = Foundation.ceil(hi / step - 1e-9)
        guard Swift.abs(first) < 1e15, Swift.abs(last) < 1e15, last - first < 1000 else {
            // Beyond exact integer multiples: show the two ends as they are.
            return [Tick(value: lo, label: String(format: "%g", lo)), Tick(value: hi, label: String(format: "%g", hi))]
        }
        let scientific = exponent >= 6 || exponent <= -5 || Swift.max(Swift.abs(lo), Swift.abs(hi)) >= 1e7
        return (Int(first)...Int(last)).map { k in
            let value = decimal(k * mantissa, exponent)
            let label = scientific ? String(format: "%g", value) : String(format: "%.\(Swift.max(0, -exponent))f", value)
            return Tick(value: value, label: label)
        }
    }

    /// Round logarithmic ticks spanning `low...high` (both positive).
    static func logTicks(low: Double, high: Double) -> [Tick] {
        func tick(_ m: Int, _ k: Int) -> Tick {
            let value = decimal(m, k)
            let label = (-4...5).contains(k) ? String(format: "%.\(Swift.max(0, -k))f", value) : "\(m)e\(k)"
            return Tick(value: value, label: label)
        }
        let kLow = Int(Foundation.floor(Foundation.log10(low) + 1e-9))
        var kHigh = Int(Foundation.ceil(Foundation.log10(high) - 1e-9))
        if kHigh <= kLow { kHigh = kLow + 1 }
        if Foundation.log10(high / low) <= 2.5 {
            let candidates = (kLow...kHigh).flatMap { k in [1, 2, 5].map { tick($0, k) } }
            let bottom = candidates.lastIndex { $0.value <= low * (1 + 1e-9) } ?? 0
            var top = candidates.firstIndex { $0.value >= high * (1 - 1e-9) } ?? candidates.count - 1
            if top <= bottom { top = Swift.min(bottom + 1, candidates.count - 1) }
            return Array(candidates[bottom...top])
        }
        let stride = (kHigh - kLow + 7) / 8
        kHigh = kLow + (kHigh - kLow + stride - 1) / stride * stride
        return Swift.stride(from: kLow, through: kHigh, by: stride).map { tick(1, $0) }
    }
}
