import Foundation
import Markup

/// An SVG heat map of a ``ConfusionMatrix``: gold tags in rows, predicted
/// tags in columns, each cell shaded by the share of its row (the gold
/// tag's tokens) that went to that column, and labelled with its count.
///
/// ```
///               predicted
///             DET  NOUN  VERB
/// gold  DET   412     0     1      the diagonal is each tag's recall;
///       NOUN    0   830    25      off it, the confusions, the darker
///       VERB    0    31   604      the larger their share of the row
/// ```
///
/// Rows are normalized because tags differ in frequency by orders of
/// magnitude: raw counts would paint the frequent tags dark and hide the
/// rare tag that is wrong half the time. A cell with no tokens stays white
/// and unlabelled, so the confusions stand out. Text is XML-escaped; the
/// same matrix and title give the same bytes.
///
/// ```swift
/// lesson.writeFigure(confusionHeatMapSVG(matrix, title: "Test set"), name: "confusion")
/// ```
public func confusionHeatMapSVG(_ matrix: ConfusionMatrix, title: String) -> String {
    let n = matrix.labels.count
    let cell = 44, margin = 20, characterWidth = 7
    let labelWidth = (matrix.labels.map(\.count).max() ?? 1) * characterWidth + 12
    let left = margin + 40 + labelWidth, top = 78 + labelWidth
    let width = max(left + n * cell + margin + 130, margin + title.count * 10)
    let height = top + n * cell + 50
    var out = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" \
        viewBox="0 0 \(width) \(height)" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text class="title" x="\(margin)" y="28" font-size="16" font-weight="bold">\(xmlEscaped(title))</text>
        <text class="axis-label" x="\(left + n * cell / 2)" y="52" text-anchor="middle" font-weight="bold">predicted</text>
        <text class="axis-label" x="\(margin + 12)" y="\(top + n * cell / 2)" text-anchor="middle" font-weight="bold" \
        transform="rotate(-90 \(margin + 12) \(top + n * cell / 2))">gold</text>

        """
    out += "<g class=\"column-labels\">\n"
    for (j, label) in matrix.labels.enumerated() {
        let x = left + j * cell + cell / 2 + 4, y = top - 8
        out += "<text class=\"column-label\" x=\"\(x)\" y=\"\(y)\" transform=\"rotate(-90 \(x) \(y))\">\(xmlEscaped(label))</text>\n"
    }
    out += "</g>\n<g class=\"cells\">\n"
    for (i, label) in matrix.labels.enumerated() {
        let y = top + i * cell
        out += "<text class=\"row-label\" x=\"\(left - 8)\" y=\"\(y + cell / 2 + 4)\" text-anchor=\"end\">\(xmlEscaped(label))</text>\n"
        let rowTotal = matrix.support(i)
        for j in 0..<n {
            let count = matrix.counts[i][j]
            let share = rowTotal == 0 ? 0 : Double(count) / Double(rowTotal)
            let x = left + j * cell
            out += "<rect class=\"cell\" x=\"\(x)\" y=\"\(y)\" width=\"\(cell)\" height=\"\(cell)\" "
                + "fill=\"\(heatColor(share))\" stroke=\"#dddddd\" data-gold=\"\(i)\" data-predicted=\"\(j)\" "
                + "data-count=\"\(count)\" data-share=\"\(String(format: "%.4f", share))\"/>\n"
            if count > 0 {
                let ink = share > 0.5 ? "white" : "black"
                out += "<text class=\"count\" x=\"\(x + cell / 2)\" y=\"\(y + cell / 2 + 4)\" text-anchor=\"middle\" "
                    + "fill=\"\(ink)\">\(count)</text>\n"
            }
        }
    }
    out += "</g>\n"
    let keyX = left + n * cell + 24
    out += "<g class=\"key\">\n<text x=\"\(keyX)\" y=\"\(top - 8)\">share of the row</text>\n"
    for (k, share) in [1.0, 0.5, 0.1, 0.0].enumerated() {
        let y = top + k * 24
        out += "<rect x=\"\(keyX)\" y=\"\(y)\" width=\"18\" height=\"18\" fill=\"\(heatColor(share))\" stroke=\"#dddddd\"/>"
        out += "<text x=\"\(keyX + 26)\" y=\"\(y + 13)\">\(percent(share, 0))</text>\n"
    }
    out += "</g>\n</svg>\n"
    return out
}

/// White for 0, dark blue for 1, a square-root scale between so that a
/// 5% confusion is still visible next to a 95% diagonal.
func heatColor(_ share: Double) -> String {
    let t = min(max(share, 0), 1).squareRoot()
    let (r, g, b) = (255 - t * (255 - 8), 255 - t * (255 - 48), 255 - t * (255 - 107))  // to #08306b
    return String(format: "#%02x%02x%02x", Int(r.rounded()), Int(g.rounded()), Int(b.rounded()))
}
