/// The errors in a `swift build` log, each as `path:line: error: message`, for a student whose code does not compile.
public enum CompilerDiagnostics {
    /// The distinct `error:` lines of `log`, with paths made relative to `root`, in order.
    ///
    /// ```
    /// /home/me/course/Lessons/Day01/Exercises.swift:22:9: error: cannot find 'x' in scope
    /// // becomes
    /// Lessons/Day01/Exercises.swift:22: error: cannot find 'x' in scope
    /// ```
    ///
    /// A later lesson compiles an earlier day's exercises through a link
    /// (`Lessons/Day06/Day01Exercises.swift`): its errors name the file the
    /// link leads to, the one the student edits, once (see `studentPath`).
    public static func errors(in log: String, root: String) -> [String] {
        var seen = Set<String>(), found: [String] = []
        let prefix = root.hasSuffix("/") ? root : root + "/"
        for line in log.split(separator: "\n") {
            guard let marker = line.range(of: ": error: ") else { continue }
            var location = String(line[..<marker.lowerBound])
            if location.hasPrefix(prefix) { location.removeFirst(prefix.count) }
            // path:line:column → path:line
            var parts = location.split(separator: ":", omittingEmptySubsequences: false)
            if parts.count >= 3, Int(parts[parts.count - 1]) != nil, Int(parts[parts.count - 2]) != nil {
                parts.removeLast()
            }
            location = studentPath(parts.joined(separator: ":"))
            let text = location + ": error: " + line[marker.upperBound...]
            if seen.insert(text).inserted { found.append(text) }
        }
        return found
    }

    /// The message shown, and written to the results files, when the build fails.
    public static func buildFailure(log: String, root: String) -> String {
        let errors = errors(in: log, root: root)
        let lines = errors.isEmpty
            ? log.split(separator: "\n").suffix(15).map(String.init)
            : Array(errors.prefix(20)) + (errors.count > 20 ? ["… and \(errors.count - 20) more errors"] : [])
        return "The code does not compile, so no exercise could be graded (score 0). Fix this first:\n"
            + lines.map { "  " + $0 }.joined(separator: "\n")
    }
}
