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
}
