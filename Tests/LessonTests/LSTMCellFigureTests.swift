import Foundation
import Testing
import TestSupport

/// `docs/figures/lstm-cell.svg`, the hand-written cell diagram: well-formed,
/// self-contained, and showing the gates in PyTorch's order with the cell's
/// two equations.
@Suite struct LSTMCellFigureTests {
    /// The figure's text, read from the checkout.
    static func figure() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("docs/figures/lstm-cell.svg"), encoding: .utf8)
    }

    @Test func itIsASelfContainedSVGWithAWhiteBackground() throws {
        let elements = parseSVG(try Self.figure())
        #expect(elements.first?.name == "svg")
        #expect(elements.first?.attributes["width"] == "720")
        #expect(elements.contains { $0.name == "rect" && $0.attributes["fill"] == "white" })
        #expect(!elements.contains { ["script", "image", "foreignObject", "style"].contains($0.name) })
        #expect(!elements.contains { $0.attributes.values.contains { $0.contains("http") && !$0.hasSuffix("/2000/svg") } })
    }

    @Test func theGatesComeInPyTorchsOrderWithTheirActivations() throws {
        let texts = parseSVG(try Self.figure()).filter { $0.name == "text" }.map(\.textContent)
        // The chunks of the linear map, then the activations above them, left to right.
        let chunks = texts.filter { ["i", "f", "g", "o"].contains($0) }
        #expect(Array(chunks.prefix(4)) == ["i", "f", "g", "o"], "\(chunks)")
        let activations = texts.filter { $0 == "σ" || $0 == "tanh" }
        #expect(Array(activations.prefix(4)) == ["σ", "σ", "tanh", "σ"], "\(activations)")
        #expect(texts.contains("ct = f ⊙ ct−1 + i ⊙ g"), "c_t = f ⊙ c_(t−1) + i ⊙ g")
        #expect(texts.contains("ht = o ⊙ tanh(ct)"), "h_t = o ⊙ tanh(c_t)")
    }
}
