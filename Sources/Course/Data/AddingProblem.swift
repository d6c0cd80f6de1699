import Torchlet

/// The adding problem of Hochreiter & Schmidhuber (1997), a test of long-range memory.
///
/// Each input is a sequence of `length` steps with two channels: a value drawn
/// uniformly from [0, 1), and a marker that is 1 at exactly two steps and 0
/// elsewhere. The target is the sum of the two marked values:
///
/// ```
/// target = values[i] + values[j]   where markers[i] == markers[j] == 1
/// ```
///
/// As in Le, Jaitly & Hinton (2015) and later papers, the first marker falls in
/// the first half of the sequence and the second in the second half, so the
/// model must remember a value for at least `length / 2` steps. Always
/// predicting 1 (the mean target) gives a mean squared error of 1/6 ≈ 0.167
/// (the variance of a sum of two uniforms); a model has learned the task when
/// its error is well below that.
public enum AddingProblem {
    /// The mean squared error of always predicting the mean target, 1: the number to beat.
    public static let baselineMeanSquaredError: Float = 1.0 / 6.0

    /// One sequence and its target.
    ///
    /// - Precondition: `length >= 2`.
    public static func sample(length: Int, generator: Generator) -> (values: [Float], markers: [Float], target: Float) {
        precondition(length >= 2, "AddingProblem.sample: length \(length) must be at least 2")
        let values = (0..<length).map { _ in generator.nextUniform() }
        var markers = [Float](repeating: 0, count: length)
        let half = length / 2
        let first = generator.nextInt(below: half)
        let second = half + generator.nextInt(below: length - half)
        markers[first] = 1
        markers[second] = 1
        return (values, markers, values[first] + values[second])
    }

    /// A batch of `size` sequences as flat, row-major arrays.
    ///
    /// - Returns: `inputs` of shape `[size, length, 2]` (batch first; channel 0
    ///   is the value, channel 1 the marker), so step `t` of sequence `b` is at
    ///   `inputs[(b * length + t) * 2]` and `inputs[(b * length + t) * 2 + 1]`;
    ///   and `targets` of shape `[size]`.
    /// - Precondition: `size >= 1`, `length >= 2`.
    public static func batch(size: Int, length: Int, generator: Generator) -> (inputs: [Float], targets: [Float]) {
        precondition(size >= 1, "AddingProblem.batch: size \(size) must be at least 1")
        var inputs: [Float] = []
        inputs.reserveCapacity(size * length * 2)
        var targets: [Float] = []
        for _ in 0..<size {
            let s = sample(length: length, generator: generator)
            for t in 0..<length {
                inputs.append(s.values[t])
                inputs.append(s.markers[t])
            }
            targets.append(s.target)
        }
        return (inputs, targets)
    }
}
