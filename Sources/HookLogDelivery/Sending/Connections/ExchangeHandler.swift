import HookLogCore
import NIOCore
import NIOHTTP1
import NIOTLS

/// The last handler of a sender's connection, behind the HTTP/1.1 codec (and TLS for https): it says when the
/// connection is ready (connected, and for https the handshake done), writes one ``HTTPExchange`` at a time, and
/// completes it with the answer read to its end, keeping the body's first bytes only. Whatever ends the connection
/// first (an error, a close, the idle timer) fails the exchange under way.
final class ExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPExchange
    typealias OutboundOut = HTTPClientRequestPart

    /// The connection closed before a complete answer.
    struct ClosedBeforeAnswer: Error, CustomStringConvertible {
        var description: String { "the endpoint closed the connection before its answer was complete" }
    }

    /// A second request was written before the first was answered (the sender never does this).
    struct Busy: Error, CustomStringConvertible {
        var description: String { "the connection is still waiting for an answer" }
    }

    private let ready: EventLoopPromise<Void>
    private let waitsForHandshake: Bool
    private var pending: EventLoopPromise<HTTPExchange.Answer>?
    private var status = 0
    private var keepsAlive = false
    private var snippet: [UInt8] = []

    /// A handler that succeeds `ready` once the channel is active, or with `waitsForHandshake` once TLS is up.
    init(ready: EventLoopPromise<Void>, waitsForHandshake: Bool) {
        self.ready = ready
        self.waitsForHandshake = waitsForHandshake
    }

    func channelActive(context: ChannelHandlerContext) {
        if !waitsForHandshake { ready.succeed() }
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case let tls as TLSUserEvent:
            if case .handshakeCompleted = tls { ready.succeed() }
        case let idle as IdleStateHandler.IdleStateEvent:
            if idle == .all && pending == nil { context.close(promise: nil) }
        default:
            break
        }
        context.fireUserInboundEventTriggered(event)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let exchange = unwrapOutboundIn(data)
        guard pending == nil else {
            exchange.answer.fail(Busy())
            promise?.fail(Busy())
            return
        }
        pending = exchange.answer
        status = 0
        keepsAlive = exchange.head.isKeepAlive
        snippet.removeAll(keepingCapacity: true)
        context.write(wrapOutboundOut(.head(exchange.head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(exchange.body))), promise: nil)
        context.write(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let answer = pending else {
            // Bytes nobody asked for: the connection can no longer be trusted to pair answers with requests.
            context.close(promise: nil)
            return
        }
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
            keepsAlive = keepsAlive && head.isKeepAlive
        case .body(let chunk):
            // Chunks past the first bytes are still read (success needs the whole body), then dropped.
            let room = Validation.maxSnippetBytes - snippet.count
            if room > 0 { snippet += chunk.readableBytesView.prefix(room) }
        case .end:
            pending = nil
            answer.succeed(HTTPExchange.Answer(status: status, snippet: snippet, keepsAlive: keepsAlive))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        ready.fail(error)
        pending?.fail(error)
        pending = nil
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        ready.fail(ClosedBeforeAnswer())
        pending?.fail(ClosedBeforeAnswer())
        pending = nil
        context.fireChannelInactive()
    }
}
