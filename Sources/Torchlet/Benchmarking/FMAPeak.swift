import TorchletWide

/// One core's fused multiply-add loop in the vectors the matrix product
/// uses, for measuring the peak GFLOP/s its kernel could reach.
///
/// A benchmark times `run(iterations:)` and divides: with the AVX-512
/// kernel (`TorchletWide`) it runs sixteen-wide, else eight-wide, so a
/// product's share of this peak compares like with like.
///
/// ```swift
/// let start = DispatchTime.now()
/// let checksum = FMAPeak.run(iterations: 10_000_000)
/// let seconds = …                              // elapsed; print or keep checksum
/// let gflops = Double(FMAPeak.flopsPerIteration) * 1e7 / seconds / 1e9
/// ```
public enum FMAPeak {
    /// Floats per vector: 16 with AVX-512, 8 with AVX2 or NEON.
    public static var vectorWidth: Int {
        MatrixMultiply.usesWideKernel ? WideFMALoop.vectorWidth : FMALoop.Vector.scalarCount
    }

    /// Floating-point operations per iteration (a multiply and an add per lane).
    public static var flopsPerIteration: Int {
        MatrixMultiply.usesWideKernel ? WideFMALoop.flopsPerIteration : FMALoop.flopsPerIteration
    }

    /// Runs `iterations` rounds of independent vector FMAs on this thread
    /// and returns their result (use it, so the work is not dropped).
    ///
    /// - Precondition: `iterations >= 0`.
    public static func run(iterations: Int) -> Float {
        precondition(iterations >= 0, "FMAPeak.run: iterations \(iterations) should be >= 0")
        let x: Float = 1e-3
        return MatrixMultiply.usesWideKernel
            ? WideFMALoop.run(iterations: iterations, x: x)
            : FMALoop.run(iterations: iterations, x: x)
    }
}
