import HookLogCore

/// Reads the members of a request's JSON object, refusing wrong types with `invalid_field` errors that name the
/// field.
struct JSONObjectReader {
    /// Where the object is, for messages: `""` for the body, `"events[3]."` for an element.
    let path: String
    private let node: JSONNode

    /// A reader of `node`, which must be an object.
    init(_ node: JSONNode, path: String = "") throws(APIError) {
        guard case .object = node else {
            throw path.isEmpty
                ? APIError.invalidJSON("the body must be a JSON object, not \(node.typeName)")
                : APIError.invalidField("\(path.dropLast()) must be an object, not \(node.typeName)")
        }
        self.node = node
        self.path = path
    }

    private func present(_ key: String) -> JSONNode? {
        guard let value = node[key], case .null = value else { return node[key] }
        return nil
    }

    /// A string member; missing or null gives nil.
    func optionalString(_ key: String) throws(APIError) -> String? {
        guard let value = present(key) else { return nil }
        guard case .string(let text) = value else { throw .invalidField("\(path)\(key) must be a string, not \(value.typeName)") }
        return text
    }

    /// A string member that must be there.
    func string(_ key: String) throws(APIError) -> String {
        guard let text = try optionalString(key) else { throw .invalidField("\(path)\(key) is required") }
        return text
    }

    /// An array member; missing or null gives nil.
    func optionalArray(_ key: String) throws(APIError) -> [JSONNode]? {
        guard let value = present(key) else { return nil }
        guard case .array(let elements) = value else { throw .invalidField("\(path)\(key) must be an array, not \(value.typeName)") }
        return elements
    }

    /// An object member; missing or null gives nil.
    func optionalObject(_ key: String) throws(APIError) -> (members: [(String, JSONNode)], span: Range<Int>)? {
        guard let value = present(key) else { return nil }
        guard case .object(let members, let span) = value else {
            throw .invalidField("\(path)\(key) must be an object, not \(value.typeName)")
        }
        return (members, span)
    }

    /// A time member in RFC 3339; missing or null gives nil.
    func optionalTime(_ key: String) throws(APIError) -> Timestamp? {
        guard let text = try optionalString(key) else { return nil }
        guard let time = Timestamp(parsing: text) else {
            throw .invalidField("\(path)\(key) must be an RFC 3339 time such as 2026-11-25T10:00:00Z, not '\(text)'")
        }
        return time
    }

    /// A plan member; missing or null gives nil.
    func optionalPlan(_ key: String) throws(APIError) -> Plan? {
        guard let text = try optionalString(key) else { return nil }
        guard let plan = Plan(rawValue: text) else {
            throw .invalidField("\(path)\(key) must be one of \(Plan.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
        }
        return plan
    }

    /// An event type member; unknown types are refused with 422 `unknown_event_type`.
    func optionalEventType(_ key: String) throws(APIError) -> EventType? {
        guard let text = try optionalString(key) else { return nil }
        return try EventType.parse(text, field: "\(path)\(key)")
    }

    /// A list of event types.
    func optionalEventTypes(_ key: String) throws(APIError) -> [EventType]? {
        guard let elements = try optionalArray(key) else { return nil }
        var types: [EventType] = []
        for (index, element) in elements.enumerated() {
            guard case .string(let text) = element else {
                throw .invalidField("\(path)\(key)[\(index)] must be a string, not \(element.typeName)")
            }
            types.append(try EventType.parse(text, field: "\(path)\(key)[\(index)]"))
        }
        return types
    }
}

extension EventType {
    /// The event type named `text`, or 422 `unknown_event_type` naming the nine.
    static func parse(_ text: String, field: String) throws(APIError) -> EventType {
        guard let type = EventType(rawValue: text) else {
            throw APIError(
                .unprocessableContent, "unknown_event_type",
                "\(field) '\(text)' is not an event type; use one of \(EventType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return type
    }
}
