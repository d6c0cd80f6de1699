/// One direction of one GRU layer over a whole sequence, as a single
/// autograd operation with a hand-written backward pass.
///
/// Shaped for speed like `LSTMLayerKernel` (`GRUCell` is the readable
/// version; the tests check that the two agree):
/// - the input projection `x W_ihᵀ` of all time steps is one matrix product
///   before the loop; only `h W_hhᵀ` is computed per step, with `W_hhᵀ`
///   packed once for the whole sequence (see `GEMM`);
/// - unlike the LSTM's, the recurrent product goes to its own `[B, 3H]`
///   buffer instead of being added to the input's: the candidate needs
///   `m = h W_hnᵀ + b_hn` on its own to multiply it by the reset gate, and
///   backward needs `m` again, so it is saved;
/// - the gate arithmetic is one fused pass per row, eight values at a time
///   with vector `sigmoid`/`tanh` (see `VectorMath`), the last `H % 8`
///   values through the same code lane by lane;
/// - in a packed batch only the live rows of each step are computed;
/// - backward accumulates the weight gradients with one matrix product over
///   all steps after the loop, and allocates nothing per step.
///
/// ```
/// r  = σ(x W_irᵀ + h W_hrᵀ + b_ir + b_hr)
/// z  = σ(x W_izᵀ + h W_hzᵀ + b_iz + b_hz)
/// m  = h W_hnᵀ + b_hn
/// n  = tanh(x W_inᵀ + b_in + r ⊙ m)
/// h' = n + z ⊙ (h − n)                     = (1 − z) ⊙ n + z ⊙ h
/// ```
/// The sequence is given in packed layout (see `RecurrentKernel`).
enum GRULayerKernel {
    typealias V = SIMD8<Float>

    /// What backward needs from the forward pass.
    struct Saved {
        var gates: [Float]        // [N, 3H] activated r, z, n
        var hPrev: [Float]        // [N, H] h before each step
        var hiddenN: [Float]      // [N, H] m = h W_hnᵀ + b_hn
    }

