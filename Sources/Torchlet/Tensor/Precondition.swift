/// Torchlet's contract check: like the standard library's `precondition`,
/// but it prints its message in every build.
///
/// Torchlet is always compiled with `-O`, and there the standard
/// `precondition` traps *without* its message (it keeps only "precondition
/// failure" for a debugger), so a student would see a bare "Illegal
/// instruction" instead of "matmul: [3, 4] × [5, 2]: inner dimensions 4 and
/// 5 differ". `fatalError` always prints. Declared in this module, this
/// function shadows `Swift.precondition` for every call in Torchlet, so the
/// call sites read as the style guide writes them.
@inline(__always)
func precondition(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String = String(),
    file: StaticString = #file, line: UInt = #line
) {
    if !condition() { fatalError(message(), file: file, line: line) }
}
