import Testing

/// Records an issue at the caller unless an exit test's child process wrote
/// every string of `messages` to its standard error.
///
/// Use it with `#expect(processExitsWith:observing: [\.standardErrorContent])`.
public func expectStandardError(
    _ result: ExitTest.Result?, contains messages: [String], sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let result else { return }
    let stderr = String(decoding: result.standardErrorContent, as: UTF8.self)
    for message in messages {
        #expect(stderr.contains(message), "standard error should contain \"\(message)\"; it was:\n\(stderr)",
                sourceLocation: sourceLocation)
    }
}
