/// A request body checked as strict JSON (``JSONParser``) and the bytes it was read from: what the Codable
/// decoding of a body can look into for the exact text of a value (an event's `data`) and for the JSON type a
/// field was sent as.
struct JSONDocument: Sendable {
    let bytes: [UInt8]
    let root: JSONNode

    /// The exact text of an object found in this document.
    func text(of span: Range<Int>) -> [UInt8] {
        Array(bytes[span])
    }

    /// The value at `path`, as a decoder's coding path names it; nil where there is none.
    func node(at path: [any CodingKey]) -> JSONNode? {
        var node = root
        for key in path {
            switch node {
            case .object(let members, _):
                guard let member = members.first(where: { $0.0 == key.stringValue }) else { return nil }
                node = member.1
            case .array(let elements):
                guard let index = key.intValue, elements.indices.contains(index) else { return nil }
                node = elements[index]
            default:
                return nil
            }
        }
        return node
    }
}

extension CodingUserInfoKey {
    /// Where ``APIRequestDecoder`` leaves the ``JSONDocument`` being decoded.
    static var requestDocument: CodingUserInfoKey { CodingUserInfoKey(rawValue: "hooklog.requestDocument")! }
}

extension [any CodingKey] {
    /// The path as error messages name a field: `events[3].type`.
    var fieldName: String {
        reduce(into: "") { name, key in
            if let index = key.intValue {
                name += "[\(index)]"
            } else {
                name += name.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
    }
}
