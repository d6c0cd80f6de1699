import Foundation
import Testing
import TestSupport
import Torchlet
@testable import Course

/// `packingDiagramSVG(lengths:title:)`: well-formed XML, a `B × T` grid with
/// the right padding, a packed strip in `PackedSequence`'s order with its
/// `batchSizes`, escaped text, and the same bytes every time.
@Suite struct PackingDiagramTests {
    /// The elements of class `kind` inside the group of class `group`.
    static func elements(_ all: [SVGElement], _ kind: String, in group: String) -> [SVGElement] {
        all.filter { $0.kind == kind && $0.enclosingClasses.contains(group) }
    }

    /// The `b,t` labels of the packed rows as `PackedSequence` lays them out:
    /// at step `t`, the first `batchSizes[t]` sequences in `sortedIndices` order.
    static func expectedPackedLabels(_ packed: PackedSequence) -> [String] {
        let order = packed.sortedIndices ?? Array(0..<packed.batchSize)
        return packed.batchSizes.enumerated().flatMap { t, size in (0..<size).map { k in "\(order[k]),\(t)" } }
    }

    /// The batches drawn: the lesson's two, ties, one sequence, and random ones from a fixed seed.
    static let batches: [[Int]] = {
        let rng = Generator(seed: 9)
        let random = (0..<20).map { _ in (0..<(1 + rng.nextInt(below: 7))).map { _ in 1 + rng.nextInt(below: 9) } }
        return [[3, 4, 5], [2, 6, 1, 6, 3], [4, 4, 4], [1], [5, 1, 5, 2, 2]] + random
    }()

    @Test(arguments: batches)
    func theGridHasOneCellPerStepAndPaddingWhereSequencesEnd(lengths: [Int]) {
        let elements = parseSVG(packingDiagramSVG(lengths: lengths))
        let steps = lengths.max()!
        let real = Self.elements(elements, "real", in: "padded")
        let padding = Self.elements(elements, "padding", in: "padded")
        #expect(real.count + padding.count == lengths.count * steps, "a \(lengths.count) × \(steps) grid for \(lengths)")
        #expect(padding.count == lengths.reduce(0) { $0 + steps - $1 }, "padding cells Σ (T − length) for \(lengths)")
        #expect(padding.allSatisfy { $0.attributes["fill"] != real.first?.attributes["fill"] })
        let labels = Self.elements(elements, "cell-label", in: "padded").map(\.textContent)
        let rows = lengths.enumerated().flatMap { b, length in (0..<length).map { t in "\(b),\(t)" } }
        #expect(labels == rows, "grid cells row by row in the original order for \(lengths)")
        let rowLabels = Self.elements(elements, "row-label", in: "padded").map(\.textContent)
        #expect(rowLabels == lengths.enumerated().map { "sequence \($0), length \($1)" })
    }

    @Test(arguments: batches)
    func theStripHoldsThePackedRowsInPackedSequenceOrder(lengths: [Int]) {
        let elements = parseSVG(packingDiagramSVG(lengths: lengths))
        let packed = packSequence(lengths.map { [Int](repeating: 0, count: $0) }, enforceSorted: false)
        let cells = Self.elements(elements, "real", in: "packed")
        let labels = Self.elements(elements, "cell-label", in: "packed").map(\.textContent)
        #expect(cells.count == lengths.reduce(0, +), "Σ lengths packed cells for \(lengths)")
        #expect(labels == Self.expectedPackedLabels(packed), "packed order for \(lengths)")
        let sizes = Self.elements(elements, "batch-size", in: "packed").map(\.textContent)
        #expect(sizes == packed.batchSizes.map(String.init), "batchSizes for \(lengths)")
        let times = Self.elements(elements, "time-label", in: "packed").map(\.textContent)
        #expect(times == packed.batchSizes.indices.map { "t = \($0)" })
        let sorted = elements.first { $0.kind == "sorted-indices" }?.textContent ?? ""
        #expect(sorted.hasPrefix("sortedIndices = \(packed.sortedIndices!)"), "\(sorted)")
    }

    @Test func tiesKeepTheirOriginalOrderLongestFirst() {
        let elements = parseSVG(packingDiagramSVG(lengths: [2, 6, 1, 6, 3]))
        let labels = Self.elements(elements, "cell-label", in: "packed").map(\.textContent)
        #expect(labels == [
            "1,0", "3,0", "4,0", "0,0", "2,0", "1,1", "3,1", "4,1", "0,1",
            "1,2", "3,2", "4,2", "1,3", "3,3", "1,4", "3,4", "1,5", "3,5",
        ])
        #expect(Self.elements(elements, "batch-size", in: "packed").map(\.textContent) == ["5", "4", "3", "2", "2", "2"])
    }

    @Test func theOutputIsTheSameBytesEveryTime() {
        for lengths in Self.batches {
            let first = packingDiagramSVG(lengths: lengths, title: "packing")
            #expect(packingDiagramSVG(lengths: lengths, title: "packing") == first)
            // Integer coordinates only: no locale- or platform-dependent number formatting.
            #expect(!first.contains("e+") && !first.contains("nan"))
        }
    }

    @Test func theTitleIsEscapedAndDefaultsToTheLengths() {
        let title = #"<b> & "quotes" 'n' \ ünïcode"#
        let elements = parseSVG(packingDiagramSVG(lengths: [3, 1], title: title))
        #expect(elements.first { $0.kind == "title" }?.textContent == title)
        let plain = parseSVG(packingDiagramSVG(lengths: [3, 4, 5]))
        #expect(plain.first { $0.kind == "title" }?.textContent == "Padding and packing lengths [3, 4, 5]")
    }

    @Test func aDocumentWithAWhiteBackgroundAndNoScripts() {
        let svg = packingDiagramSVG(lengths: [3, 4, 5])
        let elements = parseSVG(svg)
        #expect(elements.first?.name == "svg")
        #expect(elements.first?.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(elements.dropFirst().first { $0.name == "rect" }?.attributes["fill"] == "white")
        #expect(!elements.contains { ["script", "image", "foreignObject"].contains($0.name) })
    }

    @Test func theHeadingCountsThePadding() {
        let elements = parseSVG(packingDiagramSVG(lengths: [2, 6, 1, 6, 3]))
        let headings = elements.filter { $0.kind == "heading" }.map(\.textContent)
        #expect(headings.first?.contains("B × T = 5 × 6") == true, "\(headings)")
        #expect(headings.first?.contains("12 of 30 cells are padding") == true, "\(headings)")
        #expect(headings.last?.hasPrefix("(b) packed data: 18 rows") == true, "\(headings)")
    }
}
