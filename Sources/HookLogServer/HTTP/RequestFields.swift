import HookLogCore
import HTTPTypes

/// A plan named in a request; an unknown name is `invalid_field`, naming the plans.
struct PlanField: Decodable {
    let plan: Plan

    init(from decoder: any Decoder) throws {
        plan = try decoder.parsedString(
            Plan.init(rawValue:), expected: "one of \(Plan.allCases.map(\.rawValue).joined(separator: ", "))")
    }
}

/// A webhook format named in a request; an unknown name is `invalid_field`, naming the formats.
struct WebhookFormatField: Decodable {
    let format: WebhookFormat

    init(from decoder: any Decoder) throws {
        format = try decoder.parsedString(
            WebhookFormat.init(rawValue:),
            expected: "one of \(WebhookFormat.allCases.map(\.rawValue).joined(separator: ", "))")
    }
}

/// An event type named in a request; an unknown one is 422 `unknown_event_type`, naming the catalogue's types.
struct EventTypeField: Decodable {
    let type: EventType

    init(from decoder: any Decoder) throws {
        type = try EventType.parse(try String(from: decoder), field: decoder.codingPath.fieldName)
    }
}

extension Timestamp {
    /// The RFC 3339 time `text` sent as `field` (``init(parsing:)``), or `invalid_field` saying what it must be.
    static func parse(_ text: String, field: String) throws(APIError) -> Timestamp {
        guard let time = Timestamp(parsing: text) else {
            throw .invalidField("\(field) must be an RFC 3339 time such as 2026-11-25T10:00:00Z, not '\(text)'")
        }
        return time
    }
}

/// A JSON object sent in a request, kept as the exact bytes the client sent (an event's `data`), read from the
/// ``JSONDocument`` ``APIRequestDecoder`` decodes.
struct RawJSONObject: Decodable {
    let bytes: [UInt8]

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    init(from decoder: any Decoder) throws {
        guard let document = decoder.userInfo[.requestDocument] as? JSONDocument else {
            throw APIError(.internalServerError, "internal", "a raw JSON object was decoded outside a request body")
        }
        let node = document.node(at: decoder.codingPath)
        guard case .object(_, let span) = node else {
            throw APIError.invalidField(decoder.codingPath.fieldName, mustBe: "an object", not: node?.typeName ?? "missing")
        }
        bytes = document.text(of: span)
    }
}

extension EventType {
    /// The event type named `text`, or 422 `unknown_event_type` naming the catalogue's types.
    static func parse(_ text: String, field: String) throws(APIError) -> EventType {
        guard let type = EventType(rawValue: text) else {
            throw APIError(
                .unprocessableContent, "unknown_event_type",
                "\(field) '\(text)' is not an event type; use one of \(EventCatalogue.names)")
        }
        return type
    }
}

extension Decoder {
    /// The string here, read by `parse`; one it cannot read is `invalid_field`: the field must be `expected`.
    func parsedString<T>(_ parse: (String) -> T?, expected: String) throws -> T {
        let text = try String(from: self)
        guard let value = parse(text) else {
            throw APIError.invalidField("\(codingPath.fieldName) must be \(expected), not '\(text)'")
        }
        return value
    }
}
