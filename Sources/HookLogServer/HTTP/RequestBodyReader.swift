import Hummingbird
import NIOCore

/// Reads a request's JSON body under its route's size limit (``RequestBodyLimits``).
enum RequestBodyReader {
    /// The body's bytes, refused with 413 when larger than `limit` and 415 when it is not declared JSON.
    static func bytes(of request: Request, limit: RequestBodyLimit) async throws -> [UInt8] {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit.bytes)
        } catch is NIOTooManyBytesError {
            throw limit.refusal
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
