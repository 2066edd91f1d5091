import HookLogCore
import HTTPTypes

/// The body of `POST /v1/events`: one event, or `{"events": [...]}` with 1 to ``maxEvents``. Every event is
/// checked against every rule the core applies while it is read, so that a batch is refused whole before
/// anything of it is recorded.
///
/// It is read as ``JSONParser`` walks the body, not decoded by `JSONDecoder` nor built as a ``JSONNode`` tree: ingest is
/// the body the service reads most, and an event's `data` is only kept as the bytes sent, so its inside is checked and
/// skipped, never built. The whole body is checked as JSON before any field is, so its refusals are those the
/// decoding of any other body gives (``APIRequestDecoder/refusal(_:in:)``): the field, and what it must be; of a
/// member sent twice, the first counts.
struct IngestRequest {
    /// The most events one ingest request may carry.
    static var maxEvents: Int { 1000 }

    /// The events, in the order sent.
    let events: [EventFields]
    /// Whether they came as `{"events": [...]}`, which is answered in kind.
    let isBatch: Bool

    /// Reads the body `bytes`.
    init(_ bytes: [UInt8]) throws(APIError) {
        let body = try JSONParser.read(bytes) { parser throws(APIError) in try Body(&parser) }
        if let type = body.notAnObject { throw .invalidJSON("the body must be a JSON object, not \(type.name)") }
        guard let list = body.events ?? nil else {
            (events, isBatch) = ([try EventFields(body.event, path: "", in: bytes)], false)
            return
        }
        guard case .array(let elements) = list else { throw .invalidField("events", mustBe: "an array", not: list.typeName) }
        guard (1...Self.maxEvents).contains(elements.count) else {
            throw .invalidField("events must hold 1 to \(Self.maxEvents) events, not \(elements.count)")
        }
        var events: [EventFields] = []
        events.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            guard case .object(let members) = element else {
                throw .invalidField("events[\(index)]", mustBe: "an object", not: element.typeName)
            }
            events.append(try EventFields(members, path: "events[\(index)].", in: bytes))
        }
        (self.events, isBatch) = (events, true)
    }

    /// One event of the request, its `data` as the exact bytes sent.
    struct EventFields {
        let id: EventID?
        let type: EventType
        let data: [UInt8]
        let occurredAt: Timestamp?

        /// Checks an event's `members`, read from `body`, naming its fields after `path` (`events[3].`) in refusals.
        fileprivate init(_ members: EventMembers, path: String, in body: [UInt8]) throws(APIError) {
            let id = try Self.string(members.id, named: "id", path: path)
            if let id { try APIError.check { () throws(DecisionError) in try Validation.checkClientID(id, field: "\(path)id") } }
            guard let type = try Self.string(members.type, named: "type", path: path) else {
                throw .invalidField("\(path)type is required")
            }
            let eventType = try EventType.parse(type, field: "\(path)type")
            guard let data = members.data ?? nil else { throw .invalidField("\(path)data is required and must be an object") }
            guard case .object(let span) = data else { throw .invalidField("\(path)data", mustBe: "an object", not: data.typeName) }
            guard span.count <= Validation.maxEventDataBytes else {
                throw APIError(
                    .contentTooLarge, "payload_too_large",
                    "\(path)data is \(span.count) bytes; at most \(Validation.maxEventDataBytes) are allowed")
            }
            let occurredAt = try Self.string(members.occurredAt, named: "occurred_at", path: path).map { text throws(APIError) in
                try Timestamp.parse(text, field: "\(path)occurred_at")
            }
            self.id = id.map(EventID.init)
            self.type = eventType
            self.data = Array(body[span])
            self.occurredAt = occurredAt
        }

        /// The text of a string member; nil when it is absent or null, refused when it is of another type.
        private static func string(_ member: Sighting??, named name: String, path: String) throws(APIError) -> String? {
            guard let value = member ?? nil else { return nil }
            guard case .string(let text) = value else { throw .invalidField("\(path)\(name)", mustBe: "a string", not: value.typeName) }
            return text
        }
    }
}

/// A member the ingest reads, as much of it as the checks need: a string's text, where an object lies, or the JSON
/// type of anything else.
private enum Sighting {
    case string(String)
    case object(span: Range<Int>)
    case other(JSONType)

    var typeName: String {
        switch self {
        case .string: JSONType.string.name
        case .object: JSONType.object.name
        case .other(let type): type.name
        }
    }

    /// Reads the value at hand: nil if it is null.
    static func read(_ parser: inout JSONParser) throws(APIError) -> Sighting? {
        if parser.isAtString { return .string(try parser.stringValue()) }
        if parser.isAtObject { return .object(span: try parser.members { parser, _ throws(APIError) in try parser.skipValue() }) }
        let type = try parser.skipValue()
        return type == .null ? nil : .other(type)
    }
}

/// The members of an event object the ingest reads, each the first of its name (nil inside when that one was null);
/// the others are checked and skipped.
private struct EventMembers {
    var id: Sighting??
    var type: Sighting??
    var data: Sighting??
    var occurredAt: Sighting??

    /// Reads the object at hand.
    init(_ parser: inout JSONParser) throws(APIError) {
        _ = try parser.members { parser, name throws(APIError) in try read(name, &parser) }
    }

    /// An event with no members yet.
    init() {}

    /// Reads the member `name`, whose value is at hand.
    mutating func read(_ name: String, _ parser: inout JSONParser) throws(APIError) {
        switch name {
        case "id" where id == nil: id = .some(try Sighting.read(&parser))
        case "type" where type == nil: type = .some(try Sighting.read(&parser))
        case "data" where data == nil: data = .some(try Sighting.read(&parser))
        case "occurred_at" where occurredAt == nil: occurredAt = .some(try Sighting.read(&parser))
        default: try parser.skipValue()
        }
    }
}

/// One element of `events`: an event object's members, or the JSON type of anything else.
private enum EventElement {
    case object(EventMembers)
    case other(JSONType)

    var typeName: String {
        switch self {
        case .object: JSONType.object.name
        case .other(let type): type.name
        }
    }
}

/// `events` as sent: an array of elements, or the JSON type of anything else.
private enum EventList {
    case array([EventElement])
    case other(JSONType)

    var typeName: String {
        switch self {
        case .array: JSONType.array.name
        case .other(let type): type.name
        }
    }

    /// Reads the value at hand: nil if it is null.
    static func read(_ parser: inout JSONParser) throws(APIError) -> EventList? {
        guard parser.isAtArray else {
            let type = try parser.skipValue()
            return type == .null ? nil : .other(type)
        }
        var elements: [EventElement] = []
        try parser.elements { parser throws(APIError) in
            if parser.isAtObject {
                elements.append(.object(try EventMembers(&parser)))
            } else {
                elements.append(.other(try parser.skipValue()))
            }
        }
        return .array(elements)
    }
}

/// The whole body as read: the root's members as one event, and its first `events` member, if any.
private struct Body {
    /// The JSON type of a body that is not an object.
    var notAnObject: JSONType?
    var event = EventMembers()
    var events: EventList??

    /// Reads the value at hand, the body's.
    init(_ parser: inout JSONParser) throws(APIError) {
        guard parser.isAtObject else {
            notAnObject = try parser.skipValue()
            return
        }
        _ = try parser.members { parser, name throws(APIError) in
            if name == "events", events == nil {
                events = .some(try EventList.read(&parser))
            } else {
                try event.read(name, &parser)
            }
        }
    }
}
