import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A real HTTP/1.1 server on a loopback port that plays a webhook endpoint: it answers each path as the test says
/// (see ``Behaviour``; 204 by default) and keeps every request it got. Keep-alive and concurrent connections work
/// as in a real server. Call ``stop()`` when done.
public final class TestReceiver: Sendable {
    /// Waiting for requests took longer than allowed.
    public struct WaitTimedOut: Error, CustomStringConvertible {
        /// How many requests were expected and how many arrived.
        public let description: String
    }

    private let state: TestReceiverState
    private let serverChannel: any Channel

    /// The loopback address the receiver listens on.
    public let host: String
    /// The loopback port the receiver listens on.
    public let port: Int
    /// Whether the receiver speaks HTTPS, with ``TestCertificate``.
    public let usesTLS: Bool

    private init(state: TestReceiverState, serverChannel: any Channel, host: String, port: Int, usesTLS: Bool) {
        self.state = state
        self.serverChannel = serverChannel
        self.host = host
        self.port = port
        self.usesTLS = usesTLS
    }

    /// Starts a receiver on `port` (a free one if 0) of the loopback address `host`, speaking HTTPS with
    /// ``TestCertificate`` when `usesTLS`.
    public static func start(host: String = "127.0.0.1", port: Int = 0, usesTLS: Bool = false) async throws -> TestReceiver {
        let state = TestReceiverState()
        let tls = try usesTLS ? TestCertificate.serverContext() : nil
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(TestReceiverHandler(state: state))
                }
            }
            .bind(host: host, port: port)
            .get()
        guard let port = channel.localAddress?.port else { preconditionFailure("a bound loopback socket has a port") }
        return TestReceiver(state: state, serverChannel: channel, host: host, port: port, usesTLS: usesTLS)
    }

    /// Stops listening and closes every open connection.
    public func stop() async throws {
        try await serverChannel.close()
        for connection in state.openConnections {
            connection.close(promise: nil)
            try await connection.closeFuture.get()
        }
    }

    /// How many connections clients have opened so far (a client that keeps connections alive opens fewer).
    public var acceptedConnectionCount: Int {
        state.acceptedConnections
    }

    /// The URL of `path` on this receiver: `http://127.0.0.1:<port><path>` (https, and its own address, if so
    /// started).
    public func url(_ path: String) -> String {
        "\(usesTLS ? "https" : "http")://\(host):\(port)\(path)"
    }

    /// Answers the requests to `path` (query excluded) with `behaviour` from now on.
    public func setBehaviour(_ behaviour: Behaviour, forPath path: String) {
        state.setBehaviour(behaviour, forPath: path)
    }

    /// The requests received so far, in arrival order: all of them, or those to `path`.
    public func requests(path: String? = nil) -> [ReceivedRequest] {
        state.requests(path: path)
    }

    /// Waits, in real time, until at least `count` requests (to `path`, if given) have arrived, and returns them.
    public func waitForRequests(
        count: Int, path: String? = nil, timeout: Duration = .seconds(60)
    ) async throws -> [ReceivedRequest] {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let received = requests(path: path)
            if received.count >= count { return received }
            guard clock.now < deadline else {
                throw WaitTimedOut(
                    description: "expected \(count) request(s)\(path.map { " to \($0)" } ?? "") within \(timeout), "
                        + "but \(received.count) arrived"
                )
            }
            try await clock.sleep(for: .milliseconds(5))
        }
    }
}
