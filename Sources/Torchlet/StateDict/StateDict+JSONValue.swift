import Foundation

/// A JSON value read from a state dict file: a safetensors header or a
/// legacy Torchlet JSON file.
///
/// Torchlet parses JSON itself, rather than with `JSONSerialization`, for
/// three reasons a checkpoint reader needs: a duplicated key is an error
/// (not silently the last one), object keys keep their order, and integers
/// stay exact up to `Int.max` (a shape like `[4611686018427387904, 4]` must
/// be seen as written, then refused). Arrays of numbers are kept as one
/// `[Double]`, 8 bytes a value, so a 50 MB legacy file stays cheap to read.
enum JSONValue {
    case null
    case bool(Bool)
    /// A number; `exact` is its value when it is an integer literal that fits `Int`.
    case number(Double, exact: Int?)
    case string(String)
    /// An array whose elements are all numbers. `exact` holds them as `Int`s
    /// while every one is an integer literal that fits and there are at most
    /// `JSONParser.exactIntegerLimit` of them (shapes and offsets), else `nil`.
    case numbers([Double], exact: [Int]?)
    case array([JSONValue])
    /// An object's members in file order; keys are unique.
    case object([(key: String, value: JSONValue)])

    /// The member called `key`, for an object.
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The value as a string, if it is one.
    var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The value as a list of exact integers (`[]` for an empty array), if it is one.
    var integers: [Int]? {
        switch self {
        case .numbers(_, let exact): return exact
        case .array(let items): return items.isEmpty ? [] : nil
        default: return nil
        }
    }

    /// A short name of the value's kind, for error messages.
    var kind: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .numbers, .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// A syntax error in JSON text: the byte offset where it was found and what
/// was expected there (or the key that appears twice).
struct JSONSyntaxError: Error {
    var offset: Int
    var message: String
}

/// A recursive-descent JSON parser over UTF-8 bytes (RFC 8259).
///
/// Bounded: nesting deeper than `maximumDepth` is an error rather than a
/// stack overflow, so any input is safe to parse.
struct JSONParser {
    static let maximumDepth = 64
    static let exactIntegerLimit = 64

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    /// Parses `bytes` as one JSON value, allowing whitespace around it.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw parser.error("expected the end of the JSON text") }
        return value
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private func error(_ message: String) -> JSONSyntaxError {
        let found = position < bytes.count ? "'\(Self.printable(bytes[position]))'" : "the end"
        return JSONSyntaxError(offset: position, message: "\(message), found \(found)")
    }

