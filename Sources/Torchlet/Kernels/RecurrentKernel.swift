/// The pieces the LSTM and GRU layer kernels share: the packed layout's
/// step bookkeeping, the recurrent weight packed once per sequence, and the
/// parameter gradients summed over all steps with one matrix product each.
///
/// Both kernels take a sequence in packed layout: `input` is `[N, I]`, the
/// rows of time step `t` are `batchSizes[t]` consecutive rows starting at
/// `rowOffsets(batchSizes)[t]`, and the live sequences at each step are the
/// first `batchSizes[t]` (lengths sorted decreasing). A dense `[T, B, I]`
/// batch is the special case `batchSizes = [B] * T`.
enum RecurrentKernel {
    /// The first packed row of each time step.
    static func rowOffsets(_ batchSizes: [Int]) -> [Int] {
        var offsets = [Int](repeating: 0, count: batchSizes.count)
        for t in batchSizes.indices.dropFirst() { offsets[t] = offsets[t - 1] + batchSizes[t - 1] }
        return offsets
    }

    /// The batch rows each thread takes, as contiguous ranges: part `p`
    /// runs the whole recurrence, forward or backward, for the rows in
    /// `ranges[p]` (one range, all rows, when the layer is too small to
    /// split; see `minimumWorkPerPart`).
    ///
    /// The rows of a batch are independent sequences, so a part never
    /// waits for another between steps: one parallel loop per layer, not
    /// one per step. The ranges balance the row-steps (a packed batch's
    /// first rows are its longest sequences), and contiguous rows keep the
    /// threads off each other's cache lines (interleaved rows shared a line
    /// at every row edge: 20% slower at hidden size 64). Every value is
    /// computed by the same operations whichever part holds its row, so
    /// results are bit-identical for any thread count: the matrix product
    /// computes each row of `C` from its row of `A` alone, by the same
    /// operations wherever the row falls in a register block
    /// (`ThreadingTests` checks it).
    ///
    /// Splitting each step by hidden units instead (one parallel loop per
    /// step, each thread taking its units' four gate column blocks and
    /// their gate arithmetic) was built and measured slower on 2 threads
    /// in every round: `lstm_dense` 11.7–12.5 ms against 10.4–11.3 ms with
    /// rows, forward only 3.9–4.2 against 3.0–3.7 ms, `lstm_large` 1.10–1.12
    /// against 1.06–1.08 s; an empty parallel loop costs about 2 µs, so the
    /// loss is the narrower products, not the synchronization.
    static func rowRanges(_ batchSizes: [Int], batch: Int, hidden: Int, width: Int) -> [Range<Int>] {
        let n = batchSizes.reduce(0, +)
        let parts = max(1, min(Parallelism.threadCount, batch, n * hidden * width / minimumWorkPerPart))
        if parts == 1 { return [0..<batch] }
        // Row r is live in every step whose batch size exceeds r.
        var length = [Int](repeating: 0, count: batch)
        for size in batchSizes where size > 0 { length[size - 1] += 1 }
        for r in stride(from: batch - 2, through: 0, by: -1) { length[r] += length[r + 1] }
        // Part k starts where the row-steps before it reach k/parts of all.
        var starts = [0], total = 0
        for r in 0..<batch {
            total += length[r]
            while starts.count < parts && total * parts >= n * starts.count { starts.append(r + 1) }
        }
        return (0..<parts).map { starts[$0]..<($0 + 1 < parts ? starts[$0 + 1] : batch) }
    }

    /// Recurrent multiply-adds (rows × H × gates·H over the sequence) per
    /// part below which a second thread does not pay: 1M.
    ///
    /// Measured with `ThreadingMeasurement` (LSTM forward + backward, 20
    /// steps, split regardless of size; 2 threads ÷ 1 thread, three runs on
    /// the 2-core AMD EPYC machine, with `CPUPlacement`): 5K–160K per part
    /// 0.90–1.21, 0.33M 0.91–0.98, 0.66M 0.89–0.94, 1.3M 0.78–0.93, 2.6M
    /// 0.71–0.88, 5.2M (batch 32, H 64) 0.64–0.65, 21M (batch 32, H 128)
    /// 0.56–0.73. (Before `CPUPlacement`, on the Intel machine, parts below
    /// 5M were no faster on two threads, and the value was 4M.)
    /// (A variable only so that `ThreadingMeasurement` can lower it.)
    nonisolated(unsafe) static var minimumWorkPerPart = 1 << 20

