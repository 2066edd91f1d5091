/// A JSON value built in code and written as compact JSON text, for the log's JSON views.
public indirect enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case string(String)
    case array([JSONValue])
    /// An object whose keys keep their order.
    case object([(String, JSONValue)])
    /// JSON text stored as received (an event's `data`), written as it is.
    case raw([UInt8])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.bytes == rhs.bytes }

    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }

    /// The value as compact JSON text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The value as compact JSON, UTF-8 encoded: what responses and webhook bodies send, written byte by byte rather
    /// than appended to a `String` (the ingest's 202 body spent a tenth of the server's time in `String` appends).
    public var bytes: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(to: &output)
        return output
    }

    private func write(to output: inout [UInt8]) {
        switch self {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .int(let value): output.append(contentsOf: String(value).utf8)
        case .string(let value): Self.writeString(value, to: &output)
        case .raw(let bytes): output.append(contentsOf: bytes)
        case .array(let values):
            output.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                value.write(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                Self.writeString(key, to: &output)
                output.append(UInt8(ascii: ":"))
                value.write(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func writeString(_ value: String, to output: inout [UInt8]) {
        var value = value
        value.withUTF8 { utf8 in
            output.append(UInt8(ascii: "\""))
            // Most strings (ids, types, times) need no escape: append them whole rather than byte by byte.
            if !utf8.contains(where: needsEscape) {
                output.append(contentsOf: utf8)
            } else {
                for byte in utf8 { writeEscaped(byte, to: &output) }
            }
            output.append(UInt8(ascii: "\""))
        }
    }

    private static func writeEscaped(_ byte: UInt8, to output: inout [UInt8]) {
        guard needsEscape(byte) else {
            output.append(byte)
            return
        }
        output.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): output.append(byte)
        case UInt8(ascii: "\n"): output.append(UInt8(ascii: "n"))
        case UInt8(ascii: "\r"): output.append(UInt8(ascii: "r"))
        case UInt8(ascii: "\t"): output.append(UInt8(ascii: "t"))
        default:
            output.append(contentsOf: "u00".utf8)
            output.append(contentsOf: [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]])
        }
    }

    /// Whether `byte` must be escaped in a JSON string: a quote, a backslash or a control character. The bytes of a
    /// multi-byte UTF-8 sequence are all 0x80 or above, so they pass as they are.
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }
}
