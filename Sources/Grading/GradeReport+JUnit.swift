import Foundation
import Markup

extension GradeReport {
    /// The report as JUnit XML, one `<testsuite>` per day and one `<testcase>` per exercise.
    ///
    /// A failed check is a `<failure>`; a crash or a timeout is an `<error>`;
    /// an exercise not attempted is `<skipped/>`, so no CI counts it as passed.
    /// When the code did not compile, one `<error>` test case says so.
    public var junitXML: String {
        var lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>"]
        let failures = count(.failed), errors = count(.crashed) + count(.timedOut) + (problem == nil ? 0 : 1)
        lines.append("<testsuites name=\"LSTM Course\" tests=\"\(results.count + (problem == nil ? 0 : 1))\" "
                     + "failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(count(.notAttempted))\" "
                     + "time=\(Self.time(results.reduce(0) { $0 + $1.seconds }))>")
        if let problem {
            lines.append("  <testsuite name=\"build\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">")
            lines.append("    <testcase classname=\"build\" name=\"the code compiles\">")
            lines.append("      <error type=\"compile\" message=\"\(xmlEscaped(firstLine(problem)))\">"
                         + xmlEscaped(problem) + "</error>")
            lines.append("    </testcase>")
            lines.append("  </testsuite>")
        }
        for day in days {
            let rows = results.filter { $0.day == day }
            let name = day < 10 ? "Day0\(day)" : "Day\(day)"
            let dayErrors = rows.filter { $0.verdict == .crashed || $0.verdict == .timedOut }.count
            lines.append("  <testsuite name=\"\(name)\" tests=\"\(rows.count)\" "
                         + "failures=\"\(rows.filter { $0.verdict == .failed }.count)\" errors=\"\(dayErrors)\" "
                         + "skipped=\"\(rows.filter { $0.verdict == .notAttempted }.count)\" "
                         + "time=\(Self.time(rows.reduce(0) { $0 + $1.seconds }))>")
            for row in rows {
                let open = "    <testcase classname=\"\(name)\" name=\"\(xmlEscaped("\(row.id) \(row.title)"))\" "
                    + "time=\(Self.time(row.seconds))"
                let message = xmlEscaped(row.reason), body = xmlEscaped(row.message)
                switch row.verdict {
                case .passed:
                    lines.append(open + "/>")
                case .notAttempted:
                    lines += [open + ">", "      <skipped message=\"\(message)\"/>", "    </testcase>"]
                case .failed:
                    lines += [open + ">", "      <failure message=\"\(message)\">\(body)</failure>", "    </testcase>"]
                case .crashed, .timedOut:
                    lines += [open + ">",
                              "      <error type=\"\(row.verdict.rawValue)\" message=\"\(message)\">\(body)</error>",
                              "    </testcase>"]
                }
            }
            lines.append("  </testsuite>")
        }
        lines.append("</testsuites>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A `time` attribute with its quotes: seconds with three decimals.
    static func time(_ seconds: Double) -> String {
        "\"" + String(format: "%.3f", seconds) + "\""
    }

    private func firstLine(_ text: String) -> String { String(text.prefix { $0 != "\n" }) }
}
