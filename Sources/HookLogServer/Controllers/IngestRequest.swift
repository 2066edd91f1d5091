import HookLogCore
import HTTPTypes

/// The body of `POST /v1/events`: one event, or `{"events": [...]}` with 1 to ``maxEvents``. Every event is
/// checked against every rule the core applies while it is decoded, so that a batch is refused whole before
/// anything of it is recorded.
struct IngestRequest: Decodable {
    /// The most events one ingest request may carry.
    static var maxEvents: Int { 1000 }

    /// The events, in the order sent.
    let events: [EventFields]
    /// Whether they came as `{"events": [...]}`, which is answered in kind.
    let isBatch: Bool

    private enum CodingKeys: String, CodingKey {
        case events
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard container.contains(.events), try !container.decodeNil(forKey: .events) else {
            (events, isBatch) = ([try EventFields(from: decoder)], false)
            return
        }
        var list = try container.nestedUnkeyedContainer(forKey: .events)
        let count = list.count ?? 0
        guard (1...Self.maxEvents).contains(count) else {
            throw APIError.invalidField("events must hold 1 to \(Self.maxEvents) events, not \(count)")
        }
        var events: [EventFields] = []
        while !list.isAtEnd { events.append(try list.decode(EventFields.self)) }
        (self.events, isBatch) = (events, true)
    }

    /// One event of the request, its `data` as the exact bytes sent.
    struct EventFields: Decodable {
        let id: EventID?
        let type: EventType
        let data: [UInt8]
        let occurredAt: Timestamp?

        private enum CodingKeys: String, CodingKey {
            case id, type, data
            case occurredAt = "occurred_at"
        }

        init(from decoder: any Decoder) throws {
            let fields = try decoder.container(keyedBy: CodingKeys.self)
            let path = decoder.codingPath.isEmpty ? "" : decoder.codingPath.fieldName + "."
            let id = try fields.decodeIfPresent(String.self, forKey: .id)
            if let id { try APIError.check { () throws(DecisionError) in try Validation.checkClientID(id, field: "\(path)id") } }
            guard let type = try fields.decodeIfPresent(EventTypeField.self, forKey: .type) else {
                throw APIError.invalidField("\(path)type is required")
            }
            guard fields.contains(.data), try !fields.decodeNil(forKey: .data) else {
                throw APIError.invalidField("\(path)data is required and must be an object")
            }
            let data = try fields.decode(RawJSONObject.self, forKey: .data).bytes
            guard data.count <= Validation.maxEventDataBytes else {
                throw APIError(
                    .contentTooLarge, "payload_too_large",
                    "\(path)data is \(data.count) bytes; at most \(Validation.maxEventDataBytes) are allowed")
            }
            self.id = id.map(EventID.init)
            self.type = type.type
            self.data = data
            occurredAt = try fields.decodeIfPresent(TimeField.self, forKey: .occurredAt)?.time
        }
    }
}
