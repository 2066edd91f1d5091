extension Record {
    /// The record's fields by name, in a fixed order, as the log's JSON and text views show them.
    /// Secrets and key hashes are never shown.
    public var fields: [(String, JSONValue)] { fact.payload.fields }
}

extension LoggedRecord {
    /// The record as one JSON object: sequence, time, type and its fields.
    public var json: JSONValue {
        .object([("sequence", .int(Int64(sequence))), ("at", .string(record.at.rfc3339)), ("type", .string(record.fact.typeName))]
            + record.fields)
    }
}

extension JSONValue {
    static func id<Kind>(_ id: Identifier<Kind>) -> JSONValue { .string(id.rawValue) }
    static func events(_ events: [EventType]) -> JSONValue { .array(events.map { .string($0.rawValue) }) }
    static func integer(_ value: Int?) -> JSONValue { value.map { .int(Int64($0)) } ?? .null }
}
