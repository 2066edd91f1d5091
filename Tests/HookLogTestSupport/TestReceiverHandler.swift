import Foundation
import HookLogCore
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One connection of a ``TestReceiver``: gathers each request, records it, and answers as its path's behaviour says.
final class TestReceiverHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// How many body bytes the partial-body behaviours announce, and how many of them they send.
    private static let announcedBodyBytes = 4096
    private static let sentBodyBytes = 100

    private let state: TestReceiverState
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(state: TestReceiverState) {
        self.state = state
    }

    func channelActive(context: ChannelHandlerContext) {
        state.opened(context.channel)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        state.closed(context.channel)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(let chunk):
            body += chunk.readableBytesView
        case .end:
            guard let head else { return }
            self.head = nil
            let request = TestReceiver.ReceivedRequest(
                method: head.method.rawValue,
                path: String(head.uri.prefix { $0 != "?" }),
                headers: head.headers.map { ($0.name.lowercased(), $0.value) },
                body: body,
                receivedAt: Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
            )
            answer(state.record(request), to: head, context: context)
        }
    }

    private func answer(
        _ behaviour: TestReceiver.Behaviour, to request: HTTPRequestHead, context: ChannelHandlerContext
    ) {
        let channel = context.channel
        switch behaviour {
        case .respond(let status, let text, let extraHeaders):
            var head = HTTPResponseHead(version: request.version, status: HTTPResponseStatus(statusCode: status))
            let hasBody = !((100..<200).contains(status) || status == 204 || status == 304)
            if hasBody { head.headers.add(name: "content-length", value: String(text.utf8.count)) }
            for (name, value) in extraHeaders { head.headers.add(name: name, value: value) }
            if !request.isKeepAlive { head.headers.add(name: "connection", value: "close") }
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            if hasBody { context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil) }
            let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if !request.isKeepAlive { written.whenComplete { _ in channel.close(promise: nil) } }
        case .hang:
            break
        case .resetMidBody:
            writePartialBody(context: context, request: request).flatMap {
                // SO_LINGER 0: closing sends a TCP reset instead of an orderly FIN.
                (channel as? any SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0))
                    ?? channel.eventLoop.makeSucceededVoidFuture()
            }.whenComplete { _ in
                channel.close(promise: nil)
            }
        case .stallMidBody:
            _ = writePartialBody(context: context, request: request)
        case .closeWithoutAnswer:
            context.close(promise: nil)
        case .sequence:
            preconditionFailure("TestReceiverState resolves sequences before answering")
        }
    }

    private func writePartialBody(context: ChannelHandlerContext, request: HTTPRequestHead) -> EventLoopFuture<Void> {
        var head = HTTPResponseHead(version: request.version, status: .ok)
        head.headers.add(name: "content-length", value: String(Self.announcedBodyBytes))
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        let part = ByteBuffer(repeating: UInt8(ascii: "x"), count: Self.sentBodyBytes)
        return context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(part))))
    }
}
