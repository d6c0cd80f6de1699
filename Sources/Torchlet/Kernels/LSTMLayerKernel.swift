import Foundation
import TorchletWide

/// One direction of one LSTM layer over a whole sequence, as a single
/// autograd operation with a hand-written backward pass.
///
/// This is the hot path of every lesson, so it is shaped for speed rather
/// than for reading (`LSTMCell` is the readable version; the tests check that
/// the two agree):
/// - `W_ihᵀ` and `W_hhᵀ` are packed once for the whole sequence (see
///   `GEMM`); each step projects its own rows' input `x_t W_ihᵀ` just
///   before adding `h W_hhᵀ` to it, so the step's gates stay in cache (or,
///   for one or two sequences or a large `W_ih`, all steps are projected
///   in one product before the loop);
/// - the gate arithmetic is fused (two passes over a row), sixteen values
///   at a time on AVX-512 CPUs and eight elsewhere, with vector
///   `sigmoid`/`tanh` (see `LSTMGateMath` and `VectorMath`);
/// - output, final `h` and final `c` are three results of one operation
///   (see `Tensor.results`), not slices copied out of one tensor;
/// - backward accumulates the weight gradients with one matrix product over
///   all steps after the loop, and allocates nothing per step.
///
/// The sequence is given in packed layout (see `RecurrentKernel`, which
/// holds what this kernel shares with `GRULayerKernel`).
enum LSTMLayerKernel {
    /// What backward needs from the forward pass.
    struct Saved {
        var gates: [Float]        // [N, 4H] activated i, f, g, o
        var hPrev: [Float]        // [N, H] h before each step
        var cPrev: [Float]        // [N, H] c before each step
        var tanhC: [Float]        // [N, H] tanh of c after each step
    }

