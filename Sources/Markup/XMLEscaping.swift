/// `text` safe inside XML text or a quoted attribute: the five special characters escaped, and the control characters XML 1.0 forbids dropped.
///
/// Shared by the SVG figures and the JUnit report, whose messages can hold
/// anything a crashed program printed.
///
/// ```swift
/// xmlEscaped("loss <5 & \"x\"")   // "loss &lt;5 &amp; &quot;x&quot;"
/// ```
public func xmlEscaped(_ text: String) -> String {
    var result = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += "&apos;"
        case "\n", "\t", "\r": result.unicodeScalars.append(scalar)
        default:
            if scalar.value >= 0x20 { result.unicodeScalars.append(scalar) }
        }
    }
    return result
}
