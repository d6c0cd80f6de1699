/// Runs one exercise inside a lesson: the student's code if it is done, else the reference solution.
///
/// The first time an exercise is not done (its stub still throws ``TODO``) or
/// fails with another error, one line says so, and from then on the lesson
/// uses the reference solution for that exercise, so every lesson runs to the
/// end. With `--solution` the student's code is never called.
///
/// ```swift
/// let next = exercise("1.1", "one LSTM cell step",
///                     student: { try lstmCellStep(x, state) },
///                     reference: { Solutions.lstmCellStep(x, state) })
/// ```
///
/// The reference closure usually does not throw, and then neither does this
/// call. It uses ``ExerciseBook/shared``, which ``Lesson/start(day:about:seed:epochs:data:arguments:)``
/// configures from the command line.
///
/// Where the lesson could not go on with a wrong result (it would trap on
/// an empty list, or print an accuracy of 5,303), `unusable` names what is
/// wrong with the student's result, and the reference's is used instead:
///
/// ```swift
/// let splits = exercise("2.1", "k-fold index splits", student: { try kFoldSplits(count: 100, k: 5) },
///                       reference: { Solutions.Day2.kFoldSplits(count: 100, k: 5) },
///                       unusable: { $0.count == 5 ? nil : "\($0.count) splits, not 5" })
/// ```
@discardableResult
public func exercise<Result, Failure: Error>(
    _ number: String,
    _ title: String,
    student: () throws -> Result,
    reference: () throws(Failure) -> Result,
    unusable: (Result) -> String? = { _ in nil }
) throws(Failure) -> Result {
    try ExerciseBook.shared.run(number, title, student: student, reference: reference, unusable: unusable)
}

/// Says, once, that the student's version of an exercise gave a result `difference` away from the reference's (see ``ExerciseBook/noteDifference(_:_:tolerance:what:)``).
///
/// ```swift
/// noteDifference("1.1", cellError)   // exercise 1.1 differs from the reference by 0.37 — not right yet; …
/// ```
public func noteDifference(_ number: String, _ difference: Double, tolerance: Double = 1e-4, what: String = "") {
    ExerciseBook.shared.noteDifference(number, difference, tolerance: tolerance, what: what)
}
