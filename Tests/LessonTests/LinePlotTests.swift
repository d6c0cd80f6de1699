import Foundation
import Testing
import TestSupport
@testable import Course
import Torchlet

/// `LinePlot`: the SVG is well-formed XML with a path and a legend entry per
/// series, round ticks that span the data, gaps at non-finite points, and a
/// file written with its folders.
@Suite struct LinePlotTests {
    /// The numbers of the tick labels in the group of class `group` (`x-ticks` or `y-ticks`).
    static func ticks(_ elements: [SVGElement], _ group: String) -> [Double] {
        elements.filter { $0.name == "text" && $0.enclosingClasses.contains(group) }.map { Double($0.text)! }
    }

    /// Whether `step` is 1, 2 or 5 times a power of ten.
    static func isRoundStep(_ step: Double) -> Bool {
        let exponent = (log10(step)).rounded(.down)
        let mantissa = step / pow(10, exponent)
        return [1.0, 2, 5, 10].contains { abs(mantissa - $0) < 1e-6 }
    }

    /// Checks that `ticks` are evenly spaced by a round step and span `low...high` tightly.
    static func checkLinearTicks(_ ticks: [Double], spanning low: Double, _ high: Double, tight: Bool = true,
                                 sourceLocation: SourceLocation = #_sourceLocation) {
        guard ticks.count >= 2 else {
            Issue.record("only \(ticks.count) ticks for \(low)...\(high)", sourceLocation: sourceLocation)
            return
        }
        let step = ticks[1] - ticks[0]
        #expect(isRoundStep(step), "step \(step) of ticks \(ticks)", sourceLocation: sourceLocation)
        for (a, b) in zip(ticks, ticks.dropFirst()) {
            #expect(abs((b - a) - step) <= 1e-9 * max(1, abs(step)), "uneven ticks \(ticks)", sourceLocation: sourceLocation)
        }
        for t in ticks {
            #expect(abs(t / step - (t / step).rounded()) < 1e-6, "tick \(t) is not a multiple of \(step)", sourceLocation: sourceLocation)
        }
        #expect(ticks.first! <= low && ticks.last! >= high, "ticks \(ticks) do not span \(low)...\(high)", sourceLocation: sourceLocation)
        #expect(!tight || (ticks.first! > low - step && ticks.last! < high + step), "ticks \(ticks) are loose around \(low)...\(high)",
                sourceLocation: sourceLocation)
        #expect((3...11).contains(ticks.count), "\(ticks.count) ticks", sourceLocation: sourceLocation)
    }

    static func lossPlot() -> LinePlot {
        var plot = LinePlot(title: "Day 2: loss", xLabel: "epoch", yLabel: "cross-entropy")
        plot.addSeries("train", y: [2.31, 1.52, 1.10, 0.84, 0.69, 0.61, 0.55, 0.52] as [Float])
        plot.addSeries("validation", y: [2.25, 1.61, 1.29, 1.12, 1.05, 1.03, 1.04, 1.07])
        return plot
    }

    @Test func wellFormedWithAPathAndALegendEntryPerSeries() {
        let elements = parseSVG(Self.lossPlot().svg())
        #expect(elements.first?.name == "svg")
        let paths = elements.filter { $0.name == "path" && $0.attributes["class"] == "series" }
        #expect(paths.count == 2)
        #expect(Set(paths.compactMap { $0.attributes["stroke"] }).count == 2, "distinct colours")
        let legend = elements.filter { $0.name == "text" && $0.enclosingClasses.contains("legend") }.map(\.text)
        #expect(legend == ["train", "validation"])
        let texts = elements.filter { $0.name == "text" }.map(\.text)
        #expect(texts.contains("Day 2: loss") && texts.contains("epoch") && texts.contains("cross-entropy"))
        // Eight points each: a line through them, and a dot at each.
        #expect(paths.allSatisfy { $0.attributes["d"]!.filter { $0 == "L" }.count == 7 })
        #expect(elements.filter { $0.name == "circle" }.count == 16)
    }

    @Test func ticksAreRoundAndSpanTheData() {
        let elements = parseSVG(Self.lossPlot().svg())
        Self.checkLinearTicks(Self.ticks(elements, "x-ticks"), spanning: 1, 8)
        Self.checkLinearTicks(Self.ticks(elements, "y-ticks"), spanning: 0.52, 2.31)
    }

    @Test(arguments: 0..<40)
    func linearTicksForRandomRanges(seed: Int) {
        let g = Generator(seed: UInt64(seed))
        let scale = pow(10, Double(g.nextInt(below: 13)) - 6)
        let a = (Double(g.nextUniform()) * 2 - 1) * scale, b = (Double(g.nextUniform()) * 2 - 1) * scale
        let low = min(a, b), high = max(a, b)
        Self.checkLinearTicks(PlotAxis.linearTicks(low: low, high: high).map(\.value), spanning: low, high)
        // The labels read back as the tick values.
        for tick in PlotAxis.linearTicks(low: low, high: high) {
            let read = Double(tick.label)!
            #expect(abs(read - tick.value) <= 1e-9 * max(abs(tick.value), scale), "label \(tick.label) for \(tick.value)")
        }
    }

    @Test func degenerateRanges() {
        // A constant series: ±10 % around it (±1 around 0), with round ticks.
        let constant = PlotAxis.linearTicks(low: 3, high: 3).map(\.value)
        Self.checkLinearTicks(constant, spanning: 2.7, 3.3)
        Self.checkLinearTicks(PlotAxis.linearTicks(low: 0, high: 0).map(\.value), spanning: -1, 1)
        // An empty plot still draws axes.
        let elements = parseSVG(LinePlot(title: "empty").svg())
        #expect(!Self.ticks(elements, "y-ticks").isEmpty)
    }

    @Test func logScaleTicks() {
        var plot = LinePlot(title: "log", logScaleY: true)
        plot.addSeries("loss", y: [2.3, 0.9, 0.31, 0.12, 0.05])
        let ticks = Self.ticks(parseSVG(plot.svg()), "y-ticks")
        #expect(ticks == [0.05, 0.1, 0.2, 0.5, 1, 2, 5])
        let wide = PlotAxis.logTicks(low: 3e-5, high: 40).map(\.value)
        #expect(wide == [1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100])
        let veryWide = PlotAxis.logTicks(low: 1e-12, high: 1e6).map(\.value)
        #expect(veryWide.first! <= 1e-12 && veryWide.last! >= 1e6 && veryWide.count <= 10)
        let logX = PlotAxis.logTicks(low: 1, high: 128).map(\.label)
        #expect(logX == ["1", "2", "5", "10", "20", "50", "100", "200"])
    }

    @Test func nonFinitePointsAreSkipped() {
        var plot = LinePlot(title: "gaps", logScaleY: true)
        plot.addSeries("a", x: [1, 2, 3, 4, 5, 6], y: [1, .nan, 2, 3, .infinity, 4])
        plot.addSeries("b", y: [0.5, -1, 0.25])  // -1 cannot sit on a log axis
        let svg = plot.svg()
        let elements = parseSVG(svg)
        #expect(!svg.lowercased().contains("nan") && !svg.contains("inf"))
        let paths = elements.filter { $0.attributes["class"] == "series" }.map { $0.attributes["d"]! }
        #expect(paths[0].filter { $0 == "M" }.count == 3, "three runs: [1], [2, 3], [4]")
        #expect(paths[1].filter { $0 == "M" }.count == 2)
        #expect(Self.ticks(elements, "y-ticks").allSatisfy { $0 > 0 })
    }

    @Test func specialCharactersAreEscaped() {
        var plot = LinePlot(title: "a < b & \"c\"", xLabel: "x's", yLabel: "<y>")
        plot.addSeries("train & <val>", y: [1, 2])
        let elements = parseSVG(plot.svg())
        #expect(elements.contains { $0.text == "a < b & \"c\"" })
        #expect(elements.contains { $0.text == "train & <val>" })
    }

    @Test func manySeriesStayDistinct() {
        var plot = LinePlot(title: "many")
        for k in 0..<12 { plot.addSeries("s\(k)", y: [Double(k), Double(k + 1)]) }
        let paths = parseSVG(plot.svg()).filter { $0.attributes["class"] == "series" }
        let styles = Set(paths.map { "\($0.attributes["stroke"]!) \($0.attributes["stroke-dasharray"] ?? "")" })
        #expect(styles.count == 12)
    }

    @Test func writeCreatesParentFolders() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("LinePlotTests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("day2/sub/loss.svg").path
        let plot = Self.lossPlot()
        try plot.write(to: path)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written == plot.svg())
    }
}
