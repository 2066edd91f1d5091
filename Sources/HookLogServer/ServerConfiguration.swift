import HookLogCore
public import HookLogDelivery

/// How `hooklog serve` runs (docs/rules.md §4, Configuration): where it listens, who may administer it, and the numbers of
/// the delivery rules.
public struct ServerConfiguration: Sendable {
    /// The address to listen on.
    public var host = "127.0.0.1"
    /// The port to listen on; 0 picks a free one (see ``HookLogServer/run(onListening:)``).
    public var port = 8080
    /// The admin key, which manages workspaces. Only its SHA-256 is kept.
    public var adminKey: String
    /// Whether webhooks may point at private, loopback or link-local addresses (refused by default: SSRF).
    public var allowPrivateEndpoints = false
    /// The e-mail settings for disable notifications.
    public var notifications = NotificationSettings(smtp: nil, publicURL: "http://127.0.0.1:8080")
    /// Deliveries in flight at once, shared round-robin by all webhooks.
    public var concurrency = 256
    /// Commands waiting for the log's writer beyond which writes are refused with 429.
    public var maxWriteBacklog = 10_000
    /// How long finished history is kept before compaction removes it (docs/rules.md §3.7); nil keeps it forever.
    public var retention: Duration? = .seconds(30 * 86_400)
    /// The free space kept on the data directory's disk, below which ingest is refused; nil for a log that is not
    /// in a data directory, whose disk is then neither watched nor measured.
    public var diskReserve: DiskReserve?
    /// Resolves webhook hosts, for the address check when a URL is set and in every attempt (tests script one).
    public var endpointResolver: any EndpointResolver = SystemResolver()

    /// A configuration with `adminKey` and the defaults.
    public init(adminKey: String) {
        self.adminKey = adminKey
    }
}