    /// Runs the layer; returns the outputs `[N, H]` and the final `h`
    /// `[B, H]`, each sequence's state after its own last step.
    static func run(
        input x: Tensor, batchSizes: [Int], h0: Tensor,
        weightIH: Tensor, weightHH: Tensor, biasIH: Tensor, biasHH: Tensor, reverse: Bool
    ) -> (output: Tensor, h: Tensor) {
        Allocator.configured
        let n = x.shape[0], inputSize = x.shape[1]
        let hidden = weightHH.shape[1], width = 3 * hidden
        let batch = h0.shape[0]
        let offsets = RecurrentKernel.rowOffsets(batchSizes)
        let order = RecurrentKernel.stepOrder(batchSizes, reverse: reverse)

        // Input projection for all steps at once: [N, 3H] = x · W_ihᵀ.
        var acts = MatrixMultiply.matmul(x.scalars, weightIH.scalars, n: n, k: inputSize, m: width, transposeB: true)
        // The biases outside r ⊙ (…): b_ih + b_hh for r and z, b_in for n;
        // b_hn is added to the recurrent part of n, inside.
        let bIH = biasIH.scalars, bHH = biasHH.scalars
        let bias = (0..<width).map { $0 < 2 * hidden ? bIH[$0] + bHH[$0] : bIH[$0] }
        let biasHN = Array(bHH[(2 * hidden)...])
        let packedWhhT = RecurrentKernel.packedForward(weightHH.scalars, k: hidden, width: width)

        // Split the batch rows across threads when the recurrence is large
        // enough; otherwise each step's product may still split its columns.
        let ranges = RecurrentKernel.rowRanges(batchSizes, batch: batch, hidden: hidden, width: width)
        let innerThreads = ranges.count == 1 ? Parallelism.threadCount : 1

        var h = h0.scalars
        var recurrent = [Float](repeating: 0, count: batch * width)   // h W_hhᵀ of the current step
        // Every row of these is written at its step.
        var saved = Saved(gates: [], hPrev: RecurrentKernel.uninitialized(n * hidden),
                          hiddenN: RecurrentKernel.uninitialized(n * hidden))
        var output = RecurrentKernel.uninitialized(n * hidden)  // [N, H]

        acts.withUnsafeMutableBufferPointer { acts in
        h.withUnsafeMutableBufferPointer { h in
        recurrent.withUnsafeMutableBufferPointer { recurrent in
        saved.hPrev.withUnsafeMutableBufferPointer { hPrev in
        saved.hiddenN.withUnsafeMutableBufferPointer { hiddenN in
        output.withUnsafeMutableBufferPointer { output in
        bias.withUnsafeBufferPointer { bias in
        biasHN.withUnsafeBufferPointer { biasHN in
        packedWhhT.withUnsafeBufferPointer { packedWhhT in
            // Each part runs every step for its own rows (see RecurrentKernel.rowRanges).
            RecurrentKernel.forEachStep(order, batchSizes: batchSizes, offsets: offsets, ranges: ranges) { t, off, mine in
                // recurrent = h · W_hhᵀ for this part's live rows.
                MatrixMultiply.multiply(
                    m: mine.count, n: width, k: hidden, a: UnsafePointer(h.baseAddress! + mine.lowerBound * hidden),
                    aRowStride: hidden, aColumnStride: 1, packedB: packedWhhT.baseAddress!,
                    c: recurrent.baseAddress! + mine.lowerBound * width, ldc: width, accumulate: false, threads: innerThreads)
                for r in mine {
                    let row = off + r
                    gateStep(
                        gates: acts.baseAddress! + row * width, recurrent: recurrent.baseAddress! + r * width,
                        bias: bias.baseAddress!, biasHN: biasHN.baseAddress!, hidden: hidden,
                        h: h.baseAddress! + r * hidden, hPrev: hPrev.baseAddress! + row * hidden,
                        hiddenN: hiddenN.baseAddress! + row * hidden, output: output.baseAddress! + row * hidden)
                }
            }
        }}}}}}}}}
        saved.gates = acts

        // Two results with one backward rule (see Tensor.results).
        let inputs = [x, h0, weightIH, weightHH, biasIH, biasHH]
        // Snapshots (copy-on-write, so free unless someone writes): backward
        // uses the values of this forward pass even if an optimizer has
        // updated the weights in place since.
        let xValues = x.scalars, wihValues = weightIH.scalars, whhValues = weightHH.scalars
        let needsInputGrad = x.requiresGrad
        let savedCount = saved.gates.count + saved.hPrev.count + saved.hiddenN.count
        let results = Tensor.results(
            op: "GRU", shapes: [[n, hidden], [batch, hidden]], scalars: [output, h], inputs: inputs,
            savedScalarCount: savedCount
        ) { g in
            backward(
                gradOutput: g[0] ?? [Float](repeating: 0, count: n * hidden),
                dh: g[1] ?? [Float](repeating: 0, count: batch * hidden),
                x: xValues, inputSize: inputSize, needsInputGrad: needsInputGrad, batchSizes: batchSizes,
                offsets: offsets, order: order, n: n, batch: batch, saved: saved, hidden: hidden,
                weightIH: wihValues, weightHH: whhValues)
        }
        return (results[0], results[1])
    }

    /// The fused gate arithmetic of one row: activates r, z, n in place
    /// (over the input projection) and updates `h`, saving what backward
    /// needs.
    ///
    /// Full vectors go through `gateLanes` with a constant 8 lanes, so its
    /// loads and stores compile to single vector moves; only the last
    /// `hidden % 8` values take the lane-by-lane path. (With one loop and a
    /// variable lane count the compiler turned the vector math into scalar
    /// code: the gate pass took 22% of `gru_dense`'s time, now 10%.)
    @inline(__always)
    static func gateStep(
        gates: UnsafeMutablePointer<Float>, recurrent: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        biasHN: UnsafePointer<Float>, hidden: Int, h: UnsafeMutablePointer<Float>,
        hPrev: UnsafeMutablePointer<Float>, hiddenN: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>
    ) {
        var j = 0
        while j + 8 <= hidden {
            gateLanes(gates: gates, recurrent: recurrent, bias: bias, biasHN: biasHN, hidden: hidden, h: h,
                      hPrev: hPrev, hiddenN: hiddenN, output: output, at: j, lanes: 8)
            j += 8
        }
        if j < hidden {
            gateLanes(gates: gates, recurrent: recurrent, bias: bias, biasHN: biasHN, hidden: hidden, h: h,
                      hPrev: hPrev, hiddenN: hiddenN, output: output, at: j, lanes: hidden - j)
        }
    }

