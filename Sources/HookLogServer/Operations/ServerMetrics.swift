import HookLogCore
import HookLogStore
import Prometheus
import ServiceLifecycle
import Synchronization

/// The server's Prometheus metrics, counted from the log itself: a service follows the store's commits and counts
/// what they record (events ingested, attempts and their latency, deliveries by outcome), and the gauges are read
/// from the live state when scraped (queue depth, disabled webhooks, log size), and from the data directory's disk
/// when it is watched (free space, the reserve, whether ingest is refused for space, the data file's size), and from
/// the delivery engine (how the concurrency cap is shared: docs/rules.md §2.2) and the test-send limit.
final class ServerMetrics: Service, Sendable {
    private let store: any EventLog
    private let registry = PrometheusCollectorRegistry()
    private let eventsIngested: Counter
    private let attemptLatency: DurationHistogram
    private let queueDepth: Gauge
    private let disabledWebhooks: Gauge
    private let budgetWarnings: Counter
    private let logRecords: Gauge
    /// Reads how the engine's concurrency cap is used, once an engine is observed.
    private let deliveryLoad = Mutex<@Sendable () -> DeliveryLoad?>({ nil })
    private let testSends: TestSendRate?
    private let endpointAddressRefusals: Counter
    /// The attempt and delivery counters by their labels, each made on its first count: the registry's lookup builds
    /// the metric's name and labels, too dear to run for every attempt recorded.
    private let outcomeCounters = Mutex<[OutcomeLabels: Counter]>([:])
    /// What compaction shows.
    let compaction: CompactionMetrics
    /// What the limits for many tenants show.
    let limits: LimitMetrics
    /// What the limits on keys and sign-in show.
    let access: AccessMetrics

