/// The mean of `values` and their sample standard deviation, the "mean ± spread" of a table over seeds.
///
/// ```
/// mean = Σ x / n        sd = √(Σ (x − mean)² / (n − 1))
/// ```
///
/// ```swift
/// meanAndSpread([0.80, 0.84, 0.82])   // (mean 0.82, sd 0.02)
/// ```
/// The spread of a single value is 0 (the `n − 1` is taken as at least 1).
///
/// - Precondition: `values` is not empty.
public func meanAndSpread<F: BinaryFloatingPoint>(_ values: [F]) -> (mean: F, sd: F) {
    precondition(!values.isEmpty, "meanAndSpread: no values")
    let mean = values.reduce(0, +) / F(values.count)
    let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / F(max(values.count - 1, 1))
    return (mean, variance.squareRoot())
}