    /// Runs the layer; returns the outputs `[N, H]` and the final `(h, c)`
    /// `[B, H]`, each sequence's state after its own last step.
    static func run(
        input x: Tensor, batchSizes: [Int], h0: Tensor, c0: Tensor,
        weightIH: Tensor, weightHH: Tensor, biasIH: Tensor, biasHH: Tensor, reverse: Bool
    ) -> (output: Tensor, h: Tensor, c: Tensor) {
        Allocator.configured
        let n = x.shape[0], inputSize = x.shape[1]
        let hidden = weightHH.shape[1], gates = 4 * hidden
        let batch = h0.shape[0]
        let offsets = RecurrentKernel.rowOffsets(batchSizes)
        let order = RecurrentKernel.stepOrder(batchSizes, reverse: reverse)

        let bias = zip(biasIH.scalars, biasHH.scalars).map { $0 + $1 }
        // W_ihᵀ [I, 4H] and W_hhᵀ [H, 4H] packed once, reused at every step.
        let packedWihT = RecurrentKernel.packedForward(weightIH.scalars, k: inputSize, width: gates)
        let packedWhhT = RecurrentKernel.packedForward(weightHH.scalars, k: hidden, width: gates)

        // Split the batch rows across threads when the recurrence is large
        // enough; otherwise each step's product may still split its columns.
        let ranges = RecurrentKernel.rowRanges(batchSizes, batch: batch, hidden: hidden, width: gates)
        let innerThreads = ranges.count == 1 ? Parallelism.threadCount : 1

        var h = h0.scalars, c = c0.scalars
        let inputs = [x, h0, c0, weightIH, weightHH, biasIH, biasHH]
        // Every row of these is written at its step, and only when backward
        // will read them: not under `withNoGrad`, nor when no input requires
        // grad, so evaluation keeps 3 · N · H fewer floats (no measurable
        // change in time: `lstm_dense_nograd` within the machine's noise).
        let recordsGraph = Tensor.recordsGraph(for: inputs)
        let savedRows = recordsGraph ? n : 0

        // The input projection x · W_ihᵀ: each part projects its own rows at
        // each step, just before the step's `h · W_hhᵀ` adds to them, so the
        // step's gates are still in cache (projected all at once, the [N, 4H]
        // gates went out to L3 and came back one step at a time). Without a
        // graph, the gates of one step are all a step needs: one [B, 4H]
        // buffer instead of [N, 4H]. Measured on `bench`'s LSTM(64→128),
        // both ways in one process, median of 30 alternating rounds: forward
        // only 0.94× the time at one thread and at two, packed 0.96× and
        // 0.93×; forward + backward 1.00× (the backward is most of it). Each
        // value is the same sum in the same order either way (a row of `C`
        // depends on its row of `A` alone), so the same bits.
        // With fewer than `minimumRowsToProjectPerStep` rows per part (one
        // sequence, as on Day 1) each step would stream all of W_ihᵀ for a
        // row or two, so all steps are projected at once before the loop
        // (forward only per step, one thread, 20 rounds: batch 1 1.18× the
        // time, 2 1.06×, 4 1.03×, 8 0.99×, 16 0.98×). Nor when W_ihᵀ is
        // larger than `maximumWeightsToProjectPerStep`: each step would read
        // it from L3 instead of L2 (`lstm_large`'s LSTM(256→512), 2 MB:
        // 0.97–1.02× the time forward only, 0.96–1.08× forward + backward,
        // in 8 rounds, no gain).
        let projectsPerStep = batch / ranges.count >= minimumRowsToProjectPerStep
            && inputSize * gates <= maximumWeightsToProjectPerStep
        let keepsAllSteps = recordsGraph || !projectsPerStep
        var acts = RecurrentKernel.uninitialized((keepsAllSteps ? n : batch) * gates)
        let xValues = x.scalars
        var saved = Saved(gates: [], hPrev: RecurrentKernel.uninitialized(savedRows * hidden),
                          cPrev: RecurrentKernel.uninitialized(savedRows * hidden),
                          tanhC: RecurrentKernel.uninitialized(savedRows * hidden))
        var output = RecurrentKernel.uninitialized(n * hidden)  // [N, H]

        acts.withUnsafeMutableBufferPointer { acts in
        h.withUnsafeMutableBufferPointer { h in
        c.withUnsafeMutableBufferPointer { c in
        saved.hPrev.withUnsafeMutableBufferPointer { hPrev in
        saved.cPrev.withUnsafeMutableBufferPointer { cPrev in
        saved.tanhC.withUnsafeMutableBufferPointer { tanhC in
        output.withUnsafeMutableBufferPointer { output in
        bias.withUnsafeBufferPointer { bias in
        xValues.withUnsafeBufferPointer { x in
        packedWihT.withUnsafeBufferPointer { packedWihT in
        packedWhhT.withUnsafeBufferPointer { packedWhhT in
            if !projectsPerStep && n > 0 {
                // All steps at once: [N, 4H] = x · W_ihᵀ.
                MatrixMultiply.multiply(
                    m: n, n: gates, k: inputSize, a: x.baseAddress!, aRowStride: inputSize, aColumnStride: 1,
                    packedB: packedWihT.baseAddress!, c: acts.baseAddress!, ldc: gates, accumulate: false)
            }
            // Each part runs every step for its own rows (see RecurrentKernel.rowRanges).
            RecurrentKernel.forEachStep(order, batchSizes: batchSizes, offsets: offsets, ranges: ranges) { t, off, mine in
                // This step's gates: rows off..<off + batchSizes[t] of the
                // [N, 4H] gates, or rows 0..<batchSizes[t] of the step buffer.
                let stepGates = acts.baseAddress! + (keepsAllSteps ? off : 0) * gates
                if projectsPerStep {
                    // gates_t = x_t · W_ihᵀ for this part's live rows.
                    MatrixMultiply.multiply(
                        m: mine.count, n: gates, k: inputSize, a: x.baseAddress! + (off + mine.lowerBound) * inputSize,
                        aRowStride: inputSize, aColumnStride: 1, packedB: packedWihT.baseAddress!,
                        c: stepGates + mine.lowerBound * gates, ldc: gates, accumulate: false, threads: innerThreads)
                }
                // gates_t += h · W_hhᵀ for this part's live rows.
                MatrixMultiply.multiply(
                    m: mine.count, n: gates, k: hidden, a: UnsafePointer(h.baseAddress! + mine.lowerBound * hidden),
                    aRowStride: hidden, aColumnStride: 1, packedB: packedWhhT.baseAddress!,
                    c: stepGates + mine.lowerBound * gates, ldc: gates, accumulate: true, threads: innerThreads)
                for r in mine {
                    gateStep(
                        gates: stepGates + r * gates, bias: bias.baseAddress!, hidden: hidden,
                        h: h.baseAddress! + r * hidden, c: c.baseAddress! + r * hidden,
                        saved: savedRows == 0 ? nil : (hPrev.baseAddress! + (off + r) * hidden,
                                                       cPrev.baseAddress! + (off + r) * hidden,
                                                       tanhC.baseAddress! + (off + r) * hidden),
                        output: output.baseAddress! + (off + r) * hidden)
                }
            }
        }}}}}}}}}}}
        if recordsGraph { saved.gates = acts }

        // Three results with one backward rule (see Tensor.results): no
        // combined tensor to copy them out of, and their gradients back into
        // (`memmove` and `memset` were 2.2% of `lstm_dense`'s samples at one
        // thread, 2.1% at two, all on one thread).
        // Snapshots (copy-on-write, so free unless someone writes): backward
        // uses the values of this forward pass even if an optimizer has
        // updated the weights in place since.
        let wihValues = weightIH.scalars, whhValues = weightHH.scalars
        let needsInputGrad = x.requiresGrad
        let savedCount = saved.gates.count + saved.hPrev.count + saved.cPrev.count + saved.tanhC.count
        let results = Tensor.results(
            op: "LSTM", shapes: [[n, hidden], [batch, hidden], [batch, hidden]], scalars: [output, h, c], inputs: inputs,
            savedScalarCount: savedCount
        ) { g in
            backward(
                gradOutput: g[0] ?? [Float](repeating: 0, count: n * hidden),
                dh: g[1] ?? [Float](repeating: 0, count: batch * hidden),
                dc: g[2] ?? [Float](repeating: 0, count: batch * hidden),
                x: xValues, inputSize: inputSize, needsInputGrad: needsInputGrad, batchSizes: batchSizes,
                offsets: offsets, order: order, batch: batch, saved: saved, hidden: hidden,
                weightIH: wihValues, weightHH: whhValues)
        }
        return (results[0], results[1], results[2])
    }

