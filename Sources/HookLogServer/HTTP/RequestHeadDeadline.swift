import NIOCore

/// Closes a connection whose first request has not sent its whole head (request line and headers) within `timeout`
/// of the connection opening (`--header-timeout`), so that a client trickling a request a byte at a time, with a key
/// or without, holds no connection for long (slowloris). Between the requests of a kept-alive connection, the idle
/// timeout (`--idle-timeout`) bounds the wait instead.
///
/// It sits after the HTTP decoder, which passes a request on only once its head is complete: the first part that
/// reaches it is that head.
final class RequestHeadDeadline: ChannelInboundHandler, RemovableChannelHandler {
    /// The request parts, passed on untouched.
    typealias InboundIn = NIOAny

    private let timeout: TimeAmount
    private let onExpiry: @Sendable () -> Void
    private var deadline: Scheduled<Void>?
    private var headReceived = false

    /// A deadline of `timeout`; `onExpiry` is told each time it closes a connection.
    init(timeout: TimeAmount, onExpiry: @escaping @Sendable () -> Void) {
        self.timeout = timeout
        self.onExpiry = onExpiry
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !headReceived {
            headReceived = true
            disarm()
        }
        context.fireChannelRead(data)
    }

    private func arm(_ context: ChannelHandlerContext) {
        guard deadline == nil, !headReceived else { return }
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
            deadline = nil
            onExpiry()
            context.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}
