import HookLogCore
import HookLogDelivery
import HookLogStore
import Hummingbird

/// What every controller works with: the log, the clock, the server's configuration, the sender of test events, the
/// delivery engine whose slots they take, the limit on test sends, the watch on the data directory's disk and the
/// limits for many tenants.
///
/// Controllers read the live state and the log's indexes, and write only through ``execute(_:)``, which decides
/// commands in the log's writer and returns once their records are durable, so that what a response reports is
/// in the log.
struct LogService<C: Clock<Duration>>: Sendable where C.Instant == Timestamp {
    let store: any EventLog
    let configuration: ServerConfiguration
    let clock: C
    let sender: HTTPSender<C>
    /// The engine whose concurrency cap test sends take their slots from.
    let engine: DeliveryEngine<C>
    /// One test send per webhook per ``ServerConfiguration/testInterval``.
    let testSends: TestSendRate
    let addressPolicy: EndpointAddressPolicy
    /// The data directory's disk against its reserve, when the configuration has one.
    let disk: DiskWatch?
    /// The limits for many tenants the configuration sets.
    let limits: TenantLimits

    init(
        store: any EventLog, configuration: ServerConfiguration, clock: C, sender: HTTPSender<C>, engine: DeliveryEngine<C>,
        testSends: TestSendRate, limitMetrics: LimitMetrics
    ) {
        self.store = store
        limits = TenantLimits(configuration, metrics: limitMetrics)
        self.configuration = configuration
        self.clock = clock
        self.sender = sender
        self.engine = engine
        self.testSends = testSends
        addressPolicy = EndpointAddressPolicy(
            allowsPrivateAddresses: configuration.allowPrivateEndpoints, resolver: configuration.endpointResolver)
        disk = configuration.diskReserve.map { reserve in
            DiskWatch(reserve: reserve, now: { clock.now }) {
                var usage = try DiskUsage.measure(reserve.directory)
                usage.reusableBytes = (try? store.reusableBytes()) ?? 0
                return usage
            }
        }
    }

    /// Decides and appends `commands` as one request, returning each one's records once durable. A saturated write
    /// queue is 429, a closed or failed log 503, a commit the disk had no room for 507.
    func execute(_ commands: [Command]) async throws -> [Result<[LoggedRecord], DecisionError>] {
        guard store.backlog < configuration.maxWriteBacklog else {
            throw APIError.saturated(maxWriteBacklog: configuration.maxWriteBacklog)
        }
        do {
            return try await store.execute(commands, at: clock.now)
        } catch StoreError.closed, StoreError.writerFailed {
            throw APIError.unavailable
        } catch StoreError.insufficientStorage {
            throw APIError.insufficientStorage(
                "the disk of the data directory is full, so nothing of this request was written; retry once space is "
                    + "freed (writes resume by themselves)")
        }
    }

    /// Decides and appends one command; its refusal becomes the matching API error.
    func execute(_ command: Command) async throws -> [LoggedRecord] {
        do {
            return try await execute([command])[0].get()
        } catch let refusal as DecisionError {
            throw APIError(refusal)
        }
    }

    /// The webhook `id` if it belongs to `workspace`; 404 otherwise, whoever's it is.
    func webhook(_ id: String, of workspace: Workspace) throws(APIError) -> Webhook {
        guard let webhook = store.withState({ $0.webhooks[WebhookID(id)] }), webhook.workspaceID == workspace.id else {
            throw .notFound("no webhook \(id)")
        }
        return webhook
    }

    /// The delivery `id` if its event was received from `workspace`; 404 otherwise, whoever's it is. Whose a delivery
    /// is, its own event record tells (``event(of:)``), never an event looked up by id: event ids are the clients'
    /// own, unique only within a workspace, so another workspace may well have sent one with the same id.
    func delivery(_ id: String, of workspace: Workspace) async throws -> DeliveryRecord {
        guard let delivery = try await store.queries.delivery(DeliveryID(id)), try await event(of: delivery)?.workspaceID == workspace.id
        else { throw APIError.notFound("delivery \(id)", historyStart: try await store.queries.historyStart()?.at) }
        return delivery
    }

    /// The event a delivery carries: the `EventReceived` record at its event sequence (a redelivery's too).
    func event(of delivery: DeliveryRecord) async throws -> EventReceived? {
        guard case .eventReceived(let event)? = try await store.queries.record(at: delivery.eventSequence)?.record.fact else {
            return nil
        }
        return event
    }

    /// A workspace's webhooks in the order pages list them: by creation time, then id.
    func webhooks(of workspace: Workspace) -> [Webhook] {
        store.withState { $0.webhooks(of: workspace.id) }.sorted { WebhookCursor($0) < WebhookCursor($1) }
    }
}
