/// A loop of nothing but fused multiply-adds, to measure how many one core
/// can do per second: the ceiling any matrix kernel on this core works under.
///
/// Why it is shaped this way: an FMA takes about 4 cycles before its result
/// can feed the next one, and a core starts up to two per cycle (two FMA
/// ports), so at least 4 × 2 = 8 independent chains must be in flight to
/// keep both ports busy. Twelve accumulators give slack and, with the two
/// operands, still fit AVX2's 16 vector registers (AVX-512 has 32). Each
/// iteration does
///
/// ```
/// accumulatorCount × Vector.scalarCount × 2 flops   (a multiply and an add per lane)
/// ```
///
/// This file is compiled twice, like GEMM.swift: here for the portable
/// target (eight-wide AVX2 on x86-64), and through a symbolic link in
/// `TorchletWide` for AVX-512 with sixteen-wide vectors; `FMAPeak` picks
/// the one the matrix product uses. So it uses nothing else from Torchlet.
enum FMALoop {
    /// The SIMD vector of the loop, the same as `GEMM.Vector`.
    #if TORCHLET_WIDE_SIMD
    typealias Vector = SIMD16<Float>
    #else
    typealias Vector = SIMD8<Float>
    #endif

    /// The number of independent accumulator chains.
    static let accumulatorCount = 12

    /// Floating-point operations per iteration of `run`.
    static let flopsPerIteration = accumulatorCount * Vector.scalarCount * 2

    /// Runs `iterations` rounds of `accumulatorCount` vector FMAs and returns
    /// a sum of the accumulators, so the compiler cannot drop the work.
    ///
    /// With `x` near 0 every accumulator grows by about `x²` per round and
    /// stays a normal float (no slow denormals, no overflow).
    @inline(never)
    static func run(iterations: Int, x: Float) -> Float {
        let a = Vector(repeating: x), b = Vector(repeating: x)
        var c0 = Vector(), c1 = Vector(), c2 = Vector(), c3 = Vector(), c4 = Vector(), c5 = Vector()
        var c6 = Vector(), c7 = Vector(), c8 = Vector(), c9 = Vector(), c10 = Vector(), c11 = Vector()
        for _ in 0..<iterations {
            c0.addProduct(a, b); c1.addProduct(a, b); c2.addProduct(a, b); c3.addProduct(a, b)
            c4.addProduct(a, b); c5.addProduct(a, b); c6.addProduct(a, b); c7.addProduct(a, b)
            c8.addProduct(a, b); c9.addProduct(a, b); c10.addProduct(a, b); c11.addProduct(a, b)
        }
        let sum = ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11))
        return sum.sum()
    }
}
