/// The six JSON types, each with the name error messages give it ("must be an object, not a string").
enum JSONType: Sendable {
    case null, boolean, number, string, array, object

    /// The type as messages name it.
    var name: String {
        switch self {
        case .null: "null"
        case .boolean: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