    /// Rows per part from which each step projects its own input (see
    /// `run`): below it, all steps are projected in one product. (A
    /// variable only so that a test can compare the two.)
    nonisolated(unsafe) static var minimumRowsToProjectPerStep = 8

    /// The most floats of `W_ih` with which each step projects its own
    /// input (see `run`): 256K, 1 MB, half the L2 of one core of the Xeon
    /// it was measured on.
    static let maximumWeightsToProjectPerStep = 1 << 18

    /// Where one row's step saves what backward needs: `h` and `c` before
    /// the step and `tanh` of `c` after it.
    typealias SavedRow = (hPrev: UnsafeMutablePointer<Float>, cPrev: UnsafeMutablePointer<Float>,
                          tanhC: UnsafeMutablePointer<Float>)

    /// The fused gate arithmetic of one row: activates i, f, g, o in place
    /// and updates `c` and `h`, saving what backward needs in `saved`
    /// (nil when no backward pass will run).
    ///
    /// Sixteen units at a time where the AVX-512 build runs, then eight,
    /// then one (see `LSTMGateMath`).
    @inline(__always)
    static func gateStep(
        gates: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, hidden: Int,
        h: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>,
        saved: SavedRow?, output: UnsafeMutablePointer<Float>
    ) {
        var j = 0
        if MatrixMultiply.usesWideKernel {
            j = WideLSTMGates.step(gates: gates, bias: bias, hidden: hidden, h: h, c: c, hPrev: saved?.hPrev,
                                   cPrev: saved?.cPrev, tanhC: saved?.tanhC, output: output)
        }
        let end = j + (hidden - j) / 8 * 8
        LSTMGateMath.step(units: j..<end, gates: gates, bias: bias, hidden: hidden, h: h, c: c,
                          hPrev: saved?.hPrev, cPrev: saved?.cPrev, tanhC: saved?.tanhC, output: output)
        j = end
        // The last hidden % 8 values, one at a time.
        while j < hidden {
            let i = stableSigmoid(gates[j] + bias[j])
            let f = stableSigmoid(gates[hidden + j] + bias[hidden + j])
            let g = Foundation.tanh(gates[2 * hidden + j] + bias[2 * hidden + j])
            let o = stableSigmoid(gates[3 * hidden + j] + bias[3 * hidden + j])
            gates[j] = i; gates[hidden + j] = f; gates[2 * hidden + j] = g; gates[3 * hidden + j] = o
            let cn = f * c[j] + i * g
            let tc = Foundation.tanh(cn)
            if let saved { saved.hPrev[j] = h[j]; saved.cPrev[j] = c[j]; saved.tanhC[j] = tc }
            output[j] = o * tc
            c[j] = cn; h[j] = o * tc
            j += 1
        }
    }

