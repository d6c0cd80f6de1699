import Weaver

/// The integrity rules a graded exercise is held to, checked on the student's `Exercises.swift`.
///
/// - No exercise may use the reference solutions: `import Solutions` or
///   `Solutions.` anywhere in the file breaks the rule for every exercise in it.
/// - An exercise may forbid calls by name ("do not call `lengthMask`"):
///   using one in the exercise's function body breaks the rule, and so does
///   calling a function of the same file that uses one. A local constant
///   or variable of that name, or an argument label, is not a use.
///
/// Comments and string literals do not count (see ``SwiftSource``).
public enum GradingRules {
    /// The rules `source` breaks for the exercise written as `func function`, each as a sentence naming the rule and the line.
    ///
    /// - Parameters:
    ///   - source: the text of the exercise file.
    ///   - fileName: the file's path as shown to the student, such as `Lessons/Day03/Exercises.swift`.
    ///   - exercise: the exercise's number.
    ///   - function: the name of the exercise's function.
    ///   - forbidden: names the exercise's body must not use.
    public static func violations(
        in source: String, fileName: String, exercise: String, function: String, forbidden: [String]
    ) -> [String] {
        let code = SwiftSource(source)
        var found: [String] = []
        if let offset = code.occurrences(of: "Solutions").first {
            found.append("\(fileName):\(code.line(at: offset)) uses the reference solutions (`Solutions`): "
                         + "an exercise must be your own code")
        }
        guard let body = code.body(ofFunction: function) else { return found }
        for name in forbidden {
            if let offset = code.references(to: name, in: body).first {
                found.append("exercise \(exercise) must not call `\(name)` (\(fileName):\(code.line(at: offset))); "
                             + "build it from simpler operations, as the exercise asks")
            } else if let (helper, call, offset) = helperUsing(name, from: function, body: body, in: code) {
                found.append("exercise \(exercise) must not call `\(name)`, also not through another function: it calls "
                             + "`\(helper)` (\(fileName):\(code.line(at: call))), which uses `\(name)` (line \(code.line(at: offset))); "
                             + "build it from simpler operations, as the exercise asks")
            }
        }
        return found
    }

    /// A function of the file that `body` calls and that uses `name`, itself
    /// or through the functions it calls: the function `body` calls, the
    /// offset of that call in `body`, and the offset of the use.
    static func helperUsing(_ name: String, from function: String, body: Range<Int>, in code: SwiftSource)
        -> (helper: String, call: Int, use: Int)? {
        let functions = code.functions.filter { $0.name != function }
        var visited: Set<String> = []
        var queue: [(body: Range<Int>, via: (helper: String, call: Int)?)] = [(body, nil)]
        while !queue.isEmpty {
            let (current, via) = queue.removeFirst()
            for helper in functions where !visited.contains(helper.name) {
                guard let calledAt = code.references(to: helper.name, in: current).first else { continue }
                visited.insert(helper.name)
                let first = via ?? (helper.name, calledAt)
                for other in functions where other.name == helper.name {
                    if let use = code.references(to: name, in: other.body).first { return (first.helper, first.call, use) }
                    queue.append((other.body, first))
                }
            }
        }
        return nil
    }
}
