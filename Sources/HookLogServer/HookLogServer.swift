public import HookLogCore
import HookLogDelivery
public import HookLogStore
import Hummingbird
import HummingbirdCore
public import Logging
import NIOCore
import ServiceLifecycle
public import UnixSignals

/// `hooklog serve`: the HTTP API (docs/rules.md §4) and the delivery engine over one open log, run as a service group.
///
/// A graceful shutdown (SIGTERM or SIGINT when ``run(shutdownSignals:onListening:)`` is given them) stops taking
/// requests, ends event streams, lets the attempts and e-mails under way finish and be recorded, then closes the
/// store (the group's first service, so its last to stop) and returns.
public struct HookLogServer<C: Clock<Duration>>: Sendable where C.Instant == Timestamp {
    private let store: any EventLog
    private let configuration: ServerConfiguration
    private let clock: C
    private let logger: Logger

    /// A server over `store` with `configuration`, keeping time with `clock`.
    public init(store: any EventLog, configuration: ServerConfiguration, clock: C, logger: Logger = Logger(label: "hooklog")) {
        self.store = store
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
    }

    /// Serves until the task is cancelled or one of `shutdownSignals` arrives; `onListening` is told the port once the
    /// server accepts connections (useful with port 0).
    public func run(
        shutdownSignals: [UnixSignal] = [], onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let policy = store.withState(\.policy)
        let testSends = TestSendRate(interval: configuration.testInterval)
        let metrics = ServerMetrics(store: store, testSends: testSends)
        let sender = HTTPSender(
            clock: clock, timeout: policy.attemptTimeout,
            addressPolicy: EndpointAddressPolicy(
                allowsPrivateAddresses: configuration.allowPrivateEndpoints, resolver: configuration.endpointResolver),
            tlsConfiguration: configuration.endpointTrust.tlsConfiguration,
            onAddressRefusal: { metrics.countAddressRefusal() })
        let engine = DeliveryEngine(
            store: store, sender: sender, notifications: configuration.notifications, clock: clock,
            concurrency: configuration.concurrency, logger: logger)
        metrics.observe(deliveryLoad: { engine.load })
        let log = LogService(
            store: store, configuration: configuration, clock: clock, sender: sender, engine: engine, testSends: testSends,
            limitMetrics: metrics.limits)
        let router = try HookLogRoutes.router(
            log: log, metrics: metrics,
            dashboard: try await Dashboard.load(
                publicURL: configuration.notifications.publicURL, sessionLimits: configuration.dashboardSessionLimits,
                sharedSessions: store.sharedSessions))
        let headerTimeout = TimeAmount(configuration.headerTimeout)
        let connections = HTTP1Channel.Configuration(
            additionalChannelHandlers: [
                RequestHeadDeadline(timeout: headerTimeout) { metrics.countConnectionClosed(reason: "header_timeout") },
                RequestBodyDeadline(timeout: configuration.bodyTimeout) { metrics.countConnectionClosed(reason: "body_timeout") },
            ],
            idleTimeout: TimeAmount(configuration.idleTimeout))
        let application = Application(
            router: router,
            server: .http1(configuration: connections),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "HookLog"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
        let compactor: [ServiceGroupConfiguration.ServiceConfiguration] = configuration.retention.map { retention in
            [.init(service: Compactor(store: store, retention: retention, clock: clock, metrics: metrics.compaction, logger: logger))]
        } ?? []
        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: store),
                .init(service: DeliveryEngineService(engine: engine)),
                .init(service: metrics),
            ] + compactor + [
                .init(service: application),
            ],
            gracefulShutdownSignals: shutdownSignals, logger: logger))
        do {
            try await group.run()
        } catch {
            try? await sender.shutdown()
            throw error
        }
        try await sender.shutdown()
    }
}

/// Runs the delivery engine as a service: a graceful shutdown lets the work under way finish and be recorded.
struct DeliveryEngineService<C: Clock<Duration>>: Service where C.Instant == Timestamp {
    let engine: DeliveryEngine<C>

    func run() async throws {
        await withGracefulShutdownHandler {
            await engine.run()
        } onGracefulShutdown: {
            engine.finishInFlight()
        }
    }
}
