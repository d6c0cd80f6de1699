import Torchlet

/// Checks for `exercise(…, unusable:)`: each names what is wrong with a
/// student's result that the lesson could not go on with, or returns `nil`.
///
/// They catch what would stop the lesson (an empty list, a tensor of the
/// wrong shape, a batch that names a position twice), not every wrong
/// answer: grading does that.
///
/// ```swift
/// exercise("3.2", "a mask from lengths", student: { … }, reference: { … },
///          unusable: { Unusable.shape($0, [3, 6], "a mask") })
/// ```
public enum Unusable {
    /// A tensor of `shape`.
    public static func shape(_ tensor: Tensor, _ shape: [Int], _ name: String = "a tensor") -> String? {
        tensor.shape == shape ? nil : "\(name) of shape \(tensor.shape), not \(shape)"
    }

    /// `count` values, the scalars of `name`.
    public static func count(_ values: [Float], _ count: Int, _ name: String) -> String? {
        values.count == count ? nil : "\(values.count) values for \(name) (\(count))"
    }

    /// A loss: one number.
    public static func loss(_ tensor: Tensor) -> String? {
        tensor.count == 1 ? nil : "a loss of shape \(tensor.shape), not one number"
    }

    /// A share from 0 to 1, such as an accuracy.
    public static func share(_ value: Double, _ name: String) -> String? {
        (0...1).contains(value) ? nil : "\(name) of \(value), not a share from 0 to 1"
    }

    /// Batches of at most `batchSize` positions that hold each of
    /// `0..<count` once (with `dropLast`, all but the last `count %
    /// batchSize` of them), none empty.
    public static func batches(_ batches: [[Int]], count: Int, batchSize: Int, dropLast: Bool = false) -> String? {
        if batches.contains(where: { $0.isEmpty || $0.count > batchSize }) { return "an empty batch, or one of more than \(batchSize)" }
        let all = batches.joined()
        guard all.allSatisfy({ (0..<count).contains($0) }) else { return "a position outside 0..<\(count)" }
        let expected = dropLast ? count / batchSize * batchSize : count
        return all.count == expected && Set(all).count == expected ? nil
            : "\(all.count) positions in all, not \(expected) different ones of 0..<\(count)"
    }

    /// `rows` rows of `columns` ids each, such as `[T][B]` streams of tokens.
    public static func grid(_ grid: [[Int]], rows: Int, columns: Int, _ name: String) -> String? {
        grid.count == rows && grid.allSatisfy({ $0.count == columns }) ? nil
            : "\(name) of \(grid.count) rows of \(grid.map(\.count).min() ?? 0)–\(grid.map(\.count).max() ?? 0) ids, not \(rows) of \(columns)"
    }

    /// `[T][B]` streams of `tokens` ids cut for `batchSize` columns (exercise 8.1).
    public static func streams(_ streams: [[Int]], tokens: Int, batchSize: Int) -> String? {
        grid(streams, rows: tokens / batchSize, columns: batchSize, "streams")
    }

    /// The chunk of `source` at row `start`, `length` rows at most, and its
    /// targets one row later: as many rows each, as wide as `source` (exercise 8.2).
    public static func chunk(_ chunk: (inputs: [[Int]], targets: [[Int]]), of source: [[Int]], at start: Int, length: Int) -> String? {
        let rows = Swift.min(length, source.count - 1 - start), columns = source.first?.count ?? 0
        return grid(chunk.inputs, rows: rows, columns: columns, "inputs") ?? grid(chunk.targets, rows: rows, columns: columns, "targets")
    }

    /// A recurrent state to carry on: `h` and `c` each `[layers, batch, size]`
    /// (a GRU's `c` is an empty placeholder, `[layers, batch, 0]`).
    public static func state(_ state: LSTMState, batch: Int) -> String? {
        [state.h, state.c].allSatisfy { $0.rank == 3 && $0.shape[1] == batch } ? nil
            : "a state of shapes \(state.h.shape) and \(state.c.shape), not [layers, \(batch), size] twice"
    }

    /// `count` rows of one length, the padded batch of `lengths`.
    public static func padded(_ rows: [[Int]], lengths: [Int], count: Int) -> String? {
        guard rows.count == count, lengths.count == count else {
            return "\(rows.count) rows and \(lengths.count) lengths for \(count) sequences"
        }
        guard let width = rows.first?.count, rows.allSatisfy({ $0.count == width }) else { return "rows of different lengths" }
        return lengths.allSatisfy({ (1...width).contains($0) }) ? nil : "lengths \(lengths) for rows of \(width) ids"
    }
}
