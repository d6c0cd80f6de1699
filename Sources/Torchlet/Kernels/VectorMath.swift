/// `exp`, `sigmoid` and `tanh` on a vector of floats at once (eight, or
/// sixteen in the AVX-512 build), for the recurrent layers' fused gate loops.
///
/// Calling the C library's `expf`/`tanhf` once per value costs more than
/// all the LSTM's matrix products together at the sizes of this course, so
/// the gate loop uses these vector versions instead. They agree with the
/// scalar functions to a few units in the last place (the tests check
/// 1e-6 relative error).
///
/// ```
/// exp(x) = 2ⁿ · exp(r),   n = round(x / ln 2),   r = x − n ln 2 ∈ [−ln2/2, ln2/2]
/// ```
/// `exp(r)` is Cephes' degree-6 polynomial; `2ⁿ` is built directly in the
/// float's exponent bits. `x` is clamped to ±87 first, so nothing
/// overflows: `sigmoid` and `tanh` saturate cleanly.
///
/// Every operation is lane by lane, so a value gets the same bits at any
/// vector width. This file is compiled twice, like `GEMM`: here with
/// eight-wide vectors, and through a symbolic link in `TorchletWide` with
/// sixteen-wide ones (see `LSTMGateMath`). The width is a type, not a
/// generic parameter: generic SIMD code compiled its comparisons to one
/// lane at a time (the forward pass 1.6× slower). The functions are
/// `@_transparent` (always inlined, as the standard library's SIMD
/// operators are) because `@inline(__always)` left the sixteen-wide ones
/// as calls that passed each vector through the stack (1.3× slower).
enum VectorMath {
    #if TORCHLET_WIDE_MODULE
    typealias V = SIMD16<Float>
    typealias Bits = SIMD16<Int32>
    #else
    typealias V = SIMD8<Float>
    typealias Bits = SIMD8<Int32>
    #endif

    @_transparent
    static func exp(_ x: V) -> V {
        // replacing(with:where:) compiles to two vector compares and blends;
        // clamped(lowerBound:upperBound:) does not inline here.
        var clamped = x.replacing(with: 87, where: x .> 87)
        clamped.replace(with: -87, where: clamped .< -87)
        // Adding 1.5 · 2²³ rounds to an integer and leaves it in the low
        // mantissa bits: the float is n, and its bits minus the magic's
        // bits are n as an integer (no slow float → int conversion).
        let magic = V(repeating: 12_582_912)
        let shifted = magic.addingProduct(clamped, V(repeating: 1.442_695_04))
        let n = shifted - magic
        // r = x − n·ln2, with ln2 split in two so the product is exact.
        var r = clamped.addingProduct(n, V(repeating: -0.693_359_375))
        r = r.addingProduct(n, V(repeating: 2.121_944_4e-4))
        // Horner's rule, each step one fused multiply-add: Swift never
        // fuses `p * r + c` by itself, and as a multiply and an add the
        // chain was half as long again. On the AMD EPYC (AVX2): the LSTM's
        // gate arithmetic on rows in L1 23 ns per eight units against 32;
        // the two binaries in lockstep, 21 turns, one thread:
        // `lstm_dense_nograd` 0.95× the time, `lstm_packed_nograd` 0.94×,
        // `gru_dense` 0.93×, `day3_epoch` 0.97×, `lstm_dense` 0.99×. The
        // values move in their last bits (so the lessons' numbers did
        // too); each lane's are the same at either vector width.
        var p = V(repeating: 1.987_569_15e-4)
        p = V(repeating: 1.398_199_95e-3).addingProduct(p, r)
        p = V(repeating: 8.333_451_9e-3).addingProduct(p, r)
        p = V(repeating: 4.166_579_59e-2).addingProduct(p, r)
        p = V(repeating: 1.666_666_55e-1).addingProduct(p, r)
        p = V(repeating: 5.000_000_12e-1).addingProduct(p, r)
        let y = r.addingProduct(p, r * r) + 1
        let integerN = unsafeBitCast(shifted, to: Bits.self) &- unsafeBitCast(magic, to: Bits.self)
        let exponent = (integerN &+ 127) &<< 23
        return y * unsafeBitCast(exponent, to: V.self)
    }

    /// 1 / (1 + e⁻ˣ).
    @_transparent
    static func sigmoid(_ x: V) -> V {
        1 / (1 + exp(-x))
    }

    /// tanh x = 2σ(2x) − 1.
    @_transparent
    static func tanh(_ x: V) -> V {
        2 / (1 + exp(-2 * x)) - 1
    }
}

#if !TORCHLET_WIDE_MODULE
extension VectorMath {
    /// The `count` ≤ 8 floats at `p` as a vector (the other lanes zero), so
    /// a loop over `hidden` values handles its last `hidden % 8` with the
    /// same vector code as the rest.
    @inline(__always)
    static func load(_ p: UnsafePointer<Float>, count: Int) -> V {
        if count == 8 { return UnsafeRawPointer(p).loadUnaligned(as: V.self) }
        var v = V()
        for i in 0..<count { v[i] = p[i] }
        return v
    }

    /// Writes the first `count` ≤ 8 lanes of `v` to `p`.
    @inline(__always)
    static func store(_ v: V, _ p: UnsafeMutablePointer<Float>, count: Int) {
        if count == 8 {
            UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
            return
        }
        for i in 0..<count { p[i] = v[i] }
    }
}
#endif
