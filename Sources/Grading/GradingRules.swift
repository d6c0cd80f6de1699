import Weaver

/// The integrity rules a graded exercise is held to, checked on the student's `Exercises.swift`.
///
/// - No exercise may use the reference solutions: `import Solutions` or
///   `Solutions.` anywhere in the file breaks the rule for every exercise in it.
/// - An exercise may forbid calls by name ("do not call `lengthMask`"):
///   naming one in the exercise's function body breaks the rule.
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
            if let offset = code.occurrences(of: name, in: body).first {
                found.append("exercise \(exercise) must not call `\(name)` (\(fileName):\(code.line(at: offset))); "
                             + "build it from simpler operations, as the exercise asks")
            }
        }
        return found
    }
}
