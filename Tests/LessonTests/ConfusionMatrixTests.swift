import Foundation
import Testing
import TestSupport
import Torchlet
@testable import Course

/// `ConfusionMatrix`: counts, per-tag precision/recall/F1 against counts
/// taken straight from the pairs, the averages (micro F1 is the accuracy),
/// the table, and the heat map's SVG.
@Suite struct ConfusionMatrixTests {
    /// Random gold and predicted labels, mostly right, over `classes` labels.
    static func randomPairs(seed: UInt64, classes: Int, count: Int) -> (gold: [Int], predicted: [Int]) {
        let g = Generator(seed: seed)
        let gold = (0..<count).map { _ in g.nextInt(below: classes) }
        let predicted = gold.map { g.nextUniform() < 0.7 ? $0 : g.nextInt(below: classes) }
        return (gold, predicted)
    }

    @Test func countsGoldInRowsAndPredictionsInColumns() {
        let m = ConfusionMatrix(labels: ["A", "B", "C"], gold: [0, 0, 1, 2, 2, 2], predicted: [0, 1, 1, 2, 0, 2])
        #expect(m.counts == [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
        #expect(m.total == 6 && m.correct == 4)
        #expect(m.support(2) == 3 && m.predictedCount(0) == 2)
        let a = m.scores[0]
        #expect(a.precision == 0.5 && a.recall == 0.5 && a.f1 == 0.5 && a.support == 2)
        let b = m.scores[1]
        #expect(b.precision == 0.5 && b.recall == 1 && abs(b.f1 - 2.0 / 3) < 1e-12)
    }

    @Test func scoresMatchCountsTakenFromThePairs() {
        for seed in UInt64(0)..<10 {
            let classes = 2 + Int(seed % 5)
            let (gold, predicted) = Self.randomPairs(seed: seed, classes: classes, count: 200)
            let m = ConfusionMatrix(labels: (0..<classes).map { "t\($0)" }, gold: gold, predicted: predicted)
            for (c, s) in m.scores.enumerated() {
                let tp = zip(gold, predicted).filter { $0 == c && $1 == c }.count
                let fp = zip(gold, predicted).filter { $0 != c && $1 == c }.count
                let fn = zip(gold, predicted).filter { $0 == c && $1 != c }.count
                let p = tp + fp == 0 ? 0 : Double(tp) / Double(tp + fp), r = tp + fn == 0 ? 0 : Double(tp) / Double(tp + fn)
                #expect(abs(s.precision - p) < 1e-12 && abs(s.recall - r) < 1e-12, "seed \(seed), class \(c)")
                #expect(abs(s.f1 - (p + r == 0 ? 0 : 2 * p * r / (p + r))) < 1e-12, "seed \(seed), class \(c)")
                #expect(s.support == tp + fn)
            }
        }
    }

    @Test func microF1IsTheAccuracyForSingleLabelTagging() {
        for seed in UInt64(0)..<10 {
            let (gold, predicted) = Self.randomPairs(seed: seed, classes: 6, count: 150)
            let m = ConfusionMatrix(labels: (0..<6).map(String.init), gold: gold, predicted: predicted)
            let accuracy = Double(zip(gold, predicted).filter { $0 == $1 }.count) / Double(gold.count)
            let micro = m.microAverage
            #expect(abs(m.accuracy - accuracy) < 1e-12)
            #expect(abs(micro.precision - accuracy) < 1e-12 && abs(micro.recall - accuracy) < 1e-12
                    && abs(micro.f1 - accuracy) < 1e-12, "seed \(seed)")
        }
    }

    @Test func macroAveragesOverTheTagsThatOccurAndWeighsRareTagsEqually() {
        // A never occurs nor is predicted; C is rare and always missed.
        let m = ConfusionMatrix(labels: ["A", "B", "C"], gold: [1, 1, 1, 1, 1, 1, 1, 1, 1, 2], predicted: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1])
        let s = m.scores
        #expect(s[0] == TagScores(label: "A", precision: 0, recall: 0, f1: 0, support: 0))
        #expect(abs(m.macroAverage.f1 - (s[1].f1 + 0) / 2) < 1e-12, "mean over B and C only")
        #expect(m.macroAverage.f1 < m.microAverage.f1, "the missed rare tag pulls macro F1 below micro")
    }

    @Test func theTableHasOneRowPerTagAndTheAverages() {
        let m = ConfusionMatrix(labels: ["NOUN", "VERB"], gold: [0, 0, 1, 1], predicted: [0, 1, 1, 1])
        let lines = m.scoresTable().split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        #expect(lines[0].hasPrefix("tag") && lines[0].hasSuffix("support"))
        #expect(lines[1] == "NOUN".padding(toLength: 9, withPad: " ", startingAt: 0) + "      1.000   0.500   0.667        2")
        #expect(lines[3].hasPrefix("macro avg") && lines[4].hasPrefix("micro avg"))
        #expect(lines[4].contains("0.750   0.750   0.750        4"))
    }

    @Test func theHeatMapHasACellPerPairShadedByTheShareOfItsRow() {
        for seed in UInt64(0)..<4 {
            let (gold, predicted) = Self.randomPairs(seed: seed, classes: 4, count: 60)
            let labels = ["DET", "NOUN", "VERB", "A&B <x>"]
            let m = ConfusionMatrix(labels: labels, gold: gold, predicted: predicted)
            let svg = confusionHeatMapSVG(m, title: "seed \(seed) <test>")
            let elements = parseSVG(svg)
            let cells = elements.filter { $0.kind == "cell" }
            #expect(cells.count == 16)
            for c in cells {
                let (i, j) = (Int(c.attributes["data-gold"]!)!, Int(c.attributes["data-predicted"]!)!)
                #expect(Int(c.attributes["data-count"]!) == m.counts[i][j])
                let share = Double(m.counts[i][j]) / Double(m.support(i))
                #expect(abs(Double(c.attributes["data-share"]!)! - share) < 1e-4)
                #expect(c.attributes["fill"] == heatColor(share))
            }
            let counts = elements.filter { $0.kind == "count" }.map(\.textContent)
            #expect(counts == m.counts.joined().filter { $0 > 0 }.map(String.init), "counts row by row, none for empty cells")
            #expect(elements.filter { $0.kind == "row-label" }.map(\.textContent) == labels)
            #expect(elements.filter { $0.kind == "column-label" }.map(\.textContent) == labels)
            #expect(elements.first { $0.kind == "title" }?.textContent == "seed \(seed) <test>")
            #expect(svg == confusionHeatMapSVG(m, title: "seed \(seed) <test>"), "deterministic")
        }
    }

    @Test func darkerMeansALargerShare() {
        #expect(heatColor(0) == "#ffffff")
        #expect(heatColor(1) == "#08306b")
        let shades = [0.0, 0.05, 0.3, 0.7, 1].map { Int(heatColor($0).dropFirst().prefix(2), radix: 16)! }
        #expect(shades == shades.sorted(by: >) && Set(shades).count == shades.count)
    }
}
