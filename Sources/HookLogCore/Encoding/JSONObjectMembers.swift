/// The top-level members of a JSON object as the bytes hold them: each key decoded, with the exact text of the key
/// and of its value, so that an object can be rewritten member by member without re-encoding what it holds (an
/// event's `data` spread into the platform's flat body, ``WebhookFormat/respondio``).
///
/// Reads text that was checked as JSON when it was accepted; text that is not a JSON object gives nil.
public struct JSONObjectMembers: Sequence {
    /// One member of the object.
    public struct Member {
        /// The key, its escapes decoded.
        public let key: String
        /// The key's text, quotes included, as written.
        public let keyText: ArraySlice<UInt8>
        /// The value's text, as written.
        public let valueText: ArraySlice<UInt8>
    }

    private let members: [Member]

    /// The members of the object `bytes` hold, in their order; nil when the bytes are not one JSON object.
    public init?(_ bytes: [UInt8]) {
        var scanner = Scanner(bytes: bytes)
        guard let members = scanner.objectMembers(), scanner.isAtEndAfterWhitespace else { return nil }
        self.members = members
    }

    public func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }
}

/// Walks JSON text byte by byte, finding where each value ends.
private struct Scanner {
    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    var isAtEndAfterWhitespace: Bool {
        mutating get {
            skipWhitespace()
            return position == bytes.count
        }
    }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard current == byte else { return false }
        position += 1
        return true
    }

    mutating func objectMembers() -> [JSONObjectMembers.Member]? {
        guard take(UInt8(ascii: "{")) else { return nil }
        var members: [JSONObjectMembers.Member] = []
        if take(UInt8(ascii: "}")) { return members }
        repeat {
            skipWhitespace()
            let keyStart = position
            guard current == UInt8(ascii: "\""), skipString(), let key = Self.decodedString(bytes[keyStart..<position])
            else { return nil }
            let keyText = bytes[keyStart..<position]
            guard take(UInt8(ascii: ":")) else { return nil }
            skipWhitespace()
            let valueStart = position
            guard skipValue() else { return nil }
            members.append(.init(key: key, keyText: keyText, valueText: bytes[valueStart..<position]))
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}")) ? members : nil
    }

    /// Moves past the string that starts here, its closing quote included.
    private mutating func skipString() -> Bool {
        position += 1
        while let byte = current {
            position += 1
            if byte == UInt8(ascii: "\\") {
                position += 1
            } else if byte == UInt8(ascii: "\"") {
                return true
            }
        }
        return false
    }

    /// Moves past the value that starts here: a string, an object or array with all it holds, or a scalar.
    private mutating func skipValue() -> Bool {
        guard let first = current else { return false }
        switch first {
        case UInt8(ascii: "\""):
            return skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while let byte = current {
                switch byte {
                case UInt8(ascii: "\""):
                    guard skipString() else { return false }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                default:
                    break
                }
                position += 1
                if depth == 0 { return true }
            }
            return false
        default:
            let start = position
            while let byte = current, !Self.endsScalar(byte) { position += 1 }
            return position > start
        }
    }

    private static func endsScalar(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") || byte == 0x20
            || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// The text a JSON string literal (quotes included) stands for; nil for a malformed escape.
    static func decodedString(_ literal: ArraySlice<UInt8>) -> String? {
        let inner = literal.dropFirst().dropLast()
        guard inner.contains(UInt8(ascii: "\\")) else { return String(decoding: inner, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        var utf8: [UInt8] = []
        var index = inner.startIndex
        func flush() {
            scalars.append(contentsOf: String(decoding: utf8, as: UTF8.self).unicodeScalars)
            utf8.removeAll()
        }
        while index < inner.endIndex {
            let byte = inner[index]
            index += 1
            guard byte == UInt8(ascii: "\\") else {
                utf8.append(byte)
                continue
            }
            guard index < inner.endIndex else { return nil }
            let escape = inner[index]
            index += 1
            flush()
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(Unicode.Scalar(escape))
            case UInt8(ascii: "b"): scalars.append("\u{8}")
            case UInt8(ascii: "f"): scalars.append("\u{c}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                guard let unit = hexUnit(inner, at: &index) else { return nil }
                var low: UInt32?
                if (0xD800..<0xDC00).contains(unit), inner[index...].starts(with: Array("\\u".utf8)) {
                    var after = index + 2
                    low = hexUnit(inner, at: &after).flatMap { (0xDC00..<0xE000).contains($0) ? $0 : nil }
                    if low != nil { index = after }
                }
                if let low {
                    scalars.append(Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!)
                } else {
                    scalars.append(Unicode.Scalar(unit) ?? "\u{FFFD}")
                }
            default:
                return nil
            }
        }
        flush()
        return String(scalars)
    }

    /// The four hex digits at `index` as a UTF-16 unit, `index` moved past them.
    private static func hexUnit(_ text: ArraySlice<UInt8>, at index: inout Int) -> UInt32? {
        guard text.endIndex - index >= 4 else { return nil }
        var unit: UInt32 = 0
        for byte in text[index..<index + 4] {
            guard let digit = Character(Unicode.Scalar(byte)).hexDigitValue else { return nil }
            unit = unit << 4 | UInt32(digit)
        }
        index += 4
        return unit
    }
}
