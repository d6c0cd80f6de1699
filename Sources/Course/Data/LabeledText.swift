/// A tokenized text with one class label, the unit of sequence classification.
///
/// ```swift
/// LabeledText(label: "pos", text: ["a", "good", "film"])
/// ```
public struct LabeledText: Hashable, Sendable, CustomStringConvertible {
    /// The class, such as "pos" or "neg".
    public var label: String
    /// The tokens.
    public var text: [String]

    public init(label: String, text: [String]) {
        (self.label, self.text) = (label, text)
    }

    /// The example as one `label<TAB>text` line, the format `LabeledTextReader` reads.
    public var description: String { label + "\t" + text.joined(separator: " ") }
}
