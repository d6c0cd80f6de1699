/// A batch of variable-length sequences stored without padding, like
/// `torch.nn.utils.rnn.PackedSequence`.
///
/// The rows of `data` are time-major and interleaved: first the first step
/// of every sequence, longest sequence first, then the second step of every
/// sequence that has one, and so on. `batchSizes[t]` says how many sequences
/// are still running at step `t`. For sequences `a` (3 steps), `b` (1) and
/// `c` (2), in original batch order `[a, b, c]`:
///
/// ```
/// sorted by length:  a c b          data rows         batchSizes
///   t = 0            a0 c0 b0   ->  a0 c0 b0          3
///   t = 1            a1 c1      ->  a1 c1             2
///   t = 2            a2         ->  a2                1
///
/// sortedIndices   = [0, 2, 1]   (k-th longest is original sequence sortedIndices[k])
/// unsortedIndices = [0, 2, 1]   (original sequence b sits at sorted position unsortedIndices[b])
/// ```
///
/// An RNN reads the first `batchSizes[t]` rows at step `t` and never sees
/// padding. Make one with `packSequence(_:enforceSorted:)` or
/// `packPaddedSequence(_:lengths:batchFirst:enforceSorted:)`; turn it back
/// into a padded tensor with `padPackedSequence(_:batchFirst:paddingValue:totalLength:)`.
public struct PackedSequence {
    /// The steps of all sequences, `[N, *]` with `N = Σ batchSizes`, time-major
    /// and interleaved (see the type's documentation).
    public let data: Tensor
    /// The number of sequences still running at each step; non-increasing,
    /// and `batchSizes[0]` is the batch size.
    public let batchSizes: [Int]
    /// `sortedIndices[k]` is the original batch index of the k-th longest
    /// sequence; `nil` when the batch was already sorted (`enforceSorted: true`).
    public let sortedIndices: [Int]?
    /// The inverse permutation of `sortedIndices`: original sequence `b` is
    /// at sorted position `unsortedIndices[b]`; `nil` with `sortedIndices`.
    public let unsortedIndices: [Int]?

    /// Creates a packed sequence from its parts, like `PackedSequence(data,
    /// batch_sizes, sorted_indices, unsorted_indices)`.
    ///
    /// When only `sortedIndices` is given, `unsortedIndices` is computed as
    /// its inverse.
    ///
    /// - Precondition: `batchSizes` is non-empty, positive and
    ///   non-increasing, and adds up to `data.shape[0]`; `sortedIndices` is a
    ///   permutation of `0..<batchSizes[0]` and `unsortedIndices` its inverse;
    ///   `unsortedIndices` is not given without `sortedIndices`.
    public init(data: Tensor, batchSizes: [Int], sortedIndices: [Int]? = nil, unsortedIndices: [Int]? = nil) {
        precondition(!batchSizes.isEmpty, "PackedSequence: batchSizes is empty; a packed batch has at least one step")
        precondition(
            batchSizes.allSatisfy { $0 > 0 } && zip(batchSizes, batchSizes.dropFirst()).allSatisfy { $0 >= $1 },
            "PackedSequence: batchSizes \(batchSizes) must be positive and non-increasing")
        let rows = batchSizes.reduce(0, +)
        precondition(
            data.rank >= 1 && data.shape[0] == rows,
            "PackedSequence: data shape \(data.shape) should have \(rows) rows, the sum of batchSizes \(batchSizes)")
        let batch = batchSizes[0]
        var unsorted = unsortedIndices
        if let sortedIndices {
            precondition(
                sortedIndices.count == batch && Set(sortedIndices) == Set(0..<batch),
                "PackedSequence: sortedIndices \(sortedIndices) is not a permutation of 0..<\(batch) (batchSizes \(batchSizes))")
            let inverse = PackedSequence.inverse(of: sortedIndices)
            precondition(
                unsorted == nil || unsorted! == inverse,
                "PackedSequence: unsortedIndices \(unsorted!) is not the inverse \(inverse) of sortedIndices \(sortedIndices)")
            unsorted = inverse
        } else {
            precondition(unsorted == nil, "PackedSequence: unsortedIndices \(unsorted!) given without sortedIndices")
        }
        self.init(validatedData: data, batchSizes: batchSizes, sortedIndices: sortedIndices, unsortedIndices: unsorted)
    }

    /// The memberwise initializer, for parts already known to be consistent.
    init(validatedData data: Tensor, batchSizes: [Int], sortedIndices: [Int]?, unsortedIndices: [Int]?) {
        self.data = data
        self.batchSizes = batchSizes
        self.sortedIndices = sortedIndices
        self.unsortedIndices = unsortedIndices
    }

    /// The number of sequences, `batchSizes[0]`.
    public var batchSize: Int { batchSizes[0] }

    /// The length of every sequence, in the original batch order.
    ///
    /// ```swift
    /// packSequence([[1, 2, 3], [1, 2, 3, 4]], enforceSorted: false).lengths   // [3, 4]
    /// ```
    public var lengths: [Int] {
        let sortedLengths = (0..<batchSize).map { k in batchSizes.prefix { $0 > k }.count }
        guard let unsortedIndices else { return sortedLengths }
        return unsortedIndices.map { sortedLengths[$0] }
    }

