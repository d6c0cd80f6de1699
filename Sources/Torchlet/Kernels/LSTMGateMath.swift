/// The LSTM's fused gate arithmetic on one vector of hidden units, forward
/// (`step`) and backward (`gradients`): `LSTMLayerKernel` runs it eight
/// units at a time, and `TorchletWide` (through a symbolic link to this
/// file, like `GEMM`) sixteen at a time on a CPU with AVX-512 (see
/// `VectorMath.V`).
///
/// Why two widths: the gate arithmetic (five `exp`s and five divisions per
/// unit) was 30% of the LSTM's forward pass (`perf` of `lstm_dense_nograd`
/// at one thread), and sixteen-wide vectors do it in half the instructions.
/// Every operation is lane by lane, so each unit gets the same bits at
/// either width (`LSTMGateMathTests` checks it).
enum LSTMGateMath {
    typealias V = VectorMath.V

    /// Runs one step on units `units` (a whole number of vectors): activates
    /// the gates in place (i, f, g, o at `gates`, `gates + hidden`, …,
    /// before the bias) and updates `c` and `h` and the output; when `hPrev`
    /// is not nil, saves `h` and `c` before the step and `tanh` of `c` after
    /// it.
    ///
    /// Two passes over the units, not one: the first activates the four
    /// gates and writes the new `c`, the second takes `tanh` of it. In one
    /// pass each vector's `tanh c` waited for its own four gates, a long
    /// chain with little beside it to run; in two, each pass's vectors are
    /// independent of one another. Same operations per unit, so the same
    /// bits; measured on a row in L1 (AVX-512, 128 units, fastest of 20):
    /// 59 ns per sixteen units against 74 in one pass.
    @inline(__always)
    static func step(
        units: Range<Int>, gates: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, hidden: Int,
        h: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>, hPrev: UnsafeMutablePointer<Float>?,
        cPrev: UnsafeMutablePointer<Float>?, tanhC: UnsafeMutablePointer<Float>?, output: UnsafeMutablePointer<Float>
    ) {
        for j in stride(from: units.lowerBound, to: units.upperBound, by: V.scalarCount) {
            activate(at: j, gates: gates, bias: bias, hidden: hidden, h: h, c: c, hPrev: hPrev, cPrev: cPrev)
        }
        for j in stride(from: units.lowerBound, to: units.upperBound, by: V.scalarCount) {
            emit(at: j, gates: gates, hidden: hidden, h: h, c: c, tanhC: tanhC, output: output)
        }
    }

    /// The first pass of `step` on units `j ..< j + V.scalarCount`: the
    /// activated gates, the saved `h` and `c`, and the new `c`.
    @inline(__always)
    static func activate(
        at j: Int, gates: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, hidden: Int,
        h: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>, hPrev: UnsafeMutablePointer<Float>?,
        cPrev: UnsafeMutablePointer<Float>?
    ) {
        func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p + j).loadUnaligned(as: V.self) }
        func store(_ v: V, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p + j).storeBytes(of: v, as: V.self) }
        let gi = gates, gf = gates + hidden, gg = gates + 2 * hidden, go = gates + 3 * hidden
        let i = VectorMath.sigmoid(load(gi) + load(bias))
        let f = VectorMath.sigmoid(load(gf) + load(bias + hidden))
        let g = VectorMath.tanh(load(gg) + load(bias + 2 * hidden))
        let o = VectorMath.sigmoid(load(go) + load(bias + 3 * hidden))
        store(i, gi); store(f, gf); store(g, gg); store(o, go)
        let cp = load(c)
        if let hPrev, let cPrev { store(load(h), hPrev); store(cp, cPrev) }
        store(f * cp + i * g, c)
    }

    /// The second pass of `step` on units `j ..< j + V.scalarCount`:
    /// `h = o ⊙ tanh c` into `h` and the output, and `tanh c` saved.
    @inline(__always)
    static func emit(
        at j: Int, gates: UnsafePointer<Float>, hidden: Int, h: UnsafeMutablePointer<Float>, c: UnsafePointer<Float>,
        tanhC: UnsafeMutablePointer<Float>?, output: UnsafeMutablePointer<Float>
    ) {
        func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p + j).loadUnaligned(as: V.self) }
        func store(_ v: V, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p + j).storeBytes(of: v, as: V.self) }
        let tc = VectorMath.tanh(load(c))
        let hn = load(gates + 3 * hidden) * tc
        if let tanhC { store(tc, tanhC) }
        store(hn, output); store(hn, h)
    }

    /// The gate gradients of units `j ..< j + V.scalarCount` of one row
    /// (see `LSTMLayerKernel.gateGradients` for the formulas): writes
    /// `dGates` (before activation) and replaces `dc` with the gradient of
    /// the previous cell state.
    @inline(__always)
    static func gradients(
        at j: Int, gates: UnsafePointer<Float>, tanhC: UnsafePointer<Float>, cPrev: UnsafePointer<Float>,
        gradOutput: UnsafePointer<Float>, dh: UnsafePointer<Float>, dc: UnsafeMutablePointer<Float>,
        dGates: UnsafeMutablePointer<Float>, hidden: Int
    ) {
        func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p + j).loadUnaligned(as: V.self) }
        func store(_ v: V, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p + j).storeBytes(of: v, as: V.self) }
        let i = load(gates), f = load(gates + hidden), g = load(gates + 2 * hidden), o = load(gates + 3 * hidden)
        let tc = load(tanhC)
        let dhv = load(dh) + load(gradOutput)
        let dcv = load(dc) + dhv * o * (1 - tc * tc)
        store(dcv * g * i * (1 - i), dGates)
        store(dcv * load(cPrev) * f * (1 - f), dGates + hidden)
        store(dcv * i * (1 - g * g), dGates + 2 * hidden)
        store(dhv * tc * o * (1 - o), dGates + 3 * hidden)
        store(dcv * f, dc)
    }
}
