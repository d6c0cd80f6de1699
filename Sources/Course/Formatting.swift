import Foundation

/// `value` with `digits` decimals: `format(0.04512)` → `"0.045"`.
public func format<F: BinaryFloatingPoint>(_ value: F, _ digits: Int = 3) -> String {
    String(format: "%.\(digits)f", Double(value))
}

/// A share as a percentage with `digits` decimals: `percent(0.1234)` → `"12.3%"`.
public func percent(_ share: Double, _ digits: Int = 1) -> String {
    String(format: "%.\(digits)f%%", 100 * share)
}

/// Values that are whole numbers printed as integers: `[1.0, 2.5]` → `"[1, 2.5000]"`, so token ids stored as `Float` read as ids.
public func listed(_ values: [Float]) -> String {
    "[" + values.map { $0 == $0.rounded() && abs($0) < 1e7 ? String(Int($0)) : String(format: "%.4f", $0) }
        .joined(separator: ", ") + "]"
}

extension String {
    /// The string right-aligned in a column of `width` characters (unchanged when longer).
    public func leftPadded(_ width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}
