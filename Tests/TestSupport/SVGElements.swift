import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An element of a parsed SVG: its name, attributes, text and the `class` of its enclosing elements.
public struct SVGElement: Sendable {
    /// The tag name, such as `text` or `rect`.
    public var name: String
    /// The attributes.
    public var attributes: [String: String]
    /// The element's own text (not its children's).
    public var text = ""
    /// The text of the element and all its children, like the DOM's `textContent`.
    public var textContent = ""
    /// The `class` of each enclosing element, outermost first.
    public var enclosingClasses: [String]

    /// The element's `class`, or "".
    public var kind: String { attributes["class"] ?? "" }
}

/// The elements of `svg` in document order, recording an issue at the caller if it is not well-formed XML.
public func parseSVG(_ svg: String, sourceLocation: SourceLocation = #_sourceLocation) -> [SVGElement] {
    let parser = XMLParser(data: Data(svg.utf8))
    let collector = SVGCollector()
    parser.delegate = collector
    let ok = parser.parse()
    #expect(ok, "the SVG is not well-formed XML: \(String(describing: parser.parserError))", sourceLocation: sourceLocation)
    return collector.elements
}

/// Collects every element of a document, in document order.
final class SVGCollector: NSObject, XMLParserDelegate {
    var elements: [SVGElement] = []
    var open: [Int] = []

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        let classes = open.compactMap { elements[$0].attributes["class"] }
        elements.append(SVGElement(name: name, attributes: attributes, enclosingClasses: classes))
        open.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        open.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let innermost = open.last { elements[innermost].text += string }
        for i in open { elements[i].textContent += string }
    }
}
