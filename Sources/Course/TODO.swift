/// The error an exercise stub throws until the student writes its body.
///
/// A stub keeps the exercise's real signature and throws this error:
///
/// ```swift
/// func lstmCellStep(_ x: Tensor, _ state: LSTMState) throws -> LSTMState {
///     throw TODO("1.1")
/// }
/// ```
///
/// The lesson program then falls back to the reference solution (see
/// ``exercise(_:_:student:reference:)``) and the exercise's test is cancelled
/// as "not attempted yet" rather than failed.
public struct TODO: Error, CustomStringConvertible, Equatable {
    /// The exercise's number, such as `"1.1"`.
    public let exercise: String

    /// Creates the error for the exercise numbered `exercise`, such as `"1.1"`.
    public init(_ exercise: String) {
        self.exercise = exercise
    }

    public var description: String {
        "exercise \(exercise) is not done yet (its body still throws TODO)"
    }
}
