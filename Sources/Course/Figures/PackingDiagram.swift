import Markup
import Torchlet

/// An SVG picture of a batch of sequences padded into a grid and then packed,
/// the layout `packSequence(_:enforceSorted: false)` gives them.
///
/// The picture has two parts:
///
/// - (a) the padded batch, `B` rows × `T` columns (`batchFirst`), one row per
///   sequence in the original order, labelled with its index and length;
///   real steps are coloured per sequence, padding cells are grey;
/// - (b) the packed `data`, one strip of `Σ lengths` cells in packed order,
///   time-major, grouped by step `t` with `batchSizes[t]` written under each
///   group, and the `sortedIndices` that ordered each group.
///
/// Every real cell is labelled `b,t`: sequence `b` (original index), step
/// `t`. For lengths `[3, 1, 2]`:
///
/// ```
/// (a) padded, B × T = 3 × 3       (b) packed data
///   sequence 0:  0,0 0,1 0,2         t = 0         t = 1     t = 2
///   sequence 1:  1,0 pad pad         0,0 2,0 1,0 | 0,1 2,1 | 0,2
///   sequence 2:  2,0 2,1 pad             3           2        1     batchSizes
/// ```
///
/// The layout is not worked out here: each step of sequence `b` carries the
/// value `b·T + t` through ``packSequence(_:enforceSorted:)``, and the cells
/// of the strip are read back from the packed `data`, so the picture shows
/// exactly what Torchlet packs (longest first, ties in their original order).
///
/// The output is deterministic, the same lengths and title give the same
/// bytes, and every text is escaped for XML.
///
/// ```swift
/// lesson.writeFigure(packingDiagramSVG(lengths: [3, 4, 5]), name: "packing")
/// ```
///
/// - Parameters:
///   - lengths: the length of each sequence, in batch order.
///   - title: the heading; by default "Padding and packing lengths [3, 4, 5]".
/// - Returns: a complete SVG document, white background, no scripts or fonts.
/// - Precondition: `lengths` is non-empty, every length is at least 1, and
///   `B · T` is at most 2²⁰ (a picture anyone could read is far smaller).
public func packingDiagramSVG(lengths: [Int], title: String? = nil) -> String {
    precondition(!lengths.isEmpty, "packingDiagramSVG: lengths is empty; there is no batch to draw")
    precondition(
        lengths.allSatisfy { $0 >= 1 },
        "packingDiagramSVG: lengths \(lengths) has a length below 1; every sequence has at least one step")
    let steps = lengths.max()!
    precondition(
        lengths.count * steps <= 1 << 20,
        "packingDiagramSVG: \(lengths.count) sequences × \(steps) steps is too many cells to draw")
    var diagram = PackingDiagram(lengths: lengths)
    return diagram.svg(title: title ?? "Padding and packing lengths \(lengths)")
}

/// The cells of a padded and a packed batch, and the SVG that draws them.
struct PackingDiagram {
    /// One step of one sequence: `sequence` is its original batch index.
    struct Step: Equatable {
        var sequence: Int
        var time: Int
        /// The cell's label, `b,t`.
        var label: String { "\(sequence),\(time)" }
    }

    let lengths: [Int]
    /// `T`, the longest length.
    let steps: Int
    /// The packed rows in packed order, read from the packed `data`.
    let packedSteps: [Step]
    /// `batchSizes` of the packed batch.
    let batchSizes: [Int]
    /// `sortedIndices` of the packed batch.
    let sortedIndices: [Int]

    /// Packs sequences with `lengths` whose values name their own position,
    /// and reads the layout back from the result.
    init(lengths: [Int]) {
        let steps = lengths.max()!
        let sequences = lengths.enumerated().map { b, length in (0..<length).map { t in b * steps + t } }
        let packed = packSequence(sequences, enforceSorted: false)
        self.lengths = lengths
        self.steps = steps
        packedSteps = packed.data.scalars.map { value in
            let code = Int(value)
            return Step(sequence: code / steps, time: code % steps)
        }
        batchSizes = packed.batchSizes
        sortedIndices = packed.sortedIndices ?? Array(lengths.indices)
    }

    // MARK: Layout, in pixels

