import Hummingbird
import NIOCore

/// Reads a request's JSON body under a size limit.
enum RequestBodyReader {
    /// The most a request body may hold (docs/rules.md §4: 4 MiB per ingest request).
    static let maxBytes = 4 << 20

    /// The body's bytes, refused with 413 when larger than ``maxBytes`` and 415 when it is not declared JSON.
    static func bytes(of request: Request) async throws -> [UInt8] {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBytes)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, "payload_too_large", "the request body is larger than \(maxBytes) bytes")
        }
        if buffer.readableBytes > 0, let type = request.headers[.contentType],
            !type.lowercased().hasPrefix("application/json")
        {
            throw APIError(
                .unsupportedMediaType, "unsupported_media_type", "send the body as application/json, not \(type)")
        }
        return Array(buffer.readableBytesView)
    }

    /// The body parsed as JSON; an empty body is refused unless `optional`, when it stands for `{}`.
    static func json(of request: Request, optional: Bool = false) async throws -> JSONDocument {
        let bytes = try await bytes(of: request)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            guard optional else { throw APIError.invalidJSON("the request needs a JSON body") }
            return JSONDocument(bytes: Array("{}".utf8), root: .object([], span: 0..<2))
        }
        return JSONDocument(bytes: bytes, root: try JSONParser.parse(bytes))
    }
}

/// A parsed request body and the bytes it was parsed from.
struct JSONDocument: Sendable {
    let bytes: [UInt8]
    let root: JSONNode

    /// The exact text of an object found in this document.
    func text(of span: Range<Int>) -> [UInt8] {
        Array(bytes[span])
    }
}
