import Foundation
import Hummingbird

/// Encodes an `Encodable` answer as the API writes JSON (``HookLogRequestContext``'s `responseEncoder`, used by
/// `ResponseEncodable`): compact, keys in sorted order so that the same value always reads the same, slashes not
/// escaped, as `application/json`.
struct APIResponseEncoder: ResponseEncoder {
    func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
