// Reads the `--scaling` output of bench and of scripts/bench_pytorch.py,
// prints the two side by side with a growth check, and plots them: one SVG
// per varied dimension (T, B, H), milliseconds against it on log axes.
//
//     scalingplot TORCHLET.txt PYTORCH.txt OUTDIR
//
// scripts/bench_scaling.sh runs both sides and then this.
import Course
import Foundation

/// One line of a `--scaling` run:
/// `bench: scaling vary=T T=400 B=32 H=128 ms=MEDIAN gflops=… threads=N`.
struct ScalingPoint {
    let varied: String
    let steps: Int, batch: Int, hidden: Int
    let ms: Double

    /// The value of the varied dimension.
    var value: Int { ["T": steps, "B": batch, "H": hidden][varied]! }

    /// The point of `line`, or `nil` for a line that is not a scaling line.
    init?(line: String) {
        guard line.hasPrefix("bench: scaling ") else { return nil }
        var fields: [String: String] = [:]
        for field in line.split(separator: " ") {
            let parts = field.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        guard let varied = fields["vary"], ["T", "B", "H"].contains(varied),
              let steps = fields["T"].flatMap(Int.init), let batch = fields["B"].flatMap(Int.init),
              let hidden = fields["H"].flatMap(Int.init), let ms = fields["ms"].flatMap(Double.init)
        else { return nil }
        (self.varied, self.steps, self.batch, self.hidden, self.ms) = (varied, steps, batch, hidden, ms)
    }
}

/// The scaling points in the file at `path`; exits with a message if it has none.
func points(inFile path: String) -> [ScalingPoint] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        fail("cannot read \(path)")
    }
    let points = text.split(separator: "\n").compactMap { ScalingPoint(line: String($0)) }
    if points.isEmpty { fail("\(path) has no 'bench: scaling' lines (run bench --scaling)") }
    return points
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write("scalingplot: \(message)\n".data(using: .utf8)!)
    exit(1)
}

let arguments = CommandLine.arguments.dropFirst()
guard arguments.count == 3 else { fail("usage: scalingplot TORCHLET.txt PYTORCH.txt OUTDIR") }
let (ours, theirs, folder) = (points(inFile: arguments[1]), points(inFile: arguments[2]), arguments[3])

/// What each panel varies, its file name and how the other two are held.
let panels = [
    (varied: "T", file: "scaling-steps.svg", title: "time vs sequence length T (B = 32, H = 128)", axis: "T (steps)"),
    (varied: "B", file: "scaling-batch.svg", title: "time vs batch size B (T = 50, H = 128)", axis: "B (sequences)"),
    (varied: "H", file: "scaling-hidden.svg", title: "time vs hidden size H (T = 50, B = 32)", axis: "H (hidden units)"),
]

/// One row of the table: the varied dimension, then right-aligned columns.
func row(_ varied: String, _ cells: [String]) -> String {
    varied.padding(toLength: 4, withPad: " ", startingAt: 0) + cells.map { $0.leftPadded(12) }.joined()
}

print("LSTM(64 → H) forward + backward, median ms (lstm_dense is T = 50, B = 32, H = 128)")
print(row("vary", ["value", "torchlet_ms", "pytorch_ms", "ratio"]))
for panel in panels {
    let mine = ours.filter { $0.varied == panel.varied }, other = theirs.filter { $0.varied == panel.varied }
    for point in mine {
        let match = other.first { $0.value == point.value }
        print(row(panel.varied, [String(point.value), format(point.ms, 3), match.map { format($0.ms, 3) } ?? "-",
                                 match.map { format(point.ms / $0.ms, 2) } ?? "-"]))
    }
    var plot = LinePlot(title: "LSTM(64 → H) forward + backward: " + panel.title, xLabel: panel.axis,
                        yLabel: "median ms", logScaleY: true, logScaleX: true, width: 760)
    plot.addSeries("Torchlet", x: mine.map { Double($0.value) }, y: mine.map(\.ms))
    plot.addSeries("PyTorch", x: other.map { Double($0.value) }, y: other.map(\.ms))
    do {
        try plot.write(to: folder + "/" + panel.file)
    } catch {
        fail("cannot write \(folder)/\(panel.file): \(error)")
    }
}

// Linear in T means the time per step stays put from T = 25 to T = 400.
for (name, side) in [("torchlet", ours), ("pytorch", theirs)] {
    let byLength = side.filter { $0.varied == "T" }.sorted { $0.steps < $1.steps }
    guard let short = byLength.first, let long = byLength.last, long.steps > short.steps else { continue }
    let (shortStep, longStep) = (short.ms / Double(short.steps), long.ms / Double(long.steps))
    print("\(name): ms per step at T = \(long.steps) vs T = \(short.steps): "
          + "\(format(longStep, 3)) / \(format(shortStep, 3)) = \(format(longStep / shortStep, 2)) (1 = linear in T)")
}
print("wrote \(panels.map { folder + "/" + $0.file }.joined(separator: ", "))")
