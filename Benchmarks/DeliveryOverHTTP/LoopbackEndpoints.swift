import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// The webhook endpoints of the benchmark, on one loopback HTTP/1.1 port, plain or over TLS: every path answers 204
/// at once and is counted, except those under `/silent/`, which read the request and never answer (the connection
/// stays open until the client gives up), and those under `/slow/`, which answer 200 after the slow delay and are
/// counted apart.
///
/// It keeps nothing but a count, so that the receiver costs as little as it can beside the server it measures.
/// HookLogTestSupport's `TestReceiver` keeps every request, headers and body, under a lock, for tests to inspect: wrk
/// with 256 connections got 21,600 answers/s from it (its memory growing by ~1 KiB a request) and 47,600/s from this
/// one, on the same 2 cores (2026-11-26).
final class LoopbackEndpoints: Sendable {
    /// The path prefix of the endpoints that never answer.
    static let silentPrefix = "/silent/"
    /// The path prefix of the endpoints that answer 200 after the slow delay.
    static let slowPrefix = "/slow/"

    private let answered: Counter
    private let slow: SlowCounters
    private let channel: any Channel

    /// The loopback port the endpoints listen on.
    let port: Int
    /// The scheme, host and port of every endpoint URL: `http://127.0.0.1:<port>`, or over TLS
    /// `https://localhost:<port>` (the name the certificate is for).
    let origin: String

    private init(answered: Counter, slow: SlowCounters, channel: any Channel, port: Int, usesTLS: Bool) {
        self.answered = answered
        self.slow = slow
        self.channel = channel
        self.port = port
        origin = usesTLS ? "https://localhost:\(port)" : "http://127.0.0.1:\(port)"
    }

    /// Starts listening on a free port of 127.0.0.1; the slow endpoints answer after `slowDelay`. With `tls`, every
    /// connection is TLS with that server context first.
    static func start(slowDelay: Duration = .milliseconds(4_500), tls: NIOSSLContext? = nil) async throws -> LoopbackEndpoints {
        let counter = Counter()
        let slow = SlowCounters()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 4096)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(
                        Handler(counter: counter, slow: slow, slowDelay: TimeAmount(slowDelay)))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        guard let port = channel.localAddress?.port else { preconditionFailure("a bound loopback socket has a port") }
        return LoopbackEndpoints(answered: counter, slow: slow, channel: channel, port: port, usesTLS: tls != nil)
    }

    /// How many requests have been answered 204 so far (the slow endpoints' answers are not among them).
    var answeredCount: Int {
        answered.value.load(ordering: .relaxed)
    }

    /// How many requests have reached the slow endpoints so far.
    var slowReceivedCount: Int {
        slow.received.value.load(ordering: .relaxed)
    }

    /// How many requests the slow endpoints have answered so far.
    var slowAnsweredCount: Int {
        slow.answered.value.load(ordering: .relaxed)
    }

    /// The URL of an answering endpoint, `<origin>/hooks/<name>`.
    func answeringURL(_ name: String) -> String {
        "\(origin)/hooks/\(name)"
    }

    /// The URL of an endpoint that never answers.
    func silentURL(_ name: String) -> String {
        "\(origin)\(Self.silentPrefix)\(name)"
    }

    /// The URL of an endpoint that answers 200 after the slow delay.
    func slowURL(_ name: String) -> String {
        "\(origin)\(Self.slowPrefix)\(name)"
    }

    /// Stops listening; open connections close when their clients close them.
    func stop() async throws {
        try await channel.close()
    }

    /// The answered count, shared by every connection's handler.
    private final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    /// The slow endpoints' requests received and answered, shared by every connection's handler.
    private final class SlowCounters: Sendable {
        let received = Counter()
        let answered = Counter()
    }

    /// One connection: answers 204 to each request once it has arrived whole, 200 after the slow delay if its path is
    /// slow, nothing if it is silent.
    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private let counter: Counter
        private let slow: SlowCounters
        private let slowDelay: TimeAmount
        private var head: HTTPRequestHead?

        init(counter: Counter, slow: SlowCounters, slowDelay: TimeAmount) {
            self.counter = counter
            self.slow = slow
            self.slowDelay = slowDelay
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
                guard request.uri.hasPrefix(LoopbackEndpoints.slowPrefix) else {
                    Self.respond(to: request, status: .noContent, on: context.channel)
                    counter.value.add(1, ordering: .relaxed)
                    return
                }
                slow.received.value.add(1, ordering: .relaxed)
                let (channel, slow) = (context.channel, slow)
                context.eventLoop.scheduleTask(in: slowDelay) {
                    Self.respond(to: request, status: .ok, on: channel)
                    slow.answered.value.add(1, ordering: .relaxed)
                }
            }
        }

        /// Answers `request` with `status` and no body, through the whole pipeline of `channel`.
        private static func respond(to request: HTTPRequestHead, status: HTTPResponseStatus, on channel: any Channel) {
            var response = HTTPResponseHead(version: request.version, status: status)
            if status != .noContent { response.headers.add(name: "content-length", value: "0") }
            if !request.isKeepAlive { response.headers.add(name: "connection", value: "close") }
            channel.write(HTTPServerResponsePart.head(response), promise: nil)
            let written = channel.writeAndFlush(HTTPServerResponsePart.end(nil))
            if !request.isKeepAlive { written.whenComplete { _ in channel.close(promise: nil) } }
        }
    }
}
