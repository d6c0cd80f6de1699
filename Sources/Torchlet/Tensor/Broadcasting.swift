/// Broadcasting: how two shapes combine in an element-wise operation, and
/// how a gradient is summed back to an input's shape.
///
/// The rule is NumPy's and PyTorch's: align the shapes on the right; two
/// sizes match when they are equal or one of them is 1.
///
/// ```
/// [4, 3] + [3]     → [4, 3]
/// [2, 1, 5] + [3, 1] → [2, 3, 5]
/// ```
enum Broadcasting {
    /// The shape two operands broadcast to.
    ///
    /// - Precondition: the shapes are compatible; the message names `op`.
    static func shape(_ a: [Int], _ b: [Int], op: String) -> [Int] {
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            precondition(
                da == db || da == 1 || db == 1,
                "\(op): shapes \(a) and \(b) do not broadcast (dimension \(i): \(da) vs \(db))")
            result[i] = da == 1 ? db : da
        }
        return result
    }

    /// For each element of `outShape`, the offset of the element of
    /// `inShape` it reads from when `inShape` is broadcast to `outShape`.
    static func sourceOffsets(from inShape: [Int], to outShape: [Int]) -> [Int] {
        let rank = outShape.count
        let padded = [Int](repeating: 1, count: rank - inShape.count) + inShape
        // Strides of the input, with 0 where the input is broadcast.
        var strides = [Int](repeating: 0, count: rank)
        var step = 1
        for d in stride(from: rank - 1, through: 0, by: -1) {
            strides[d] = padded[d] == 1 ? 0 : step
            step *= padded[d]
        }
        return offsets(iterating: outShape, strides: strides)
    }

    /// The offset `Σ index[d] · strides[d]` of every element of `shape`, in
    /// row-major order: how to read a tensor whose layout is given by
    /// `strides` (broadcast, permuted) as if it were contiguous.
    static func offsets(iterating shape: [Int], strides: [Int]) -> [Int] {
        let rank = shape.count
        let total = shape.reduce(1, *)
        var offsets = [Int](repeating: 0, count: total)
        var index = [Int](repeating: 0, count: rank)
        var offset = 0
        for i in 0..<total {
            offsets[i] = offset
            // Advance the multi-index like an odometer.
            var d = rank - 1
            while d >= 0 {
                index[d] += 1
                offset += strides[d]
                if index[d] < shape[d] { break }
                offset -= strides[d] * index[d]
                index[d] = 0
                d -= 1
            }
        }
        return offsets
    }

    /// Whether `small` equals the trailing dimensions of `big` (a row
    /// broadcast, the common case of adding a bias).
    static func isSuffix(_ small: [Int], of big: [Int]) -> Bool {
        small.count <= big.count && Array(big.suffix(small.count)) == small
    }

    /// The sum of each column of row-major `g` `[rows, columns]`, adding the
    /// rows in order: a bias's gradient, and any row broadcast's.
    ///
    /// Eight columns at a time (the plain loop compiled to scalar adds: 3%
    /// of `lstm_dense`), and a large `g` split by columns across threads
    /// (a language model's output bias sums 2,240 rows of 10,000); each
    /// column is still summed in row order, so the bits do not change.
    ///
    /// The running sums of four vectors of columns stay in registers for a
    /// block of 16 rows (`columnSumRows`, see `addColumns`), so each row's
    /// values cost one load per vector, not a load of the sum, a load and
    /// a store (measured on 1,600 × 512, `lstm_dense`'s gate gradients,
    /// one thread, 200 alternating rounds: 134 µs against 614, fastest
    /// tenth; 2,240 × 1,000 and 6,400 × 2,048 4.1–4.5× faster too; whole
    /// `lstm_dense`, `lm_step` and `day3_epoch` runs within the noise,
    /// 0.98–1.01× the time).
    static func columnSums(_ g: [Float], columns: Int) -> [Float] {
        var sums = [Float](repeating: 0, count: columns)
        guard columns > 0 else { return sums }
        let rows = g.count / columns
        g.withUnsafeBufferPointer { g in
        sums.withUnsafeMutableBufferPointer { sums in
            let lines = (columns + 15) / 16  // 16-float cache lines: parts do not share one
            let parts = g.count >= Parallelism.minimumValuesToSplit ? min(Parallelism.threadCount, lines) : 1
            Parallelism.perform(parts) { p in
                let start = min(columns, lines * p / parts * 16), end = min(columns, lines * (p + 1) / parts * 16)
                let total = sums.baseAddress!
                for r0 in stride(from: 0, to: rows, by: columnSumRows) {
                    let first = g.baseAddress! + r0 * columns, count = min(columnSumRows, rows - r0)
                    var j = start
                    while j + 4 * VectorMath.V.scalarCount <= end {
                        addColumns(j, of: first, rows: count, columns: columns, into: total)
                        j += 4 * VectorMath.V.scalarCount
                    }
                    while j < end {
                        let lanes = min(VectorMath.V.scalarCount, end - j)
                        var sum = VectorMath.load(total + j, count: lanes)
                        for r in 0..<count { sum += VectorMath.load(first + r * columns + j, count: lanes) }
                        VectorMath.store(sum, total + j, count: lanes)
                        j += VectorMath.V.scalarCount
                    }
                }
            }
        }}
        return sums
    }

    /// Rows per block of `columnSums`: 16 rows of 10,000 columns are 640 KB,
    /// which stay in L2 while the block's column strips are summed.
    static let columnSumRows = 16

    /// Adds rows `0..<rows` of four vectors of columns from column `j`
    /// (rows `columns` apart from `first`) to the running sums at
    /// `total + j`, in row order.
    @inline(__always)
    static func addColumns(
        _ j: Int, of first: UnsafePointer<Float>, rows: Int, columns: Int, into total: UnsafeMutablePointer<Float>
    ) {
        typealias V = VectorMath.V
        func load(_ p: UnsafePointer<Float>, _ i: Int) -> V {
            UnsafeRawPointer(p + j + V.scalarCount * i).loadUnaligned(as: V.self)
        }
        func store(_ v: V, _ i: Int) { UnsafeMutableRawPointer(total + j + V.scalarCount * i).storeBytes(of: v, as: V.self) }
        var s0 = load(total, 0), s1 = load(total, 1), s2 = load(total, 2), s3 = load(total, 3)
        var row = first
        for _ in 0..<rows {
            s0 += load(row, 0); s1 += load(row, 1); s2 += load(row, 2); s3 += load(row, 3)
            row += columns
        }
        store(s0, 0); store(s1, 1); store(s2, 2); store(s3, 3)
    }

    /// Sums a gradient of shape `outShape` down to `inShape`, the inverse of
    /// broadcasting `inShape` up to `outShape`.
    static func reduce(_ grad: [Float], from outShape: [Int], to inShape: [Int]) -> [Float] {
        if inShape == outShape { return grad }
        let n = inShape.reduce(1, *)
        var result = [Float](repeating: 0, count: n)
        if n == 1 {
            var total: Float = 0
            for g in grad { total += g }
            result[0] = total
        } else if isSuffix(inShape, of: outShape) {
            result = columnSums(grad, columns: n)
        } else {
            let offsets = sourceOffsets(from: inShape, to: outShape)
            for i in 0..<grad.count { result[offsets[i]] += grad[i] }
        }
        return result
    }

    /// Applies `f` element-wise to `a` and `b` broadcast together.
    @inline(__always)
    static func apply(
        _ a: Tensor, _ b: Tensor, op: String, _ f: (Float, Float) -> Float
    ) -> (shape: [Int], scalars: [Float]) {
        if a.shape == b.shape {
            var out = [Float](repeating: 0, count: a.count)
            a.scalars.withUnsafeBufferPointer { x in
                b.scalars.withUnsafeBufferPointer { y in
                    out.withUnsafeMutableBufferPointer { o in
                        for i in 0..<o.count { o[i] = f(x[i], y[i]) }
                    }
                }
            }
            return (a.shape, out)
        }
        let shape = Broadcasting.shape(a.shape, b.shape, op: op)
        let total = shape.reduce(1, *)
        var out = [Float](repeating: 0, count: total)
        if shape == a.shape && isSuffix(b.shape, of: shape) {
            let n = max(b.count, 1)
            a.scalars.withUnsafeBufferPointer { x in
                b.scalars.withUnsafeBufferPointer { y in
                    out.withUnsafeMutableBufferPointer { o in
                        for i in 0..<total { o[i] = f(x[i], y[i % n]) }
                    }
                }
            }
        } else if shape == b.shape && isSuffix(a.shape, of: shape) {
            let n = max(a.count, 1)
            a.scalars.withUnsafeBufferPointer { x in
                b.scalars.withUnsafeBufferPointer { y in
                    out.withUnsafeMutableBufferPointer { o in
                        for i in 0..<total { o[i] = f(x[i % n], y[i]) }
                    }
                }
            }
        } else {
            let ia = sourceOffsets(from: a.shape, to: shape)
            let ib = sourceOffsets(from: b.shape, to: shape)
            for i in 0..<total { out[i] = f(a.scalars[ia[i]], b.scalars[ib[i]]) }
        }
        return (shape, out)
    }
}
