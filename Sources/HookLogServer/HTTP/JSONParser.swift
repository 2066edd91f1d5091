/// A strict RFC 8259 parser for request bodies: UTF-8 only, no trailing commas or comments, nesting at most
/// ``maxDepth`` deep. Errors name the byte offset where the text stopped being JSON.
///
/// It builds a whole ``JSONNode`` tree (``parse(_:)``), or lets a reader walk the body (``read(_:_:)``): the reader
/// goes into the objects and arrays it cares about (``members(_:)``, ``elements(_:)``), reads the strings it needs and
/// skips the rest (``skipValue()``), checked as strictly but never built. The ingest reads its events so.
struct JSONParser {
    /// Deeper documents are refused, so a hostile body cannot exhaust the stack.
    static let maxDepth = 64

    private let bytes: [UInt8]
    private var position = 0
    private var depth = 0

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses a whole body; anything but whitespace after the value is an error.
    static func parse(_ bytes: [UInt8]) throws(APIError) -> JSONNode {
        try read(bytes) { parser throws(APIError) in try parser.value() }
    }

    /// Checks that `bytes` are UTF-8, hands `reader` the parser at the body's value (which it must read or skip
    /// whole), and checks that nothing but whitespace follows it.
    static func read<T>(_ bytes: [UInt8], _ reader: (inout JSONParser) throws(APIError) -> T) throws(APIError) -> T {
        guard String(validating: bytes, as: UTF8.self) != nil else { throw .invalidJSON("the body is not valid UTF-8") }
        var parser = JSONParser(bytes)
        parser.skipWhitespace()
        let value = try reader(&parser)
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw parser.failure("unexpected text after the JSON value") }
        return value
    }

    /// Whether the value at hand is an object.
    var isAtObject: Bool { current == UInt8(ascii: "{") }
    /// Whether the value at hand is an array.
    var isAtArray: Bool { current == UInt8(ascii: "[") }
    /// Whether the value at hand is a string.
    var isAtString: Bool { current == UInt8(ascii: "\"") }

    /// Reads the object at hand, calling `member` with each member's name and the parser at its value, which
    /// `member` must read or skip whole; returns where the object's text lies in the body.
    mutating func members(_ member: (inout JSONParser, String) throws(APIError) -> Void) throws(APIError) -> Range<Int> {
        let start = position
        try items(closedBy: UInt8(ascii: "}"), "',' or '}'") { parser throws(APIError) in
            guard parser.current == UInt8(ascii: "\"") else { throw parser.failure("expected a member name") }
            let key = try parser.string()
            parser.skipWhitespace()
            try parser.expect(UInt8(ascii: ":"), "':'")
            parser.skipWhitespace()
            try member(&parser, key)
        }
        return start..<position
    }

    /// Reads the array at hand, calling `element` with the parser at each element, which `element` must read or
    /// skip whole.
    mutating func elements(_ element: (inout JSONParser) throws(APIError) -> Void) throws(APIError) {
        try items(closedBy: UInt8(ascii: "]"), "',' or ']'", element)
    }

    /// Reads the comma-separated items of the object or array at hand up to its `close`, one level deeper, calling
    /// `item` with the parser at each; `expected` names what may follow an item.
    private mutating func items(
        closedBy close: UInt8, _ expected: String, _ item: (inout JSONParser) throws(APIError) -> Void
    ) throws(APIError) {
        try nested { parser throws(APIError) in
            parser.position += 1
            parser.skipWhitespace()
            if parser.current == close {
                parser.position += 1
                return
            }
            while true {
                parser.skipWhitespace()
                try item(&parser)
                parser.skipWhitespace()
                if parser.current == UInt8(ascii: ",") {
                    parser.position += 1
                    continue
                }
                try parser.expect(close, expected)
                return
            }
        }
    }

    /// Reads the string at hand.
    mutating func stringValue() throws(APIError) -> String {
        try string()
    }

    /// Checks the value at hand as ``value()`` would and moves past it without building it; returns its JSON type.
    @discardableResult
    mutating func skipValue() throws(APIError) -> JSONType {
        guard let byte = current else { throw failure("unexpected end of the body") }
        switch byte {
        case UInt8(ascii: "{"):
            _ = try members { parser, _ throws(APIError) in try parser.skipValue() }
            return .object
        case UInt8(ascii: "["):
            try elements { parser throws(APIError) in try parser.skipValue() }
            return .array
        case UInt8(ascii: "\""):
            try skipString()
            return .string
        case UInt8(ascii: "t"): try literal("true"); return .boolean
        case UInt8(ascii: "f"): try literal("false"); return .boolean
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try numberText()
            return .number
        default: throw failure("unexpected character")
        }
    }

    private func failure(_ what: String) -> APIError {
        .invalidJSON("the body is not valid JSON: \(what) at byte \(position)")
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(APIError) {
        guard current == byte else { throw failure("expected \(what)") }
        position += 1
    }

    private mutating func value() throws(APIError) -> JSONNode {
        guard let byte = current else { throw failure("unexpected end of the body") }
        switch byte {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(String(decoding: bytes[try numberText()], as: UTF8.self))
        default: throw failure("unexpected character")
        }
    }

    private mutating func literal(_ word: StaticString) throws(APIError) {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard bytes.count - position >= expected.count, bytes[position..<position + expected.count].elementsEqual(expected) else {
            throw failure("unexpected character")
        }
        position += expected.count
    }

    private mutating func nested<T>(_ body: (inout JSONParser) throws(APIError) -> T) throws(APIError) -> T {
        depth += 1
        guard depth <= Self.maxDepth else { throw failure("nesting deeper than \(Self.maxDepth) levels") }
        defer { depth -= 1 }
        return try body(&self)
    }

    private mutating func object() throws(APIError) -> JSONNode {
        var members: [(String, JSONNode)] = []
        let span = try self.members { parser, key throws(APIError) in members.append((key, try parser.value())) }
        return .object(members, span: span)
    }

    private mutating func array() throws(APIError) -> JSONNode {
        var elements: [JSONNode] = []
        try self.elements { parser throws(APIError) in elements.append(try parser.value()) }
        return .array(elements)
    }

    /// Moves past the number at hand, checked; returns where its text lies.
    private mutating func numberText() throws(APIError) -> Range<Int> {
        let start = position
        if current == UInt8(ascii: "-") { position += 1 }
        if current == UInt8(ascii: "0") {
            position += 1
        } else {
            guard try digits() > 0 else { throw failure("a number needs digits") }
        }
        if current == UInt8(ascii: ".") {
            position += 1
            guard try digits() > 0 else { throw failure("a fraction needs digits") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard try digits() > 0 else { throw failure("an exponent needs digits") }
        }
        return start..<position
    }

    private mutating func digits() throws(APIError) -> Int {
        let start = position
        while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { position += 1 }
        return position - start
    }

    private mutating func string() throws(APIError) -> String {
        position += 1
        // The text before the last escape, decoded; empty while there was none, the usual case, in which the string
        // is its bytes (the body was checked to be UTF-8) made a String once.
        var escaped = ""
        var runStart = position
        while true {
            guard let byte = current else { throw failure("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                let run = String(decoding: bytes[runStart..<position], as: UTF8.self)
                position += 1
                return escaped.isEmpty ? run : escaped + run
            case UInt8(ascii: "\\"):
                escaped += String(decoding: bytes[runStart..<position], as: UTF8.self)
                position += 1
                escaped.unicodeScalars.append(try escape())
                runStart = position
            case 0..<0x20:
                throw failure("a control character inside a string")
            default:
                position += 1
            }
        }
    }

    /// Moves past the string at hand, its escapes checked as ``string()`` checks them, without making it a `String`.
    private mutating func skipString() throws(APIError) {
        position += 1
        while true {
            guard let byte = current else { throw failure("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return
            case UInt8(ascii: "\\"):
                position += 1
                _ = try escape()
            case 0..<0x20:
                throw failure("a control character inside a string")
            default:
                position += 1
            }
        }
    }

    private mutating func escape() throws(APIError) -> Unicode.Scalar {
        guard let byte = current else { throw failure("unterminated escape") }
        position += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let first = try hexQuad()
            if (0xD800..<0xDC00).contains(first) {
                guard current == UInt8(ascii: "\\") else { throw failure("a lone surrogate") }
                position += 1
                guard current == UInt8(ascii: "u") else { throw failure("a lone surrogate") }
                position += 1
                let second = try hexQuad()
                guard (0xDC00..<0xE000).contains(second) else { throw failure("a lone surrogate") }
                return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))!
            }
            guard let scalar = Unicode.Scalar(first) else { throw failure("a lone surrogate") }
            return scalar
        default:
            throw failure("an unknown escape")
        }
    }

    private mutating func hexQuad() throws(APIError) -> UInt32 {
        guard bytes.count - position >= 4 else { throw failure("a short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32 = switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw failure("a bad \\u escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }
}
