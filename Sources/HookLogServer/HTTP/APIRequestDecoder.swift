import Foundation
import Hummingbird

/// Decodes a request's JSON body into a `Decodable` (``HookLogRequestContext``'s `requestDecoder`, used by
/// `request.decode(as:context:)`): at most its route's limit (``RequestBodyLimits``), declared JSON, strict RFC 8259 (``JSONParser``, whose messages
/// say where the text stopped being JSON), then `JSONDecoder`, whose refusals become `invalid_field` errors that
/// name the field and say what it must be.
struct APIRequestDecoder: RequestDecoder {
    /// The most the body may hold.
    let limit: RequestBodyLimit

    func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        guard let document = try await document(of: request) else {
            guard let optional = T.self as? any OptionalBody.Type else { throw Self.missingBody }
            return optional.empty as! T
        }
        let decoder = JSONDecoder()
        decoder.userInfo[.requestDocument] = document
        do {
            return try decoder.decode(T.self, from: Data(document.bytes))
        } catch let error as DecodingError {
            throw Self.refusal(error, in: document)
        }
    }

    /// The refusal of a request without the body it needs.
    static var missingBody: APIError { .invalidJSON("the request needs a JSON body") }

    /// The request's body parsed as strict JSON; nil when it is empty or only whitespace.
    func document(of request: Request) async throws -> JSONDocument? {
        guard let bytes = try await body(of: request) else { return nil }
        return JSONDocument(bytes: bytes, root: try JSONParser.parse(bytes))
    }

    /// The request's body, at most the route's limit, not yet parsed; nil when it is empty or only whitespace.
    func body(of request: Request) async throws -> [UInt8]? {
        let bytes = try await RequestBodyReader.bytes(of: request, limit: limit)
        return bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) ? nil : bytes
    }

    /// What a decoding error tells the client: the field, and what it must be.
    static func refusal(_ error: DecodingError, in document: JSONDocument) -> APIError {
        switch error {
        case .typeMismatch(let type, let context):
            let found = document.node(at: context.codingPath)?.typeName ?? "something else"
            guard !context.codingPath.isEmpty else { return .invalidJSON("the body must be a JSON object, not \(found)") }
            return .invalidField(context.codingPath.fieldName, mustBe: Self.name(of: type), not: found)
        case .keyNotFound(let key, let context):
            return .invalidField("\((context.codingPath + [key]).fieldName) is required")
        case .valueNotFound(_, let context):
            return .invalidField("\(context.codingPath.fieldName) is required")
        case .dataCorrupted(let context):
            return .invalidField("\(context.codingPath.fieldName): \(context.debugDescription)")
        @unknown default:
            return .invalidField("the body does not have the fields this route takes")
        }
    }

    /// A Swift type as a JSON type, for messages.
    private static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is any BinaryInteger.Type: "a whole number"
        case is any FloatingPoint.Type: "a number"
        case is [Any].Type: "an array"
        default: "an object"
        }
    }
}

/// A request body that may be left empty, standing for ``empty``.
protocol OptionalBody: Decodable {
    /// What an empty body means.
    static var empty: Self { get }
}
