import HookLogCore
import HTTPTypes

/// The body of `POST /v1/events`: one event, or `{"events": [...]}` with 1 to ``maxEvents``. Every event is
/// checked against every rule the core applies while it is read, so that a batch is refused whole before
/// anything of it is recorded.
///
/// It is read from the parsed document itself (``JSONDocument``), not decoded again by `JSONDecoder`: ingest is the
/// body the service reads most, and a second parse of every event was a sixth of the server's work. Its refusals
/// are those the decoding of any other body gives (``APIRequestDecoder/refusal(_:in:)``): the field, and what it
/// must be; of a member sent twice, the first counts.
struct IngestRequest {
    /// The most events one ingest request may carry.
    static var maxEvents: Int { 1000 }

    /// The events, in the order sent.
    let events: [EventFields]
    /// Whether they came as `{"events": [...]}`, which is answered in kind.
    let isBatch: Bool

    /// Reads the body `document` holds.
    init(_ document: JSONDocument) throws(APIError) {
        guard case .object(let members, _) = document.root else {
            throw .invalidJSON("the body must be a JSON object, not \(document.root.typeName)")
        }
        guard let list = Self.member("events", of: members) else {
            (events, isBatch) = ([try EventFields(members, path: "", in: document)], false)
            return
        }
        guard case .array(let elements) = list else { throw .invalidField("events", mustBe: "an array", not: list.typeName) }
        guard (1...Self.maxEvents).contains(elements.count) else {
            throw .invalidField("events must hold 1 to \(Self.maxEvents) events, not \(elements.count)")
        }
        var events: [EventFields] = []
        events.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            guard case .object(let members, _) = element else {
                throw .invalidField("events[\(index)]", mustBe: "an object", not: element.typeName)
            }
            events.append(try EventFields(members, path: "events[\(index)].", in: document))
        }
        (self.events, isBatch) = (events, true)
    }

    /// The value of the first member named `name`, unless it is absent or null.
    fileprivate static func member(_ name: String, of members: [(String, JSONNode)]) -> JSONNode? {
        guard let value = members.first(where: { $0.0 == name })?.1 else { return nil }
        if case .null = value { return nil }
        return value
    }

    /// One event of the request, its `data` as the exact bytes sent.
    struct EventFields {
        let id: EventID?
        let type: EventType
        let data: [UInt8]
        let occurredAt: Timestamp?

        /// Reads an event's `members`, naming its fields after `path` (`events[3].`) in refusals.
        init(_ members: [(String, JSONNode)], path: String, in document: JSONDocument) throws(APIError) {
            let id = try Self.string("id", of: members, path: path)
            if let id { try APIError.check { () throws(DecisionError) in try Validation.checkClientID(id, field: "\(path)id") } }
            guard let type = try Self.string("type", of: members, path: path) else {
                throw .invalidField("\(path)type is required")
            }
            let eventType = try EventType.parse(type, field: "\(path)type")
            guard let data = IngestRequest.member("data", of: members) else {
                throw .invalidField("\(path)data is required and must be an object")
            }
            guard case .object(_, let span) = data else { throw .invalidField("\(path)data", mustBe: "an object", not: data.typeName) }
            guard span.count <= Validation.maxEventDataBytes else {
                throw APIError(
                    .contentTooLarge, "payload_too_large",
                    "\(path)data is \(span.count) bytes; at most \(Validation.maxEventDataBytes) are allowed")
            }
            let occurredAt = try Self.string("occurred_at", of: members, path: path).map { text throws(APIError) in
                try Timestamp.parse(text, field: "\(path)occurred_at")
            }
            self.id = id.map(EventID.init)
            self.type = eventType
            self.data = document.text(of: span)
            self.occurredAt = occurredAt
        }

        /// The string member `name`; nil when it is absent or null, refused when it is of another type.
        private static func string(_ name: String, of members: [(String, JSONNode)], path: String) throws(APIError) -> String? {
            guard let value = IngestRequest.member(name, of: members) else { return nil }
            guard case .string(let text) = value else { throw .invalidField("\(path)\(name)", mustBe: "a string", not: value.typeName) }
            return text
        }
    }
}
