/// The AVX-512 build of `FMALoop`: the same source (a symbolic link to
/// Torchlet's FMALoop.swift) compiled for `skylake-avx512` with
/// sixteen-wide vectors. Torchlet calls it only on a CPU that has AVX-512
/// (see `FMAPeak`), like `WideGEMM`.
public enum WideFMALoop {
    /// Floats per vector of this build (16 with AVX-512).
    public static let vectorWidth = FMALoop.Vector.scalarCount

    /// See `FMALoop.flopsPerIteration`.
    public static let flopsPerIteration = FMALoop.flopsPerIteration

    /// See `FMALoop.run`.
    public static func run(iterations: Int, x: Float) -> Float {
        FMALoop.run(iterations: iterations, x: x)
    }
}
