import Torchlet

/// A packed sequence the way PyTorch prints one.
public func describe(_ p: PackedSequence) -> String {
    let indices = { (i: [Int]?) in i.map { "\($0)" } ?? "nil" }
    return "PackedSequence(data=\(listed(p.data.scalars)), batchSizes=\(p.batchSizes), "
        + "sortedIndices=\(indices(p.sortedIndices)), unsortedIndices=\(indices(p.unsortedIndices)))"
}

/// Draws a batch three ways: padded in the original order, sorted longest
/// first with the batch size under each column, and the packed data read
/// column after column.
public func drawPacking(_ rows: [[String]], sortedIndices: [Int]?, batchSizes: [Int]) {
    let steps = batchSizes.count
    let width = max(rows.joined().map(\.count).max() ?? 1, batchSizes.map { String($0).count }.max()!)
    func line(_ label: String, _ cells: [String]) -> String {
        "    " + label.padding(toLength: 12, withPad: " ", startingAt: 0)
            + cells.map { $0.padding(toLength: width, withPad: " ", startingAt: 0) }.joined(separator: " ")
    }
    func padded(_ b: Int) -> [String] { rows[b] + [String](repeating: "·", count: steps - rows[b].count) }
    print("  padded, in batch order (· is padding):")
    for b in rows.indices { print(line("sequence \(b)", padded(b))) }
    let order = sortedIndices ?? Array(rows.indices)
    print("  sorted longest first (" + (sortedIndices.map { "sortedIndices \($0)" } ?? "already sorted") + "):")
    for b in order { print(line("sequence \(b)", padded(b))) }
    print(line("batchSizes", batchSizes.map(String.init)) + "  ← how many rows each column has")
    let columns = (0..<steps).map { t in order.prefix(batchSizes[t]).map { rows[$0][t] }.joined(separator: " ") }
    print("  packed data, column after column:")
    print("    " + columns.joined(separator: " | "))
}
