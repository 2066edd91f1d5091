import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One HTTP/1.1 connection of the sender to a checked address, kept alive between attempts: TLS (when the key says
/// so, with the URL's host as SNI and as the name the certificate must carry), the client codec, an idle timer and
/// an ``ExchangeHandler``. It carries one exchange at a time.
final class HTTPConnection: Sendable {
    /// What the connection may be reused for.
    let key: ConnectionKey
    private let channel: any Channel

    private init(key: ConnectionKey, channel: any Channel) {
        self.key = key
        self.channel = channel
    }

    /// Connects to `key`'s address and port (no name is resolved here: the address is the checked one) and returns
    /// once the connection is ready: connected, and for https once the handshake verified the certificate against
    /// `key.host`. A cancelled task stops waiting at once and closes what was opened.
    static func open(
        _ key: ConnectionKey, on group: any EventLoopGroup, tls: NIOSSLContext?, connectTimeout: TimeAmount,
        idleTimeout: TimeAmount
    ) async throws -> HTTPConnection {
        let address = try SocketAddress(ipAddress: key.address.description, port: key.port)
        // SNI carries names only; for an address literal, NIOSSL verifies the certificate against the address.
        let serverHostname = IPAddress(key.host) == nil ? key.host : nil
        let eventLoop = group.next()
        let ready = eventLoop.makePromise(of: Void.self)
        let connecting = ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let tls {
                        try pipeline.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverHostname))
                    }
                    try pipeline.addHTTPClientHandlers()
                    try pipeline.addHandler(IdleStateHandler(allTimeout: idleTimeout))
                    try pipeline.addHandler(ExchangeHandler(ready: ready, waitsForHandshake: tls != nil))
                }
            }
            .connect(to: address)
        connecting.whenFailure { ready.fail($0) }
        try await withTaskCancellationHandler {
            try await ready.futureResult.get()
        } onCancel: {
            ready.fail(CancellationError())
            connecting.whenSuccess { $0.close(promise: nil) }
        }
        return HTTPConnection(key: key, channel: try await connecting.get())
    }

    /// Whether the connection is still open.
    var isActive: Bool {
        channel.isActive
    }

    /// Sends `head` and `body` and returns the answer once read to its end. A cancelled task closes the
    /// connection, which ends the wait.
    func exchange(_ head: HTTPRequestHead, body: ByteBuffer) async throws -> HTTPExchange.Answer {
        let answer = channel.eventLoop.makePromise(of: HTTPExchange.Answer.self)
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { answer.fail($0) }
        channel.writeAndFlush(HTTPExchange(head: head, body: body, answer: answer), promise: written)
        return try await withTaskCancellationHandler {
            try await answer.futureResult.get()
        } onCancel: { [channel] in
            channel.close(promise: nil)
        }
    }

    /// Calls `body` once the connection has closed, whoever closed it.
    func whenClosed(_ body: @escaping @Sendable () -> Void) {
        channel.closeFuture.whenComplete { _ in body() }
    }

    /// Closes the connection.
    func close() {
        channel.close(promise: nil)
    }
}
