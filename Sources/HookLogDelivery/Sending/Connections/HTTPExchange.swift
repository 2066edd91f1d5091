import NIOCore
import NIOHTTP1

/// One request handed to a connection's ``ExchangeHandler``, with the promise its answer completes.
struct HTTPExchange: Sendable {
    /// The request line and headers.
    let head: HTTPRequestHead
    /// The request body.
    let body: ByteBuffer
    /// Completed once the answer has been read to its end, or failed with what ended the connection first.
    let answer: EventLoopPromise<Answer>

    /// A complete answer: its status, the start of its body, and whether the connection may carry another request.
    struct Answer: Sendable {
        /// The status code.
        let status: Int
        /// The body's first bytes, at most ``Validation/maxSnippetBytes``.
        let snippet: [UInt8]
        /// Whether both sides kept the connection alive.
        let keepsAlive: Bool
    }
}
