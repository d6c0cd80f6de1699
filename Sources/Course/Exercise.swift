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
@discardableResult
public func exercise<Result, Failure: Error>(
    _ number: String,
    _ title: String,
    student: () throws -> Result,
    reference: () throws(Failure) -> Result
) throws(Failure) -> Result {
    try ExerciseBook.shared.run(number, title, student: student, reference: reference)
}
