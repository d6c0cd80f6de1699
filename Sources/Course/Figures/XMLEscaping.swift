/// `text` with the five XML special characters escaped, for text and attributes of the SVG figures.
///
/// ```swift
/// xmlEscaped("loss <5 & \"x\"")   // "loss &lt;5 &amp; &quot;x&quot;"
/// ```
func xmlEscaped(_ text: String) -> String {
    var result = ""
    for c in text {
        switch c {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += "&apos;"
        default: result.append(c)
        }
    }
    return result
}
