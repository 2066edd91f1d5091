import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Ends a request whose body has not arrived in full within `timeout` of its head (`--body-timeout`), so that a
/// client trickling a body a byte at a time holds no connection, request or body buffer for long: every body part
/// read resets the idle timeout (`--idle-timeout`), which therefore does not bound a slow body. The deadline is armed
/// at each request's head, on the first request of a connection and on every later one, and disarmed at its end.
///
/// At the deadline the request's body fails with 408 `request_timeout` (``APIError/requestTimeout(after:)``): a
/// route still reading it answers with that error, as with any other, and the connection is closed once that answer
/// is written. A request already answered before its body was read (a 401, say) is not answered twice: its
/// connection is closed at once. Nothing that arrives on the connection after the deadline is passed on.
///
/// It sits after the HTTP decoder, which passes each request on as a head, body parts and an end. The clock runs
/// from the moment the server reads a head: a pipelining client whose request waits behind a slow answer has that
/// wait counted too, since the server reads no further while it answers.
///
/// An error that ends the request (a body the decoder refused, a reset) ends its deadline too, and a deadline that
/// comes due on a connection already closed does nothing: neither is counted as a body timeout.
final class RequestBodyDeadline: ChannelDuplexHandler, RemovableChannelHandler {
    /// The request parts, passed on untouched until the deadline.
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    /// The response parts, watched to know when every request read has been answered.
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let timeout: Duration
    private let onExpiry: @Sendable () -> Void
    private var deadline: Scheduled<Void>?
    /// Requests whose head has been read and whose response has not been written to its end.
    private var unanswered = 0
    /// Whether a request's body ran out of time: the connection closes as soon as no request is left unanswered.
    private var expired = false

    /// A deadline of `timeout` for every request's body; `onExpiry` is told each time one runs out.
    init(timeout: Duration, onExpiry: @escaping @Sendable () -> Void) {
        self.timeout = timeout
        self.onExpiry = onExpiry
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        disarm()
        context.fireErrorCaught(error)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !expired else { return }
        switch unwrapInboundIn(data) {
        case .head:
            unanswered += 1
            arm(context)
        case .body:
            break
        case .end:
            disarm()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data) else { return context.write(data, promise: promise) }
        unanswered = max(0, unanswered - 1)
        if expired && unanswered == 0 {
            context.writeAndFlush(data, promise: promise)
            context.close(promise: nil)
        } else {
            context.write(data, promise: promise)
        }
    }

    private func arm(_ context: ChannelHandlerContext) {
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) { [self] in
            deadline = nil
            guard context.channel.isActive else { return }
            expired = true
            onExpiry()
            context.fireErrorCaught(APIError.requestTimeout(after: timeout))
            if unanswered == 0 { context.close(promise: nil) }
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}
