/// The mean and the sample standard deviation (divided by n − 1) of
/// `values`, such as one result per seed; the deviation of one value is 0.
///
/// ```swift
/// meanAndSpread([0.91, 0.95, 0.93])   // (mean: 0.93, sd: 0.02)
/// ```
public func meanAndSpread<F: BinaryFloatingPoint>(_ values: [F]) -> (mean: F, sd: F) {
    precondition(!values.isEmpty, "meanAndSpread: no values")
    let mean = values.reduce(0, +) / F(values.count)
    let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / F(max(values.count - 1, 1))
    return (mean, variance.squareRoot())
}
