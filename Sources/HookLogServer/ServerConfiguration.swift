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
    /// Attempts in flight at once, shared round-robin by the workspaces with work, then by their webhooks.
    public var concurrency = 256
    /// Commands waiting for the log's writer beyond which writes are refused with 429.
    public var maxWriteBacklog = 10_000
    /// How long finished history is kept before compaction removes it (docs/rules.md §3.7); nil keeps it forever.
    public var retention: Duration? = .seconds(30 * 86_400)
    /// The free space kept on the data directory's disk, below which ingest is refused; nil for a log that is not
    /// in a data directory, whose disk is then neither watched nor measured.
    public var diskReserve: DiskReserve?
    /// The least time between two test sends to one webhook (`POST /v1/webhooks/{id}/test`); one sooner is 429.
    public var testInterval: Duration = .seconds(1)

    /// A configuration with `adminKey` and the defaults.
    public init(adminKey: String) {
        self.adminKey = adminKey
    }
}
