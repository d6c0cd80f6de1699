import Foundation
import Torchlet

/// A list of items drawn with fixed weights, such as a Zipf-shaped word list.
///
/// Drawing is a binary search over cumulative weights, so it costs
/// O(log n) and uses exactly one `Generator.next()` per draw, which keeps the
/// generated data reproducible bit for bit.
struct WeightedChoice<Item>: Sendable where Item: Sendable {
    let items: [Item]
    private let cumulative: [Double]

    /// Items with the given positive weights.
    init(_ items: [Item], weights: [Double]) {
        precondition(!items.isEmpty && items.count == weights.count,
                     "WeightedChoice: \(items.count) items but \(weights.count) weights")
        var total = 0.0
        cumulative = weights.map { w in
            precondition(w > 0, "WeightedChoice: weight \(w) must be positive")
            total += w
            return total
        }
        self.items = items
    }

    /// Items whose weights follow Zipf's law: the item at rank r (from 0) has
    /// weight `1 / (r + 1)^exponent`, so the first items are common and the
    /// last ones rare.
    init(zipf items: [Item], exponent: Double = 1) {
        self.init(items, weights: items.indices.map { 1 / Foundation.pow(Double($0 + 1), exponent) })
    }

    /// One item, drawn with probability proportional to its weight.
    func draw(_ generator: Generator) -> Item {
        let u = unitDouble(generator) * cumulative[cumulative.count - 1]
        var low = 0, high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > u { high = mid } else { low = mid + 1 }
        }
        return items[low]
    }
}

/// A uniform `Double` in `[0, 1)` from the top 53 bits of one draw.
func unitDouble(_ generator: Generator) -> Double {
    Double(generator.next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
}

/// `true` with probability `p`, from one draw.
func chance(_ p: Double, _ generator: Generator) -> Bool {
    unitDouble(generator) < p
}
