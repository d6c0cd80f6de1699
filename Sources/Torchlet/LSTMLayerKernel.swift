import Foundation

/// One direction of one LSTM layer over a whole sequence, as a single
/// autograd operation with a hand-written backward pass.
///
/// This is the hot path of every lesson, so it is shaped for speed rather
/// than for reading (`LSTMCell` is the readable version; the tests check that
/// the two agree):
/// - the input projection `x W_ihᵀ + b_ih + b_hh` of all time steps is one
///   matrix product before the loop; only `h W_hhᵀ` is computed per step;
/// - the gate arithmetic is one fused pass over `[rows, 4H]`;
/// - backward accumulates the weight gradients with one matrix product over
///   all steps after the loop.
///
/// The sequence is given in packed layout: `input` is `[N, I]`, the rows of
/// time step `t` are `batchSizes[t]` consecutive rows, and at each step the
/// live sequences are the first `batchSizes[t]` (lengths sorted decreasing).
/// A dense `[T, B, I]` batch is the special case `batchSizes = [B] * T`.
enum LSTMLayerKernel {
    /// Runs the layer; returns the outputs `[N, H]` and the final `(h, c)`
    /// `[B, H]`, each sequence's state after its own last step.
    static func run(
        input x: Tensor, batchSizes: [Int], h0: Tensor, c0: Tensor,
        weightIH: Tensor, weightHH: Tensor, biasIH: Tensor, biasHH: Tensor, reverse: Bool
    ) -> (output: Tensor, h: Tensor, c: Tensor) {
        let n = x.shape[0], inputSize = x.shape[1]
        let hidden = weightHH.shape[1], gates = 4 * hidden
        let batch = h0.shape[0]
        let steps = batchSizes.count
        var offsets = [Int](repeating: 0, count: steps)
        for t in 1..<max(steps, 1) { offsets[t] = offsets[t - 1] + batchSizes[t - 1] }
        let order = reverse ? Array((0..<steps).reversed()) : Array(0..<steps)

        // Input projection for all steps at once: [N, 4H].
        var acts = Kernels.matmul(x.scalars, weightIH.scalars, n: n, k: inputSize, m: gates, transposeB: true)
        let bias = zip(biasIH.scalars, biasHH.scalars).map { $0 + $1 }
        let whhT = Kernels.transposed2D(weightHH.scalars, rows: gates, columns: hidden)

        var h = h0.scalars, c = c0.scalars
        var hPrev = [Float](repeating: 0, count: n * hidden)
        var cPrev = hPrev, cNew = hPrev, output = hPrev

        acts.withUnsafeMutableBufferPointer { acts in
            let acts = acts.baseAddress!
            for t in order {
                let rows = batchSizes[t], off = offsets[t]
                let a = acts + off * gates
                h.withUnsafeBufferPointer { h in
                    whhT.withUnsafeBufferPointer { w in
                        Kernels.gemmAccumulate(h.baseAddress!, w.baseAddress!, a, n: rows, k: hidden, m: gates)
                    }
                }
                // Fused gates: activate i, f, g, o and update c and h in one pass.
                for r in 0..<rows {
                    let row = a + r * gates
                    let bRow = (off + r) * hidden, sRow = r * hidden
                    for j in 0..<hidden {
                        let i = stableSigmoid(row[j] + bias[j])
                        let f = stableSigmoid(row[hidden + j] + bias[hidden + j])
                        let g = Foundation.tanh(row[2 * hidden + j] + bias[2 * hidden + j])
                        let o = stableSigmoid(row[3 * hidden + j] + bias[3 * hidden + j])
                        row[j] = i; row[hidden + j] = f; row[2 * hidden + j] = g; row[3 * hidden + j] = o
                        let cp = c[sRow + j]
                        hPrev[bRow + j] = h[sRow + j]
                        cPrev[bRow + j] = cp
                        let cn = f * cp + i * g
                        let hn = o * Foundation.tanh(cn)
                        cNew[bRow + j] = cn
                        output[bRow + j] = hn
                        c[sRow + j] = cn
                        h[sRow + j] = hn
                    }
                }
            }
        }

        // One tensor holds all three results so one backward rule serves them:
        // rows 0..<N are the outputs, then B rows of h, then B rows of c.
        let inputs = [x, h0, c0, weightIH, weightHH, biasIH, biasHH]
        // Snapshots (copy-on-write, so free unless someone writes): backward
        // uses the values of this forward pass even if an optimizer has
        // updated the weights in place since.
        let xValues = x.detached(), wihValues = weightIH.detached(), whhValues = weightHH.detached()
        let needsInputGrad = x.requiresGrad
        let combined = Tensor.result(shape: [n + 2 * batch, hidden], scalars: output + h + c, inputs: inputs) { g in
            backward(
                g, x: xValues, needsInputGrad: needsInputGrad, batchSizes: batchSizes, offsets: offsets, order: order,
                batch: batch, acts: acts, hPrev: hPrev, cPrev: cPrev, cNew: cNew, weightIH: wihValues, weightHH: whhValues)
        }
        return (combined.narrowed(dim: 0, start: 0, length: n),
                combined.narrowed(dim: 0, start: n, length: batch),
                combined.narrowed(dim: 0, start: n + batch, length: batch))
    }

