/// The AVX-512 build of `LSTMGateMath`: the same source (a symbolic link)
/// compiled for `skylake-avx512`, run sixteen units at a time. Torchlet
/// calls it only where it runs `WideGEMM` (see `MatrixMultiply`).
public enum WideLSTMGates {
    /// Runs `LSTMGateMath.step` on units `0 ..< 16 · (hidden / 16)` and
    /// returns where it stopped (the caller does the rest).
    public static func step(
        gates: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, hidden: Int,
        h: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>, hPrev: UnsafeMutablePointer<Float>?,
        cPrev: UnsafeMutablePointer<Float>?, tanhC: UnsafeMutablePointer<Float>?, output: UnsafeMutablePointer<Float>
    ) -> Int {
        #if TORCHLET_WIDE_MODULE
        let end = hidden - hidden % VectorMath.V.scalarCount
        LSTMGateMath.step(units: 0..<end, gates: gates, bias: bias, hidden: hidden, h: h, c: c,
                          hPrev: hPrev, cPrev: cPrev, tanhC: tanhC, output: output)
        return end
        #else
        return 0
        #endif
    }

    /// Runs `LSTMGateMath.gradients` on units `0 ..< 16 · (hidden / 16)`
    /// and returns where it stopped (the caller does the rest).
    public static func gradients(
        gates: UnsafePointer<Float>, tanhC: UnsafePointer<Float>, cPrev: UnsafePointer<Float>,
        gradOutput: UnsafePointer<Float>, dh: UnsafePointer<Float>, dc: UnsafeMutablePointer<Float>,
        dGates: UnsafeMutablePointer<Float>, hidden: Int
    ) -> Int {
        #if TORCHLET_WIDE_MODULE
        var j = 0
        while j + VectorMath.V.scalarCount <= hidden {
            LSTMGateMath.gradients(at: j, gates: gates, tanhC: tanhC, cPrev: cPrev, gradOutput: gradOutput, dh: dh,
                                   dc: dc, dGates: dGates, hidden: hidden)
            j += VectorMath.V.scalarCount
        }
        return j
        #else
        return 0
        #endif
    }
}