    static let margin = 20
    static let cellWidth = 38
    static let cellHeight = 28
    static let rowGap = 4
    static let columnGap = 4
    /// The space between two steps' groups in the packed strip.
    static let groupGap = 16
    /// The widest the packed strip gets before it wraps onto another line.
    static let stripWrapWidth = 860
    /// The distance between two lines of the packed strip.
    static let stripLinePitch = 104
    /// An upper bound on the width of one character at 12 px, to make room for labels.
    static let characterWidth = 7

    /// Light fills for the sequences (matplotlib's `tab20` light half) and
    /// the matching dark strokes (`tab10`); more sequences reuse them.
    static let fills = [
        "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5",
        "#c49c94", "#f7b6d2", "#dbdb8d", "#9edae5", "#d9c9a0",
    ]
    static let strokes = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
        "#8c564b", "#e377c2", "#bcbd22", "#17becf", "#8c6d31",
    ]

    /// The output, built line by line.
    private var out = ""

    /// The complete SVG document.
    mutating func svg(title: String) -> String {
        let labelWidth = (lengths.indices.map { rowLabel($0).count } + ["batchSizes".count]).max()! * Self.characterWidth
        let left = Self.margin + labelWidth + 10
        let gridWidth = steps * (Self.cellWidth + Self.columnGap) - Self.columnGap
        let placements = groupPlacements(width: max(gridWidth, Self.stripWrapWidth))
        let stripWidth = zip(placements, batchSizes).map { $0.offset + $1 * Self.cellWidth }.max()!
        let headings = [
            title.count * 10, (padHeading.count + 1) * 8, (packedHeading.count + 1) * 8, sortedLine.count * Self.characterWidth,
        ].max()!
        let width = max(left + max(gridWidth, stripWidth), Self.margin + headings) + Self.margin
        let gridTop = 92
        let gridBottom = gridTop + lengths.count * (Self.cellHeight + Self.rowGap) - Self.rowGap
        let packedTop = gridBottom + 48
        let stripTop = packedTop + 34
        let height = stripTop + placements.last!.line * Self.stripLinePitch + Self.cellHeight + 58

        out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" \
            viewBox="0 0 \(width) \(height)" font-family="Helvetica, Arial, sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text class="title" x="\(Self.margin)" y="28" font-size="16" font-weight="bold">\(xmlEscaped(title))</text>

            """
        drawPadded(left: left, top: gridTop)
        drawPacked(left: left, top: packedTop, stripTop: stripTop, placements: placements)
        out += "</svg>\n"
        return out
    }

    /// The heading of part (a), with the share of padding.
    var padHeading: String {
        let cells = lengths.count * steps
        let padding = cells - lengths.reduce(0, +)
        return "(a) padded batch, B × T = \(lengths.count) × \(steps) (batchFirst): \(padding) of \(cells) cells are padding"
    }

    /// The heading of part (b).
    var packedHeading: String {
        "(b) packed data: \(packedSteps.count) row\(packedSteps.count == 1 ? "" : "s"), step by step, "
            + "each step's sequences longest first"
    }

    /// The line under part (b) naming the sort order.
    var sortedLine: String {
        "sortedIndices = \(sortedIndices): longest first, ties in their original order"
    }

    /// Where each step's group of the packed strip goes: its line, and its
    /// offset from the strip's left edge. Groups fill a line up to `width`
    /// pixels and then wrap, so a long batch stays readable.
    func groupPlacements(width: Int) -> [(line: Int, offset: Int)] {
        var placements: [(line: Int, offset: Int)] = []
        var line = 0, offset = 0
        for size in batchSizes {
            let groupWidth = size * Self.cellWidth
            if offset > 0 && offset + groupWidth > width {
                line += 1
                offset = 0
            }
            placements.append((line, offset))
            offset += groupWidth + Self.groupGap
        }
        return placements
    }

    /// The label of row `b` of the grid.
    func rowLabel(_ b: Int) -> String { "sequence \(b), length \(lengths[b])" }

    /// Part (a): the padded grid, one row per sequence in the original order.
    private mutating func drawPadded(left: Int, top: Int) {
        out += ##"<text class="heading" x="\##(Self.margin)" y="\##(top - 36)" font-size="13" font-weight="bold">\##(xmlEscaped(padHeading))</text>"## + "\n"
        out += ##"<g class="time-labels" text-anchor="middle" fill="#555">"## + "\n"
        for t in 0..<steps {
            let x = left + t * (Self.cellWidth + Self.columnGap) + Self.cellWidth / 2
            out += ##"<text x="\##(x)" y="\##(top - 8)">t = \##(t)</text>"## + "\n"
        }
        out += "</g>\n"
        out += ##"<g class="padded">"## + "\n"
        for (b, length) in lengths.enumerated() {
            let y = top + b * (Self.cellHeight + Self.rowGap)
            out += ##"<text class="row-label" x="\##(left - 8)" y="\##(y + 18)" text-anchor="end" fill="#333">\##(rowLabel(b))</text>"## + "\n"
            for t in 0..<steps {
                let x = left + t * (Self.cellWidth + Self.columnGap)
                if t < length {
                    drawCell(Step(sequence: b, time: t), x: x, y: y)
                } else {
                    out += ##"<rect class="padding" x="\##(x)" y="\##(y)" width="\##(Self.cellWidth)" height="\##(Self.cellHeight)" fill="#e3e3e3" stroke="#bdbdbd"/>"##
                    out += ##"<text class="padding-label" x="\##(x + Self.cellWidth / 2)" y="\##(y + 18)" text-anchor="middle" fill="#999">pad</text>"## + "\n"
                }
            }
        }
        out += "</g>\n"
    }

    /// Part (b): the packed strip, grouped by step, with each group's batch size.
    private mutating func drawPacked(left: Int, top: Int, stripTop: Int, placements: [(line: Int, offset: Int)]) {
        out += ##"<text class="heading" x="\##(Self.margin)" y="\##(top)" font-size="13" font-weight="bold">\##(xmlEscaped(packedHeading))</text>"## + "\n"
        for line in 0...placements.last!.line {
            let y = stripTop + line * Self.stripLinePitch
            out += ##"<text class="row-label" x="\##(left - 8)" y="\##(y + 18)" text-anchor="end" fill="#333">data</text>"## + "\n"
            out += ##"<text class="row-label" x="\##(left - 8)" y="\##(y + Self.cellHeight + 24)" text-anchor="end" fill="#333">batchSizes</text>"## + "\n"
        }
        out += ##"<g class="packed">"## + "\n"
        var row = 0
        for (t, size) in batchSizes.enumerated() {
            let y = stripTop + placements[t].line * Self.stripLinePitch
            let start = left + placements[t].offset
            let end = start + size * Self.cellWidth
            let bracketY = y + Self.cellHeight + 8
            out += ##"<text class="time-label" x="\##((start + end) / 2)" y="\##(y - 8)" text-anchor="middle" fill="#555">t = \##(t)</text>"## + "\n"
            for k in 0..<size {
                drawCell(packedSteps[row + k], x: start + k * Self.cellWidth, y: y)
            }
            out += ##"<path d="M\##(start + 2) \##(bracketY - 4) V\##(bracketY) H\##(end - 2) V\##(bracketY - 4)" fill="none" stroke="#555"/>"##
            out += ##"<text class="batch-size" x="\##((start + end) / 2)" y="\##(bracketY + 16)" text-anchor="middle" font-weight="bold">\##(size)</text>"## + "\n"
            row += size
        }
        out += "</g>\n"
        out += ##"<text class="sorted-indices" x="\##(Self.margin)" y="\##(stripTop + placements.last!.line * Self.stripLinePitch + Self.cellHeight + 50)" fill="#333">\##(xmlEscaped(sortedLine))</text>"## + "\n"
    }

    /// One real step: a cell in its sequence's colour labelled `b,t`.
    private mutating func drawCell(_ step: Step, x: Int, y: Int) {
        let fill = Self.fills[step.sequence % Self.fills.count]
        let stroke = Self.strokes[step.sequence % Self.strokes.count]
        out += ##"<rect class="real" x="\##(x)" y="\##(y)" width="\##(Self.cellWidth)" height="\##(Self.cellHeight)" fill="\##(fill)" stroke="\##(stroke)"/>"##
        out += ##"<text class="cell-label" x="\##(x + Self.cellWidth / 2)" y="\##(y + 18)" text-anchor="middle">\##(step.label)</text>"## + "\n"
    }
}