    /// Runs `body(t, offset, rows)` for every step `t` of `steps`, in order,
    /// once per part of `ranges`, each part on its own thread: `offset` is
    /// the step's first row in the packed data and `rows` the part's live
    /// rows of the step (steps where it has none are skipped).
    static func forEachStep(
        _ steps: [Int], batchSizes: [Int], offsets: [Int], ranges: [Range<Int>],
        _ body: (_ t: Int, _ offset: Int, _ rows: Range<Int>) -> Void
    ) {
        Parallelism.perform(ranges.count) { part in
            for t in steps {
                let rows = ranges[part].clamped(to: 0..<batchSizes[t])
                if !rows.isEmpty { body(t, offsets[t], rows) }
            }
        }
    }

    /// The time steps in the order a direction visits them.
    static func stepOrder(_ batchSizes: [Int], reverse: Bool) -> [Int] {
        reverse ? Array(batchSizes.indices.reversed()) : Array(batchSizes.indices)
    }

    /// `Wᵀ` `[K, G]` packed for `h · W_hhᵀ` (K = H) or `x · W_ihᵀ` (K = I)
    /// at every forward step (`W` is `[G, K]`, G = gates·H).
    static func packedForward(_ weight: [Float], k: Int, width: Int) -> [Float] {
        weight.withUnsafeBufferPointer {
            MatrixMultiply.packed($0.baseAddress!, k: k, n: width, rowStride: 1, columnStride: k)
        }
    }

    /// `W_hh` `[G, H]` packed for `dGates · W_hh` at every backward step.
    static func packedBackward(_ weightHH: [Float], hidden: Int, width: Int) -> [Float] {
        weightHH.withUnsafeBufferPointer {
            MatrixMultiply.packed($0.baseAddress!, k: width, n: hidden, rowStride: hidden, columnStride: 1)
        }
    }

    /// The gradients of `y = v · Wᵀ + b` over all `rows` steps at once, from
    /// `dY` `[rows, width]`: `dV = dY · W` (only when `needsInputGrad`),
    /// `dW = dYᵀ · v` and `db` = the column sums of `dY`.
    ///
    /// With `alsoFor: (h, size)`, also `dW₂ = dYᵀ · h` for a second linear
    /// map `h · W₂ᵀ` with the same `dY` (an LSTM's `W_hh`, whose gates sum
    /// both maps), in the same product as `dW` (see
    /// `MatrixMultiply.transposedProducts`): at `lstm_dense`'s shapes the
    /// two took 0.91–0.96× the time of two products (in one process,
    /// alternating, three runs).
    static func linearGradients(
        _ dY: [Float], input v: [Float], weight: [Float], rows: Int, inputSize: Int, width: Int, needsInputGrad: Bool,
        alsoFor second: (input: [Float], size: Int)? = nil
    ) -> (dInput: [Float]?, dWeight: [Float], dSecondWeight: [Float]?, dBias: [Float]) {
        let dInput = needsInputGrad ? MatrixMultiply.matmul(dY, weight, n: rows, k: width, m: inputSize) : nil
        let dWeight: [Float], dSecondWeight: [Float]?
        if let second {
            (dWeight, dSecondWeight) = MatrixMultiply.transposedProducts(
                dY, v, second.input, n: width, k: rows, m1: inputSize, m2: second.size)
        } else {
            (dWeight, dSecondWeight) = (MatrixMultiply.matmul(dY, v, n: width, k: rows, m: inputSize, transposeA: true), nil)
        }
        return (dInput, dWeight, dSecondWeight, Broadcasting.columnSums(dY, columns: width))
    }

    /// A buffer of `count` floats that the caller overwrites completely,
    /// not zero-filled first (zeroing the saved activations cost 3% of
    /// `lstm_dense`, all on one thread).
    static func uninitialized(_ count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }
}
