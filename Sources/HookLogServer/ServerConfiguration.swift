import HookLogCore
public import HookLogDelivery

/// How `hooklog serve` runs (docs/rules.md §4, Configuration): where it listens, who may administer it, and the numbers of
/// the delivery rules.
public struct ServerConfiguration: Sendable {
    /// The address to listen on.
    public var host = "127.0.0.1"
    /// The port to listen on; 0 picks a free one (see ``HookLogServer/run(onListening:)``).
    public var port = 8080
    /// The SHA-256 of the admin key, which manages workspaces: the key itself is not kept.
    public var adminKeyHash: [UInt8]
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
    /// The most webhooks one workspace may have; creating one more is 409 `limit_reached` (docs/operations.md,
    /// "Webhooks per workspace").
    public var maxWebhooksPerWorkspace = 100
    /// Events each workspace may send per second on average, and twice as many at once; more is 429 `rate_limited`
    /// (docs/operations.md, "Ingest rate").
    public var ingestRate = 1000
    /// How long a connection may stay open with no request under way before it is closed.
    public var idleTimeout: Duration = .seconds(60)
    /// How long a new connection has to send its first request's whole head (request line and headers).
    public var headerTimeout: Duration = .seconds(10)
    /// How long a request has to send its whole body once its head has arrived; a slower one is answered 408
    /// `request_timeout` and its connection closed.
    public var bodyTimeout: Duration = .seconds(30)
    /// The most a request body may hold, by route.
    public var bodyLimits = RequestBodyLimits()
    /// How long a webhook's old secret keeps signing requests beside the new one after a rotation
    /// (`--secret-overlap`), and the longest overlap a rotation may ask for.
    public var secretOverlap: Duration = .seconds(86_400)
    /// The most live API keys one workspace may have (`--max-keys-per-workspace`); issuing more is 409.
    public var maxKeysPerWorkspace = 100
    /// Failed authentications one client address may make in a minute before its requests without a valid key are
    /// refused with 429 for a minute (`--auth-failure-limit`); 0 turns this off.
    public var authFailureLimit = 20
    /// The reverse proxies whose `X-Forwarded-For` tells the client's address (`--trusted-proxy`); none by default.
    public var trustedProxies = TrustedProxies.none
    /// Dashboard sessions one API key may have at once (`--max-sessions-per-key`); a sign-in beyond ends its oldest.
    public var maxSessionsPerKey = 16
    /// Dashboard sessions the server keeps at once (`--max-dashboard-sessions`); a sign-in beyond ends the least
    /// recently used.
    public var maxDashboardSessions = 10_000
    /// How long a dashboard session lasts without a request (`--session-idle-timeout`).
    public var sessionIdleTimeout: Duration = .seconds(12 * 3600)
    /// The least time between two test sends to one webhook (`POST /v1/webhooks/{id}/test`); one sooner is 429.
    public var testInterval: Duration = .seconds(1)
    /// Resolves webhook hosts, for the address check when a URL is set and in every attempt (tests script one).
    public var endpointResolver: any EndpointResolver = SystemResolver()
    /// What https endpoints' certificates may chain to (`--extra-ca-certificates`): by default the system's trust store.
    public var endpointTrust = EndpointTrust.system

    /// The fewest characters an admin key may have: `hooklog serve` refuses a shorter one.
    public static let minimumAdminKeyLength = 32

    /// A configuration with `adminKey` (``minimumAdminKeyLength`` characters or more) and the defaults.
    public init(adminKey: String) {
        self.init(adminKeyHash: KeyRing.hash(adminKey))
    }

    /// The SHA-256 of `adminKey`, as ``adminKeyHash`` holds it.
    public static func hash(adminKey: String) -> [UInt8] {
        KeyRing.hash(adminKey)
    }

    /// A configuration with the admin key whose SHA-256 is `adminKeyHash`, and the defaults.
    public init(adminKeyHash: [UInt8]) {
        self.adminKeyHash = adminKeyHash
    }
}

extension ServerConfiguration {
    /// The dashboard's limits on sessions, as configured.
    var dashboardSessionLimits: DashboardSessions.Limits {
        DashboardSessions.Limits(perKey: maxSessionsPerKey, total: maxDashboardSessions, idleTimeout: sessionIdleTimeout)
    }
}
