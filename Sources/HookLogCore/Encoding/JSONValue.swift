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

    /// The value as compact JSON, UTF-8 encoded: what responses and webhook bodies send (``JSONWriter``).
    public var bytes: [UInt8] {
        var json = JSONWriter()
        json.value(self)
        return json.bytes
    }
}