    /// The gate gradients of one row: from the saved activations and the
    /// incoming `dh` (plus the output's own gradient) and `dc`, writes
    /// `dGates` (before activation) and replaces `dc` with the gradient of
    /// the previous cell state. Sixteen units at a time where the AVX-512
    /// build runs, then eight, then one (see `LSTMGateMath`).
    ///
    /// ```
    /// dh = dh + dOutput            dc = dc + dh ⊙ o ⊙ (1 − tanh²c')
    /// di = dc ⊙ g ⊙ i(1 − i)       df = dc ⊙ c ⊙ f(1 − f)
    /// dg = dc ⊙ i ⊙ (1 − g²)       do = dh ⊙ tanh c' ⊙ o(1 − o)
    /// dc_prev = dc ⊙ f
    /// ```
    @inline(__always)
    static func gateGradients(
        gates: UnsafePointer<Float>, tanhC: UnsafePointer<Float>, cPrev: UnsafePointer<Float>,
        gradOutput: UnsafePointer<Float>, dh: UnsafePointer<Float>, dc: UnsafeMutablePointer<Float>,
        dGates: UnsafeMutablePointer<Float>, hidden: Int
    ) {
        var j = 0
        if MatrixMultiply.usesWideKernel {
            j = WideLSTMGates.gradients(gates: gates, tanhC: tanhC, cPrev: cPrev, gradOutput: gradOutput, dh: dh, dc: dc,
                                        dGates: dGates, hidden: hidden)
        }
        while j + 8 <= hidden {
            LSTMGateMath.gradients(at: j, gates: gates, tanhC: tanhC, cPrev: cPrev, gradOutput: gradOutput, dh: dh, dc: dc,
                                   dGates: dGates, hidden: hidden)
            j += 8
        }
        while j < hidden {
            let i = gates[j], f = gates[hidden + j], g = gates[2 * hidden + j], o = gates[3 * hidden + j]
            let tc = tanhC[j]
            let dhv = dh[j] + gradOutput[j]
            let dcv = dc[j] + dhv * o * (1 - tc * tc)
            dGates[j] = dcv * g * i * (1 - i)
            dGates[hidden + j] = dcv * cPrev[j] * f * (1 - f)
            dGates[2 * hidden + j] = dcv * i * (1 - g * g)
            dGates[3 * hidden + j] = dhv * tc * o * (1 - o)
            dc[j] = dcv * f
            j += 1
        }
    }

    /// The gradients of `[x, h0, c0, W_ih, W_hh, b_ih, b_hh]` from those of
    /// the outputs (`g`) and of the final `h` and `c`, walking the steps in
    /// reverse.
    private static func backward(
        gradOutput g: [Float], dh: [Float], dc: [Float], x: [Float], inputSize: Int, needsInputGrad: Bool,
        batchSizes: [Int], offsets: [Int], order: [Int], batch: Int, saved: Saved, hidden: Int,
        weightIH: [Float], weightHH: [Float]
    ) -> [[Float]?] {
        let n = offsets.isEmpty ? 0 : offsets.last! + batchSizes.last!
        let gates = 4 * hidden
        var dh = dh, dc = dc
        var dGates = RecurrentKernel.uninitialized(n * gates)  // every row is written at its step
        // W_hh [4H, H] packed once: dh_prev = dGates_t · W_hh at every step.
        let packedWhh = RecurrentKernel.packedBackward(weightHH, hidden: hidden, width: gates)
        let ranges = RecurrentKernel.rowRanges(batchSizes, batch: batch, hidden: hidden, width: gates)
        let innerThreads = ranges.count == 1 ? Parallelism.threadCount : 1

        g.withUnsafeBufferPointer { g in
        dh.withUnsafeMutableBufferPointer { dh in
        dc.withUnsafeMutableBufferPointer { dc in
        dGates.withUnsafeMutableBufferPointer { dGates in
        saved.gates.withUnsafeBufferPointer { acts in
        saved.cPrev.withUnsafeBufferPointer { cPrev in
        saved.tanhC.withUnsafeBufferPointer { tanhC in
        packedWhh.withUnsafeBufferPointer { packedWhh in
            // Each part runs every step for its own rows (see RecurrentKernel.rowRanges).
            RecurrentKernel.forEachStep(Array(order.reversed()), batchSizes: batchSizes, offsets: offsets, ranges: ranges) { t, off, mine in
                for r in mine {
                    let row = off + r
                    gateGradients(
                        gates: acts.baseAddress! + row * gates, tanhC: tanhC.baseAddress! + row * hidden,
                        cPrev: cPrev.baseAddress! + row * hidden, gradOutput: g.baseAddress! + row * hidden,
                        dh: dh.baseAddress! + r * hidden, dc: dc.baseAddress! + r * hidden,
                        dGates: dGates.baseAddress! + row * gates, hidden: hidden)
                }
                // dh_prev = dGates_t · W_hh for this part's live rows (overwrites dh).
                MatrixMultiply.multiply(
                    m: mine.count, n: hidden, k: gates, a: UnsafePointer(dGates.baseAddress! + (off + mine.lowerBound) * gates),
                    aRowStride: gates, aColumnStride: 1, packedB: packedWhh.baseAddress!,
                    c: dh.baseAddress! + mine.lowerBound * hidden, ldc: hidden, accumulate: false, threads: innerThreads)
            }
        }}}}}}}}

        // dW_ih = dGatesᵀ · x and dW_hh = dGatesᵀ · h_prev in one product.
        let (dx, dWih, dWhh, dBias) = RecurrentKernel.linearGradients(
            dGates, input: x, weight: weightIH, rows: n, inputSize: inputSize, width: gates, needsInputGrad: needsInputGrad,
            alsoFor: (saved.hPrev, hidden))
        return [dx, dh, dc, dWih, dWhh, dBias, dBias]
    }
}
