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

    /// The value's JSON type.
    var type: JSONType {
        switch self {
        case .null: .null
        case .bool: .boolean
        case .number: .number
        case .string: .string
        case .array: .array
        case .object: .object
        }
    }

    /// The JSON type's name, for error messages.
    var typeName: String { type.name }
}