    private static func printable(_ byte: UInt8) -> String {
        (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let b = current, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { position += 1 }
    }

    private mutating func expect(_ literal: StaticString) throws(JSONSyntaxError) {
        let text = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for byte in text {
            guard current == byte else { throw error("expected '\(literal)'") }
            position += 1
        }
    }

    private mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth < Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth) levels") }
        guard let first = current else { throw error("expected a JSON value") }
        switch first {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let (value, exact) = try parseNumber()
            return .number(value, exact: exact)
        default: throw error("expected a JSON value")
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        position += 1
        var members: [(key: String, value: JSONValue)] = []
        var seen = Set<String>()
        skipWhitespace()
        if current == UInt8(ascii: "}") { position += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error("expected a key in quotes") }
            let keyOffset = position
            let key = try parseString()
            guard seen.insert(key).inserted else {
                throw JSONSyntaxError(offset: keyOffset, message: "duplicate key '\(key)'")
            }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw error("expected ':' after a key") }
            position += 1
            skipWhitespace()
            members.append((key, try parseValue(depth: depth + 1)))
            skipWhitespace()
            if current == UInt8(ascii: ",") { position += 1; continue }
            if current == UInt8(ascii: "}") { position += 1; return .object(members) }
            throw error("expected ',' or '}' in an object")
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        position += 1
        skipWhitespace()
        if current == UInt8(ascii: "]") { position += 1; return .array([]) }
        if let c = current, c == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) {
            return try parseNumberArray(depth: depth)
        }
        var items: [JSONValue] = []
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            if current == UInt8(ascii: ",") { position += 1; continue }
            if current == UInt8(ascii: "]") { position += 1; return .array(items) }
            throw error("expected ',' or ']' in an array")
        }
    }

    /// An array that starts with a number: the fast path, one `[Double]`.
    private mutating func parseNumberArray(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        var values: [Double] = []
        var exact: [Int]? = []
        while true {
            skipWhitespace()
            guard let c = current, c == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) else {
                throw error("expected a number (an array that starts with numbers holds only numbers here)")
            }
            let (value, integer) = try parseNumber()
            values.append(value)
            if let integer, exact != nil, values.count <= Self.exactIntegerLimit {
                exact!.append(integer)
            } else {
                exact = nil
            }
            skipWhitespace()
            if current == UInt8(ascii: ",") { position += 1; continue }
            if current == UInt8(ascii: "]") { position += 1; return .numbers(values, exact: exact) }
            throw error("expected ',' or ']' in an array")
        }
    }

    private mutating func digits() -> Int {
        let start = position
        while let b = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) { position += 1 }
        return position - start
    }

    /// A number literal, checked against JSON's grammar, with its exact
    /// `Int` value when it is an integer literal that fits.
    private mutating func parseNumber() throws(JSONSyntaxError) -> (Double, Int?) {
        let start = position
        if current == UInt8(ascii: "-") { position += 1 }
        if current == UInt8(ascii: "0") {
            position += 1
        } else if digits() == 0 {
            throw error("expected a digit")
        }
        var isInteger = true
        if current == UInt8(ascii: ".") {
            position += 1
            isInteger = false
            guard digits() > 0 else { throw error("expected a digit after '.'") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            isInteger = false
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { throw error("expected a digit in the exponent") }
        }
        let literal = UnsafeBufferPointer(rebasing: bytes[start..<position])
        if isInteger, let exact = Self.integer(literal) { return (Double(exact), exact) }
        // Short literals are small strings (no allocation); Double(String) is
        // correctly rounded and independent of the C locale.
        guard let value = Double(String(decoding: literal, as: UTF8.self)) else {
            throw JSONSyntaxError(offset: start, message: "a number that cannot be read")
        }
        return (value, nil)
    }

    /// The value of an optionally signed decimal integer literal, or `nil` when it overflows `Int`.
    private static func integer(_ literal: UnsafeBufferPointer<UInt8>) -> Int? {
        var value = 0
        let negative = literal.first == UInt8(ascii: "-")
        for byte in literal.dropFirst(negative ? 1 : 0) {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let digit = Int(byte - UInt8(ascii: "0"))
            let (next, o2) = negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            value = next
        }
        return value
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        position += 1
        var utf8: [UInt8] = []
        while true {
            guard let b = current else { throw error("expected a closing '\"'") }
            position += 1
            switch b {
            case UInt8(ascii: "\""):
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw JSONSyntaxError(offset: position - 1, message: "a string that is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                try parseEscape(into: &utf8)
            case 0..<0x20:
                position -= 1
                throw error("expected a control character to be escaped inside a string")
            default:
                utf8.append(b)
            }
        }
    }

    private mutating func parseEscape(into utf8: inout [UInt8]) throws(JSONSyntaxError) {
        guard let b = current else { throw error("expected an escape character") }
        position += 1
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "/"): 0x2F,
            UInt8(ascii: "b"): 0x08, UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A,
            UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
        ]
        if let byte = simple[b] { utf8.append(byte); return }
        guard b == UInt8(ascii: "u") else { position -= 1; throw error("expected a valid escape after '\\'") }
        var scalar = try parseHex4()
        if (0xD800..<0xDC00).contains(scalar) {
            // A high surrogate must be followed by an escaped low surrogate.
            guard current == UInt8(ascii: "\\") else { throw error("expected a low surrogate '\\uDC00'…'\\uDFFF'") }
            position += 1
            guard current == UInt8(ascii: "u") else { throw error("expected a low surrogate '\\uDC00'…'\\uDFFF'") }
            position += 1
            let low = try parseHex4()
            guard (0xDC00..<0xE000).contains(low) else { throw error("expected a low surrogate '\\uDC00'…'\\uDFFF'") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw error("expected a Unicode scalar, not a lone surrogate") }
        utf8.append(contentsOf: String(Character(unicode)).utf8)
    }

    private mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let b = current, let digit = Int(String(UnicodeScalar(b)), radix: 16) else {
                throw error("expected four hexadecimal digits after '\\u'")
            }
            value = value * 16 + UInt32(digit)
            position += 1
        }
        return value
    }
}