    /// `gateStep` for the `lanes` ≤ 8 values from `j`.
    @inline(__always)
    static func gateLanes(
        gates: UnsafeMutablePointer<Float>, recurrent: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        biasHN: UnsafePointer<Float>, hidden: Int, h: UnsafeMutablePointer<Float>,
        hPrev: UnsafeMutablePointer<Float>, hiddenN: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>,
        at j: Int, lanes: Int
    ) {
        let gr = gates + j, gz = gates + hidden + j, gn = gates + 2 * hidden + j
        let r = VectorMath.sigmoid(
            VectorMath.load(gr, count: lanes) + VectorMath.load(recurrent + j, count: lanes)
                + VectorMath.load(bias + j, count: lanes))
        let z = VectorMath.sigmoid(
            VectorMath.load(gz, count: lanes) + VectorMath.load(recurrent + hidden + j, count: lanes)
                + VectorMath.load(bias + hidden + j, count: lanes))
        let m = VectorMath.load(recurrent + 2 * hidden + j, count: lanes) + VectorMath.load(biasHN + j, count: lanes)
        let candidate = VectorMath.tanh(
            VectorMath.load(gn, count: lanes) + VectorMath.load(bias + 2 * hidden + j, count: lanes) + r * m)
        let hp = VectorMath.load(h + j, count: lanes)
        let hn = candidate + z * (hp - candidate)
        VectorMath.store(r, gr, count: lanes)
        VectorMath.store(z, gz, count: lanes)
        VectorMath.store(candidate, gn, count: lanes)
        VectorMath.store(m, hiddenN + j, count: lanes)
        VectorMath.store(hp, hPrev + j, count: lanes)
        VectorMath.store(hn, output + j, count: lanes)
        VectorMath.store(hn, h + j, count: lanes)
    }

    /// The gate gradients of one row: from the saved activations and the
    /// incoming `dh` (plus the output's own gradient), writes the
    /// pre-activation gradients of the input side `dX` and of the recurrent
    /// side `dH` (they differ only in n), and replaces `dh` with the direct
    /// part `dh ⊙ z` of the previous state's gradient (the caller adds
    /// `dH · W_hh`). Full vectors first, then the rest, as in `gateStep`.
    ///
    /// ```
    /// dh = dh + dOutput
    /// dn = dh ⊙ (1 − z) ⊙ (1 − n²)       dz = dh ⊙ (h − n) ⊙ z(1 − z)
    /// dm = dn ⊙ r                          dr = dn ⊙ m ⊙ r(1 − r)
    /// dX = [dr, dz, dn]    dH = [dr, dz, dm]    dh_prev = dh ⊙ z + dH · W_hh
    /// ```
    @inline(__always)
    static func gateGradients(
        gates: UnsafePointer<Float>, hPrev: UnsafePointer<Float>, hiddenN: UnsafePointer<Float>,
        gradOutput: UnsafePointer<Float>, dh: UnsafeMutablePointer<Float>,
        dX: UnsafeMutablePointer<Float>, dH: UnsafeMutablePointer<Float>, hidden: Int
    ) {
        var j = 0
        while j + 8 <= hidden {
            gradientLanes(gates: gates, hPrev: hPrev, hiddenN: hiddenN, gradOutput: gradOutput, dh: dh,
                          dX: dX, dH: dH, hidden: hidden, at: j, lanes: 8)
            j += 8
        }
        if j < hidden {
            gradientLanes(gates: gates, hPrev: hPrev, hiddenN: hiddenN, gradOutput: gradOutput, dh: dh,
                          dX: dX, dH: dH, hidden: hidden, at: j, lanes: hidden - j)
        }
    }

