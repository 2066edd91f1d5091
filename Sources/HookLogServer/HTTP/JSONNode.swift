/// A JSON value parsed from a request, with the span of its text in the request body, so that an event's `data`
/// is kept exactly as it was sent.
indirect enum JSONNode: Sendable {
    case null
    case bool(Bool)
    /// A number, as its text.
    case number(String)
    case string(String)
    case array([JSONNode])
    /// An object's members in the order sent, and where the object's text lies in the body.
    case object([(String, JSONNode)], span: Range<Int>)

    /// The value of `key` in an object (the last one, if it is repeated); nil for a missing key or a non-object.
    subscript(key: String) -> JSONNode? {
        guard case .object(let members, _) = self else { return nil }
        return members.last { $0.0 == key }?.1
    }

    /// The JSON type's name, for error messages.
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