    /// The gradients of `[x, h0, c0, W_ih, W_hh, b_ih, b_hh]` from the
    /// gradient `g` of the combined result, walking the steps in reverse.
    private static func backward(
        _ g: [Float], x: Tensor, needsInputGrad: Bool, batchSizes: [Int], offsets: [Int], order: [Int], batch: Int,
        acts: [Float], hPrev: [Float], cPrev: [Float], cNew: [Float], weightIH: Tensor, weightHH: Tensor
    ) -> [[Float]?] {
        let n = x.shape[0], inputSize = x.shape[1]
        let hidden = weightHH.shape[1], gates = 4 * hidden
        var dh = Array(g[(n * hidden)..<((n + batch) * hidden)])
        var dc = Array(g[((n + batch) * hidden)...])
        var dGates = [Float](repeating: 0, count: n * gates)
        var dhPrev = [Float](repeating: 0, count: batch * hidden)

        for t in order.reversed() {
            let rows = batchSizes[t], off = offsets[t]
            for r in 0..<rows {
                let bRow = (off + r) * hidden, sRow = r * hidden, aRow = (off + r) * gates
                for j in 0..<hidden {
                    let i = acts[aRow + j], f = acts[aRow + hidden + j]
                    let gg = acts[aRow + 2 * hidden + j], o = acts[aRow + 3 * hidden + j]
                    let tc = Foundation.tanh(cNew[bRow + j])
                    let dhv = dh[sRow + j] + g[bRow + j]
                    let dcv = dc[sRow + j] + dhv * o * (1 - tc * tc)
                    dGates[aRow + j] = dcv * gg * i * (1 - i)
                    dGates[aRow + hidden + j] = dcv * cPrev[bRow + j] * f * (1 - f)
                    dGates[aRow + 2 * hidden + j] = dcv * i * (1 - gg * gg)
                    dGates[aRow + 3 * hidden + j] = dhv * tc * o * (1 - o)
                    dc[sRow + j] = dcv * f
                }
            }
            // dh_prev = dGates_t · W_hh for the live rows.
            for k in 0..<(rows * hidden) { dhPrev[k] = 0 }
            dGates.withUnsafeBufferPointer { dg in
                weightHH.scalars.withUnsafeBufferPointer { w in
                    dhPrev.withUnsafeMutableBufferPointer { d in
                        Kernels.gemmAccumulate(dg.baseAddress! + off * gates, w.baseAddress!, d.baseAddress!, n: rows, k: gates, m: hidden)
                    }
                }
            }
            for k in 0..<(rows * hidden) { dh[k] = dhPrev[k] }
        }

        let dx = needsInputGrad ? Kernels.matmul(dGates, weightIH.scalars, n: n, k: gates, m: inputSize) : nil
        let dWih = Kernels.matmul(dGates, x.scalars, n: gates, k: n, m: inputSize, transposeA: true)
        let dWhh = Kernels.matmul(dGates, hPrev, n: gates, k: n, m: hidden, transposeA: true)
        var dBias = [Float](repeating: 0, count: gates)
        for r in 0..<n {
            for j in 0..<gates { dBias[j] += dGates[r * gates + j] }
        }
        return [dx, dh, dc, dWih, dWhh, dBias, dBias]
    }
}
