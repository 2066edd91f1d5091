import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The webhook endpoints of the benchmark, on one loopback HTTP/1.1 port: every path answers 204 at once and is
/// counted, except those under `/silent/`, which read the request and never answer (the connection stays open until
/// the client gives up).
///
/// It keeps nothing but a count, so that the receiver costs as little as it can beside the server it measures.
/// HookLogTestSupport's `TestReceiver` keeps every request, headers and body, under a lock, for tests to inspect: wrk
/// with 256 connections got 21,600 answers/s from it (its memory growing by ~1 KiB a request) and 47,600/s from this
/// one, on the same 2 cores (2026-11-26).
final class LoopbackEndpoints: Sendable {
    /// The path prefix of the endpoints that never answer.
    static let silentPrefix = "/silent/"

    private let answered: Counter
    private let channel: any Channel

    /// The loopback port the endpoints listen on.
    let port: Int

    private init(answered: Counter, channel: any Channel, port: Int) {
        self.answered = answered
        self.channel = channel
        self.port = port
    }

    /// Starts listening on a free port of 127.0.0.1.
    static func start() async throws -> LoopbackEndpoints {
        let counter = Counter()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 4096)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(counter: counter))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        guard let port = channel.localAddress?.port else { preconditionFailure("a bound loopback socket has a port") }
        return LoopbackEndpoints(answered: counter, channel: channel, port: port)
    }

    /// How many requests have been answered 204 so far.
    var answeredCount: Int {
        answered.value.load(ordering: .relaxed)
    }

    /// The URL of an answering endpoint, `http://127.0.0.1:<port>/hooks/<name>`.
    func answeringURL(_ name: String) -> String {
        "http://127.0.0.1:\(port)/hooks/\(name)"
    }

    /// The URL of an endpoint that never answers.
    func silentURL(_ name: String) -> String {
        "http://127.0.0.1:\(port)\(Self.silentPrefix)\(name)"
    }

    /// Stops listening; open connections close when their clients close them.
    func stop() async throws {
        try await channel.close()
    }

    /// The answered count, shared by every connection's handler.
    private final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    /// One connection: answers 204 to each request once it has arrived whole, unless its path is silent.
    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private let counter: Counter
        private var head: HTTPRequestHead?

        init(counter: Counter) {
            self.counter = counter
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
            case .body:
                break
            case .end:
                guard let request = head, !request.uri.hasPrefix(LoopbackEndpoints.silentPrefix) else { return }
                head = nil
                var response = HTTPResponseHead(version: request.version, status: .noContent)
                if !request.isKeepAlive { response.headers.add(name: "connection", value: "close") }
                context.write(wrapOutboundOut(.head(response)), promise: nil)
                let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
                counter.value.add(1, ordering: .relaxed)
                if !request.isKeepAlive {
                    let channel = context.channel
                    written.whenComplete { _ in channel.close(promise: nil) }
                }
            }
        }
    }
}