    /// Metrics of `store`'s log and of the `testSends` limit.
    init(store: any EventLog, testSends: TestSendRate? = nil) {
        self.store = store
        self.testSends = testSends
        compaction = CompactionMetrics(registry: registry)
        limits = LimitMetrics(registry: registry)
        access = AccessMetrics(registry: registry)
        eventsIngested = registry.makeCounter(descriptor: Self.name("events_ingested", "total", "Events accepted by POST /v1/events."))
        attemptLatency = registry.makeDurationHistogram(
            descriptor: Self.name("attempt_duration", "seconds", "HTTP attempts from start to complete answer, error or deadline."),
            buckets: [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                      .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5)])
        queueDepth = registry.makeGauge(descriptor: Self.name("queue", "depth", "Deliveries queued or waiting for a retry."))
        disabledWebhooks = registry.makeGauge(descriptor: Self.name("webhooks", "disabled", "Webhooks disabled by the error budget."))
        budgetWarnings = registry.makeCounter(descriptor: Self.name(
            "error_budget_warnings", "total", "Early-warning e-mails owed: error windows that reached --warn-at."))
        logRecords = registry.makeGauge(descriptor: Self.name("log", "records", "Records in the log."))
        endpointAddressRefusals = registry.makeCounter(descriptor: Self.name(
            "endpoint_address_refusals", "total",
            "Attempts refused because the endpoint's host resolved to a special-purpose address (SSRF)."))
    }

    /// Shows how the engine's concurrency cap is used, read through `load` at each collection from now on.
    func observe(deliveryLoad load: @escaping @Sendable () -> DeliveryLoad?) {
        deliveryLoad.withLock { $0 = load }
    }

    /// Counts an attempt whose endpoint resolved to an address the address policy refuses.
    func countAddressRefusal() {
        endpointAddressRefusals.increment()
    }

    /// Counts every committed record until the store closes or the service is cancelled.
    func run() async throws {
        await cancelWhenGracefulShutdown {
            for await batch in self.store.commits() {
                for entry in batch { self.count(entry.record.fact) }
            }
        }
    }

    private func count(_ fact: Fact) {
        switch fact {
        case .eventReceived:
            eventsIngested.increment()
        case .attemptSucceeded(let fact):
            attempts(outcome: "succeeded", failureClass: "none").increment()
            attemptLatency.record(.milliseconds(fact.durationMilliseconds))
            deliveries("succeeded").increment()
        case .attemptFailed(let fact):
            attempts(outcome: "failed", failureClass: fact.failure.failureClass).increment()
            attemptLatency.record(.milliseconds(fact.durationMilliseconds))
        case .deliveryDropped:
            deliveries("dropped").increment()
        case .deliverySkipped:
            deliveries("skipped").increment()
        case .webhookDisabled(let fact):
            deliveries("skipped").increment(by: Int64(fact.skippedDeliveries ?? 0))
        case .warningThresholdReached:
            budgetWarnings.increment()
        default:
            break
        }
    }

    /// Which counter of attempts or deliveries: the metric and its labels.
    private enum OutcomeLabels: Hashable {
        case attempts(outcome: String, failureClass: String)
        case deliveries(outcome: String)
    }

    private func attempts(outcome: String, failureClass: String) -> Counter {
        outcomeCounter(.attempts(outcome: outcome, failureClass: failureClass))
    }

    private func deliveries(_ outcome: String) -> Counter {
        outcomeCounter(.deliveries(outcome: outcome))
    }

    private func outcomeCounter(_ labels: OutcomeLabels) -> Counter {
        outcomeCounters.withLock { counters in
            if let counter = counters[labels] { return counter }
            let counter =
                switch labels {
                case .attempts(let outcome, let failureClass):
                    registry.makeCounter(
                        descriptor: Self.name("attempts", "total", "HTTP attempts by outcome and failure class."),
                        labels: [("outcome", outcome), ("class", failureClass)])
                case .deliveries(let outcome):
                    registry.makeCounter(
                        descriptor: Self.name("deliveries", "total", "Deliveries that reached a final state."),
                        labels: [("outcome", outcome)])
                }
            counters[labels] = counter
            return counter
        }
    }

    /// Counts an HTTP request answered with `status` for `route` (a route pattern), and records how long it took.
    func countRequest(method: String, route: String, status: Int, duration: Duration) {
        registry.makeCounter(
            descriptor: Self.name("http_requests", "total", "HTTP requests by method, route pattern and status."),
            labels: [("method", method), ("route", route), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: Self.name("http_request_duration", "seconds", "Time to answer an HTTP request, by method and route pattern."),
            labels: [("method", method), ("route", route)], buckets: Self.requestBuckets
        ).record(duration)
    }

    /// Counts a connection the server closed for an HTTP limit, by `reason` (`header_timeout`, `body_timeout`).
    func countConnectionClosed(reason: String) {
        registry.makeCounter(
            descriptor: Self.name("http_connections_closed", "total", "Connections the server closed for an HTTP limit, by reason."),
            labels: [("reason", reason)]
        ).increment()
    }

    private static let requestBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
    ]

    /// A metric named `hooklog_<metric>_<unit>`.
    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "hooklog", metricName: metric, unitName: unit, helpText: help)
    }

    /// The metrics in Prometheus's text format, with the gauges read from `state` and from `disk` when measured.
    func exposition(of state: HookLogState, disk: DiskStatus?) -> [UInt8] {
        queueDepth.set(Double(state.queues.values.reduce(0) { $0 + $1.count }))
        disabledWebhooks.set(Double(state.webhooks.values.count { $0.status == .disabled }))
        logRecords.set(Double(state.lastSequence))
        access.refresh(apiKeys: state.apiKeys.count)
        if let disk { setDiskGauges(disk) }
        if let fleet = store.fleet { setFleetGauges(fleet) }
        if let load = deliveryLoad.withLock({ $0 })() { setDeliveryGauges(load) }
        if let testSends {
            gauge("test_send_interval", "seconds", "The least time between two test sends to one webhook (--test-interval).")
                .set(Double(testSends.interval.components.seconds))
            gauge("test_sends_refused", "", "Test sends refused with 429 since the server started: sooner than --test-interval after the last.")
                .set(Double(testSends.refusedCount))
        }
        return registry.emitToBuffer()
    }

    /// Sets the gauges of fair delivery (docs/rules.md §2.2): the cap, the slots in use, the jobs waiting, the
    /// workspaces with work and the share each may hold; a handful of numbers, never one per workspace.
    private func setDeliveryGauges(_ load: DeliveryLoad) {
        gauge("delivery_slots", "", "The concurrency cap: attempts, e-mails and test sends in flight at most (--concurrency).")
            .set(Double(load.concurrency))
        gauge("delivery_slots_in_use", "", "Attempts, disable e-mails and test sends in flight now.").set(Double(load.slotsInUse))
        gauge("delivery_jobs_waiting", "", "Queue heads, e-mails and test sends due now and waiting for a slot.")
            .set(Double(load.jobsWaiting))
        gauge("delivery_workspaces_with_work", "", "Workspaces with something due or in flight, between which the cap is shared.")
            .set(Double(load.workspacesWithWork))
        gauge("delivery_workspace_share", "slots", "The slots each workspace with work may hold while another waits.")
            .set(Double(load.slotsPerWorkspace))
    }

    /// Sets a fleet node's gauges (docs/postgres.md): how many nodes are alive, and for each partition whether this
    /// node holds its lease, with the epoch it took it at, and whether it delivers it now.
    private func setFleetGauges(_ fleet: FleetStanding) {
        gauge("fleet_nodes", "", "Nodes of the fleet alive at this node's last renewal of its leases.").set(Double(fleet.nodes))
        let delivering = Set(fleet.delivering)
        for partition in Partition.all {
            let labels = [("partition", String(partition.number)), ("node", fleet.node)]
            registry.makeGauge(
                descriptor: Self.name("fleet_partition_epoch", "", "The epoch of each partition this node holds the lease of; 0 for the others."),
                labels: labels
            ).set(Double(fleet.held[partition] ?? 0))
            registry.makeGauge(
                descriptor: Self.name("fleet_partition_delivering", "", "1 for each partition this node delivers now, else 0."),
                labels: labels
            ).set(Double(delivering.contains(partition) ? 1 : 0))
        }
    }

    /// Sets the disk's gauges, made on the first measure so that a server without a data directory shows none.
    private func setDiskGauges(_ disk: DiskStatus) {
        gauge("disk_free", "bytes", "Free space on the data directory's file system.").set(Double(disk.usage.freeBytes))
        gauge("disk_reserve", "bytes", "Free space kept for owed deliveries (--min-free-disk); 0 when off.")
            .set(Double(disk.reserve.bytes))
        gauge("disk_low", "", "1 while free space is below the reserve and new events are refused (507), else 0.")
            .set(Double(disk.isLow ? 1 : 0))
        gauge("data_file", "bytes", "Space data.mdb occupies on disk.").set(Double(disk.usage.dataFileBytes))
        gauge("data_file_free", "bytes", "Space free inside data.mdb, which new records take before more disk: what compaction gave back.")
            .set(Double(disk.usage.reusableBytes))
    }

    private func gauge(_ metric: String, _ unit: String, _ help: String) -> Gauge {
        registry.makeGauge(descriptor: Self.name(metric, unit, help))
    }
}
