/// A lesson file's path as the student sees it, for a compiler error or a
/// crash: a lesson module's file ID (`day1/Exercises.swift:42`, from a
/// `fatalError` in the student's code) becomes
/// `Lessons/Day01/Exercises.swift:42`, and a later lesson's link to an earlier
/// day's exercises (`Lessons/Day04/Day01Exercises.swift`, the project's
/// naming for those links) the file it links to, `Lessons/Day01/Exercises.swift`.
/// Any other path is returned as it is.
func studentPath(_ path: String) -> String {
    var path = path
    if let match = path.firstMatch(of: #/^day([0-9]+)\//#), let day = Int(match.1) {
        path = "Lessons/" + (day < 10 ? "Day0\(day)" : "Day\(day)") + "/" + path[match.range.upperBound...]
    }
    if let match = path.firstMatch(of: #/^Lessons\/Day[0-9]+\/(Day[0-9]+)Exercises\.swift/#) {
        path = "Lessons/\(match.1)/Exercises.swift" + path[match.range.upperBound...]
    }
    return path
}