    /// `gateGradients` for the `lanes` ≤ 8 values from `j`.
    @inline(__always)
    static func gradientLanes(
        gates: UnsafePointer<Float>, hPrev: UnsafePointer<Float>, hiddenN: UnsafePointer<Float>,
        gradOutput: UnsafePointer<Float>, dh: UnsafeMutablePointer<Float>,
        dX: UnsafeMutablePointer<Float>, dH: UnsafeMutablePointer<Float>, hidden: Int, at j: Int, lanes: Int
    ) {
        let r = VectorMath.load(gates + j, count: lanes)
        let z = VectorMath.load(gates + hidden + j, count: lanes)
        let candidate = VectorMath.load(gates + 2 * hidden + j, count: lanes)
        let dhv = VectorMath.load(dh + j, count: lanes) + VectorMath.load(gradOutput + j, count: lanes)
        let dn = dhv * (1 - z) * (1 - candidate * candidate)
        let dz = dhv * (VectorMath.load(hPrev + j, count: lanes) - candidate) * z * (1 - z)
        let dr = dn * VectorMath.load(hiddenN + j, count: lanes) * r * (1 - r)
        VectorMath.store(dr, dX + j, count: lanes)
        VectorMath.store(dz, dX + hidden + j, count: lanes)
        VectorMath.store(dn, dX + 2 * hidden + j, count: lanes)
        VectorMath.store(dr, dH + j, count: lanes)
        VectorMath.store(dz, dH + hidden + j, count: lanes)
        VectorMath.store(dn * r, dH + 2 * hidden + j, count: lanes)
        VectorMath.store(dhv * z, dh + j, count: lanes)
    }

    /// The gradients of `[x, h0, W_ih, W_hh, b_ih, b_hh]` from those of the
    /// outputs (`g`) and of the final `h`, walking the steps in reverse.
    private static func backward(
        gradOutput g: [Float], dh: [Float], x: [Float], inputSize: Int, needsInputGrad: Bool, batchSizes: [Int],
        offsets: [Int], order: [Int], n: Int, batch: Int, saved: Saved, hidden: Int, weightIH: [Float],
        weightHH: [Float]
    ) -> [[Float]?] {
        let width = 3 * hidden
        var dh = dh
        // Every row of these is written at its step.
        var dX = RecurrentKernel.uninitialized(n * width)
        var dH = RecurrentKernel.uninitialized(n * width)
        // W_hh [3H, H] packed once: dh_prev += dH_t · W_hh at every step.
        let packedWhh = RecurrentKernel.packedBackward(weightHH, hidden: hidden, width: width)
        let ranges = RecurrentKernel.rowRanges(batchSizes, batch: batch, hidden: hidden, width: width)
        let innerThreads = ranges.count == 1 ? Parallelism.threadCount : 1

        g.withUnsafeBufferPointer { g in
        dh.withUnsafeMutableBufferPointer { dh in
        dX.withUnsafeMutableBufferPointer { dX in
        dH.withUnsafeMutableBufferPointer { dH in
        saved.gates.withUnsafeBufferPointer { acts in
        saved.hPrev.withUnsafeBufferPointer { hPrev in
        saved.hiddenN.withUnsafeBufferPointer { hiddenN in
        packedWhh.withUnsafeBufferPointer { packedWhh in
            // Each part runs every step for its own rows (see RecurrentKernel.rowRanges).
            RecurrentKernel.forEachStep(Array(order.reversed()), batchSizes: batchSizes, offsets: offsets, ranges: ranges) { t, off, mine in
                for r in mine {
                    let row = off + r
                    gateGradients(
                        gates: acts.baseAddress! + row * width, hPrev: hPrev.baseAddress! + row * hidden,
                        hiddenN: hiddenN.baseAddress! + row * hidden, gradOutput: g.baseAddress! + row * hidden,
                        dh: dh.baseAddress! + r * hidden, dX: dX.baseAddress! + row * width,
                        dH: dH.baseAddress! + row * width, hidden: hidden)
                }
                // dh_prev = dh ⊙ z (already in dh) + dH_t · W_hh for this part's live rows.
                MatrixMultiply.multiply(
                    m: mine.count, n: hidden, k: width, a: UnsafePointer(dH.baseAddress! + (off + mine.lowerBound) * width),
                    aRowStride: width, aColumnStride: 1, packedB: packedWhh.baseAddress!,
                    c: dh.baseAddress! + mine.lowerBound * hidden, ldc: hidden, accumulate: true, threads: innerThreads)
            }
        }}}}}}}}

        let (dx, dWih, _, dBih) = RecurrentKernel.linearGradients(
            dX, input: x, weight: weightIH, rows: n, inputSize: inputSize, width: width, needsInputGrad: needsInputGrad)
        let (_, dWhh, _, dBhh) = RecurrentKernel.linearGradients(
            dH, input: saved.hPrev, weight: weightHH, rows: n, inputSize: hidden, width: width, needsInputGrad: false)
        return [dx, dh, dWih, dWhh, dBih, dBhh]
    }
}