    /// The same batch layout holding other per-step values, `[N, *]`, like
    /// `PackedSequence(f(p.data), p.batch_sizes, p.sorted_indices, p.unsorted_indices)`
    /// (an embedding or a linear layer applied to every step).
    ///
    /// - Precondition: `data.shape[0]` equals the number of packed rows.
    public func replacing(data newData: Tensor) -> PackedSequence {
        precondition(
            newData.rank >= 1 && newData.shape[0] == data.shape[0],
            "PackedSequence.replacing(data:): shape \(newData.shape) should have \(data.shape[0]) rows like data \(data.shape)")
        return PackedSequence(
            validatedData: newData, batchSizes: batchSizes, sortedIndices: sortedIndices, unsortedIndices: unsortedIndices)
    }
}

// MARK: - Layout shared by the packing and padding functions

/// Where each packed row comes from: the step and the original batch index.
struct PackedLayout {
    let batchSizes: [Int]
    let sortedIndices: [Int]?
    let unsortedIndices: [Int]?
    /// `positions[k]` is the `(time, batch)` of packed row `k`, batch in the
    /// caller's original order.
    let positions: [(time: Int, batch: Int)]

    /// The layout of sequences with the given lengths.
    ///
    /// With `enforceSorted`, lengths must already be non-increasing; without
    /// it they are sorted decreasing with ties kept in their original order:
    /// Torchlet's choice, for a reproducible layout. PyTorch's
    /// `torch.sort(descending=True)` leaves the order of ties unspecified
    /// (with 17 or more it differs); `unsortedIndices` undoes either.
    ///
    /// - Precondition: `lengths` is non-empty and every length is at least 1;
    ///   with `enforceSorted`, lengths are sorted decreasing. `function`
    ///   names the caller in the messages.
    init(lengths: [Int], enforceSorted: Bool, function: String) {
        precondition(!lengths.isEmpty, "\(function): no sequences to pack")
        let bad = lengths.firstIndex { $0 < 1 }
        precondition(
            bad == nil,
            "\(function): Length of all samples has to be greater than 0, but found an element in 'lengths' that "
                + "is <= 0: lengths \(lengths) has \(lengths[bad ?? 0]) at index \(bad ?? 0) (as in PyTorch: "
                + "drop the empty sequences before packing)")
        let order: [Int]
        if enforceSorted {
            precondition(
                zip(lengths, lengths.dropFirst()).allSatisfy { $0 >= $1 },
                "\(function): `lengths` array must be sorted in decreasing order when `enforceSorted` is true; "
                    + "got lengths \(lengths). You can pass `enforceSorted: false` to packPaddedSequence and/or "
                    + "packSequence to pack sequences in any order.")
            order = Array(lengths.indices)
            sortedIndices = nil
            unsortedIndices = nil
        } else {
            order = lengths.indices.sorted { lengths[$0] > lengths[$1] || (lengths[$0] == lengths[$1] && $0 < $1) }
            sortedIndices = order
            unsortedIndices = PackedSequence.inverse(of: order)
        }
        let steps = lengths[order[0]]
        batchSizes = (0..<steps).map { t in lengths.lazy.filter { $0 > t }.count }
        positions = PackedLayout.positions(batchSizes: batchSizes, order: order)
    }

    /// The layout of an existing packed sequence.
    init(_ packed: PackedSequence) {
        batchSizes = packed.batchSizes
        sortedIndices = packed.sortedIndices
        unsortedIndices = packed.unsortedIndices
        positions = PackedLayout.positions(
            batchSizes: batchSizes, order: packed.sortedIndices ?? Array(0..<packed.batchSize))
    }

    /// The (time, original batch index) of every packed row, in packed order.
    static func positions(batchSizes: [Int], order: [Int]) -> [(time: Int, batch: Int)] {
        var positions: [(time: Int, batch: Int)] = []
        positions.reserveCapacity(batchSizes.reduce(0, +))
        for (t, live) in batchSizes.enumerated() {
            for k in 0..<live { positions.append((t, order[k])) }
        }
        return positions
    }

    /// A packed sequence with this layout around `data`.
    func packed(_ data: Tensor) -> PackedSequence {
        PackedSequence(validatedData: data, batchSizes: batchSizes, sortedIndices: sortedIndices, unsortedIndices: unsortedIndices)
    }

    /// The row of each packed step in a padded tensor flattened to
    /// `[T·B, F]` (`[B·T, F]` with `batchFirst`).
    func paddedRows(steps: Int, batch: Int, batchFirst: Bool) -> [Int] {
        positions.map { batchFirst ? $0.batch * steps + $0.time : $0.time * batch + $0.batch }
    }
}

extension PackedSequence {
    /// The inverse of a permutation: `inverse[p[k]] = k`.
    static func inverse(of permutation: [Int]) -> [Int] {
        var inverse = [Int](repeating: 0, count: permutation.count)
        for (k, p) in permutation.enumerated() { inverse[p] = k }
        return inverse
    }
}

extension Tensor {
    /// This `[N, F]` tensor's rows written into a new `[count, F]` tensor at
    /// rows `destinations` (all distinct), every other value `fill`; the
    /// inverse of `indexSelect(dim: 0, …)`. The gradient of row `k` is the
    /// gradient of row `destinations[k]`. `op` names the caller for anomaly
    /// detection.
    func scatteredRows(count rows: Int, at destinations: [Int], fill: Float, op: String) -> Tensor {
        let width = shape[1]
        var out = [Float](repeating: fill, count: rows * width)
        scalars.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                for (k, d) in destinations.enumerated() {
                    for j in 0..<width { o[d * width + j] = x[k * width + j] }
                }
            }
        }
        return Tensor.result(op: op, shape: [rows, width], scalars: out, inputs: [self]) { g in
            var gx = [Float](repeating: 0, count: destinations.count * width)
            for (k, d) in destinations.enumerated() {
                for j in 0..<width { gx[k * width + j] = g[d * width + j] }
            }
            return [gx]
        }
    }
}
