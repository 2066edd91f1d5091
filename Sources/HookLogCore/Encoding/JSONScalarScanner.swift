/// Walks JSON text and hands out the text of each string and number that is a value, not a key, in document order:
/// a string's with its escapes undone, as UTF-8, a number's as written. `true`, `false` and `null` are passed over.
///
/// It reads text the ingest route already checked (an event's `data`), so it does not check the grammar; on text
/// that is not JSON it still ends, with whatever it made of it.
struct JSONScalarScanner {
    private let bytes: [UInt8]
    private var position = 0
    /// For each open container, whether it is an object.
    private var containers: [Bool] = []
    /// Whether the next string is an object's key.
    private var expectingKey = false

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The next value's text; nil at the end of the text.
    mutating func nextValueText() -> [UInt8]? {
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "{"):
                containers.append(true)
                expectingKey = true
                position += 1
            case UInt8(ascii: "["):
                containers.append(false)
                expectingKey = false
                position += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = containers.popLast()
                expectingKey = false
                position += 1
            case UInt8(ascii: ":"):
                expectingKey = false
                position += 1
            case UInt8(ascii: ","):
                expectingKey = containers.last == true
                position += 1
            case UInt8(ascii: "\""):
                let isKey = expectingKey
                let text = readString()
                if !isKey { return text }
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return readNumber()
            default:
                // White space, and the letters of true, false and null.
                position += 1
            }
        }
        return nil
    }

    /// The number starting at `position`, as written.
    private mutating func readNumber() -> [UInt8] {
        let start = position
        while position < bytes.count, Self.isNumberByte(bytes[position]) { position += 1 }
        return Array(bytes[start..<position])
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
             UInt8(ascii: "e"), UInt8(ascii: "E"):
            true
        default:
            false
        }
    }

    /// The string whose opening quote is at `position`, its escapes undone; `position` ends after its closing quote.
    private mutating func readString() -> [UInt8] {
        position += 1
        let start = position
        while position < bytes.count, bytes[position] != UInt8(ascii: "\""), bytes[position] != UInt8(ascii: "\\") {
            position += 1
        }
        var text = Array(bytes[start..<position])
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return text
            case UInt8(ascii: "\\"):
                appendEscape(to: &text)
            default:
                text.append(byte)
            }
        }
        return text
    }

    /// Undoes the escape whose backslash was just read, appending what it stands for.
    private mutating func appendEscape(to text: inout [UInt8]) {
        guard position < bytes.count else { return }
        let letter = bytes[position]
        position += 1
        switch letter {
        case UInt8(ascii: "b"): text.append(0x08)
        case UInt8(ascii: "f"): text.append(0x0C)
        case UInt8(ascii: "n"): text.append(0x0A)
        case UInt8(ascii: "r"): text.append(0x0D)
        case UInt8(ascii: "t"): text.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = readHexUnit()
            let lowFollows = bytes[position...].starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "u")])
            if (0xD800..<0xDC00).contains(scalar), lowFollows {
                position += 2
                let low = readHexUnit()
                scalar = (0xDC00..<0xE000).contains(low) ? 0x10000 + (scalar - 0xD800) << 10 + (low - 0xDC00) : 0xFFFD
            }
            text += Array(String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
        default: text.append(letter)
        }
    }

    /// The four hexadecimal digits at `position`, as a number; a digit missing or malformed counts as 0.
    private mutating func readHexUnit() -> UInt32 {
        var unit: UInt32 = 0
        for _ in 0..<4 {
            let digit = position < bytes.count ? Self.hexDigit(bytes[position]) : nil
            if digit != nil { position += 1 }
            unit = unit << 4 | UInt32(digit ?? 0)
        }
        return unit
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
