/// Writes compact JSON text straight into UTF-8 bytes, value by value: what ``JSONValue`` is written with, and what a
/// response of many like items (the ingest's 202) is written with directly, building no ``JSONValue`` tree first.
///
///     var json = JSONWriter()
///     json.object { json in
///         json.member("id", "evt_1")
///         json.key("deliveries")
///         json.array { json in json.string("dlv_1") }
///     }
///     // json.bytes: {"id":"evt_1","deliveries":["dlv_1"]}
///
/// Commas and colons are its business: write a key, then its value; write an array's elements one after another.
public struct JSONWriter: Sendable {
    /// The text written so far.
    public private(set) var bytes: [UInt8] = []
    /// Whether the next value or key follows another in the same object or array, and so needs a comma first.
    private var followsItem = false

    /// A writer with room for `capacity` bytes before it grows.
    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// Writes an object whose keys and values `body` writes.
    public mutating func object(_ body: (inout JSONWriter) -> Void) {
        container(opening: UInt8(ascii: "{"), closing: UInt8(ascii: "}"), body)
    }

    /// Writes an array whose elements `body` writes.
    public mutating func array(_ body: (inout JSONWriter) -> Void) {
        container(opening: UInt8(ascii: "["), closing: UInt8(ascii: "]"), body)
    }

    /// Writes the key of an object's next member; the value written next is its value.
    public mutating func key(_ key: String) {
        separate()
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
        followsItem = false
    }

    /// Writes the member `key` whose value is the string `value`.
    public mutating func member(_ key: String, _ value: String) {
        self.key(key)
        string(value)
    }

    /// Writes a string.
    public mutating func string(_ value: String) {
        separate()
        writeString(value)
    }

    /// Writes a whole number.
    public mutating func int(_ value: Int64) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Writes `true` or `false`.
    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// Writes `null`.
    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    /// Writes JSON text kept as received (an event's `data`) as it is.
    public mutating func raw(_ text: [UInt8]) {
        separate()
        bytes.append(contentsOf: text)
    }

    /// Writes `value`.
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let value): bool(value)
        case .int(let value): int(value)
        case .string(let value): string(value)
        case .raw(let text): raw(text)
        case .array(let values): array { json in for value in values { json.value(value) } }
        case .object(let members):
            object { json in
                for (key, value) in members {
                    json.key(key)
                    json.value(value)
                }
            }
        }
    }

    private mutating func container(opening: UInt8, closing: UInt8, _ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(opening)
        followsItem = false
        body(&self)
        bytes.append(closing)
        followsItem = true
    }

    private mutating func separate() {
        if followsItem { bytes.append(UInt8(ascii: ",")) }
        followsItem = true
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private mutating func writeString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            bytes.append(UInt8(ascii: "\""))
            // Most strings (ids, types, times) need no escape: append them whole rather than byte by byte.
            if !utf8.contains(where: Self.needsEscape) {
                bytes.append(contentsOf: utf8)
            } else {
                for byte in utf8 { writeEscaped(byte) }
            }
            bytes.append(UInt8(ascii: "\""))
        }
    }

    private mutating func writeEscaped(_ byte: UInt8) {
        guard Self.needsEscape(byte) else {
            bytes.append(byte)
            return
        }
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case UInt8(ascii: "\n"): bytes.append(UInt8(ascii: "n"))
        case UInt8(ascii: "\r"): bytes.append(UInt8(ascii: "r"))
        case UInt8(ascii: "\t"): bytes.append(UInt8(ascii: "t"))
        default:
            bytes.append(contentsOf: "u00".utf8)
            bytes.append(contentsOf: [Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0xF)]])
        }
    }

    /// Whether `byte` must be escaped in a JSON string: a quote, a backslash or a control character. The bytes of a
    /// multi-byte UTF-8 sequence are all 0x80 or above, so they pass as they are.
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }
}
