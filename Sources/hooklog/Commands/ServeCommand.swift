import ArgumentParser
import Dispatch
import Foundation
import HookLogCore
import HookLogDelivery
import HookLogServer
import HookLogStore
import Logging
import UnixSignals

/// `hooklog serve`: the HTTP API and the delivery engine over the data directory, until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API and deliver every webhook's queue until stopped (SIGINT or SIGTERM).",
        discussion: "Each option falls back to its HOOKLOG_* environment variable (--smtp-url: HOOKLOG_SMTP_URL), then to its default.")

    @OptionGroup var data: DataOptions
    @OptionGroup var store: StoreOptions
    @Option(help: "The address to listen on. (HOOKLOG_HOST; default 127.0.0.1)")
    var host: String?
    @Option(help: "The port to listen on; 0 picks a free one. (HOOKLOG_PORT; default 8080)")
    var port: String?
    @Option(help: "The admin key, which manages workspaces: at least 32 characters. (HOOKLOG_ADMIN_KEY; default: generated on the first start, printed once, and kept as its SHA-256 in the data directory)")
    var adminKey: String?
    @Flag(help: "Allow webhook URLs whose host is a private, loopback or link-local address. (HOOKLOG_ALLOW_PRIVATE_ENDPOINTS=true)")
    var allowPrivateEndpoints = false
    @Option(help: "The mail server for disable e-mails, smtp://[user:password@]host[:port][?starttls=required|optional|never]. (HOOKLOG_SMTP_URL)")
    var smtpURL: String?
    @Option(help: "The From address of disable e-mails. (HOOKLOG_SMTP_SENDER; default hooklog@localhost)")
    var smtpSender: String?
    @Option(help: "The public base URL of this server, for the dashboard links in e-mails. (HOOKLOG_PUBLIC_URL; default http://127.0.0.1:8080)")
    var publicURL: String?
    @Option(help: "Seconds between a failure and its retry, one per retry. (HOOKLOG_RETRY_DELAYS; default 30,60,90)")
    var retryDelays: String?
    @Option(help: "Seconds an endpoint has to answer with a 2xx. (HOOKLOG_ATTEMPT_TIMEOUT; default 5)")
    var attemptTimeout: String?
    @Option(help: "Failed attempts a workspace may have in the window before the next disables its webhook. (HOOKLOG_ERROR_LIMIT; default 30)")
    var errorLimit: String?
    @Option(help: "Seconds the error window spans. (HOOKLOG_ERROR_WINDOW; default 1800)")
    var errorWindow: String?
    @Option(help: "Failed attempts in the window at which the workspace's owner gets a warning e-mail, once per crossing: at least 1 and below the error limit. (HOOKLOG_WARN_AT; default two thirds of the error limit, 20 of 30)")
    var warnAt: String?
    @Option(help: "Attempts in flight at once, shared round-robin by the workspaces with work, then by their webhooks. (HOOKLOG_CONCURRENCY; default 256)")
    var concurrency: String?
    @Option(help: "How long finished history is kept: a number with d, h, m or s (30d, 12h, 90s), or 'forever'. (HOOKLOG_RETENTION; default 30d)")
    var retention: String?
    @Option(help: "A directory where compaction first writes the records it removes, as compressed segment files. (HOOKLOG_ARCHIVE; default: none)")
    var archive: String?
    @Option(help: "Free disk space to keep for owed deliveries; below it new events are refused with 507. Bytes, or a number of KiB, MiB or GiB; 0 turns it off. (HOOKLOG_MIN_FREE_DISK; default 512MiB)")
    var minFreeDisk: String?
    @Option(help: "The most webhooks one workspace may have; creating one more is 409 limit_reached. (HOOKLOG_MAX_WEBHOOKS_PER_WORKSPACE; default 100)")
    var maxWebhooksPerWorkspace: String?
    @Option(help: "Events each workspace may send per second, with bursts of twice as many; more is 429 rate_limited. (HOOKLOG_INGEST_RATE; default 1000)")
    var ingestRate: String?
    @Option(help: "Seconds a connection may stay open with no request under way. (HOOKLOG_IDLE_TIMEOUT; default 60)")
    var idleTimeout: String?
    @Option(help: "Seconds a new connection has to send its first request's headers. (HOOKLOG_HEADER_TIMEOUT; default 10)")
    var headerTimeout: String?
    @Option(help: "Seconds a request has to send its whole body once its headers are in; a slower one gets 408 request_timeout and its connection is closed. (HOOKLOG_BODY_TIMEOUT; default 30)")
    var bodyTimeout: String?
    @Option(help: "The largest body of POST /v1/events: bytes, or a number of KiB, MiB or GiB. (HOOKLOG_MAX_INGEST_BODY; default 4MiB)")
    var maxIngestBody: String?
    @Option(help: "The largest body of POST /v1/webhooks/{id}/test. (HOOKLOG_MAX_TEST_BODY; default 320KiB)")
    var maxTestBody: String?
    @Option(help: "The largest body of every other route. (HOOKLOG_MAX_BODY; default 64KiB)")
    var maxBody: String?
    @Option(help: "Commands waiting for the log's writer beyond which writes get 429. (HOOKLOG_MAX_WRITE_BACKLOG; default 10000)")
    var maxWriteBacklog: String?
    @Option(help: "Seconds a webhook's old secret keeps signing requests beside the new one after POST /v1/webhooks/{id}/rotate-secret, and the longest overlap a rotation may ask for. (HOOKLOG_SECRET_OVERLAP; default 86400)")
    var secretOverlap: String?
    @Option(help: "The most live API keys one workspace may have; POST /v1/keys beyond it is 409. (HOOKLOG_MAX_KEYS_PER_WORKSPACE; default 100)")
    var maxKeysPerWorkspace: String?
    @Option(help: "Failed authentications a client address may make in a minute before its requests without a valid key get 429 for a minute; 0 turns this off. (HOOKLOG_AUTH_FAILURE_LIMIT; default 20)")
    var authFailureLimit: String?
    @Option(help: "Reverse proxies, as addresses or CIDR blocks separated by commas, whose X-Forwarded-For tells the client's address. (HOOKLOG_TRUSTED_PROXY; default: none)")
    var trustedProxy: String?
    @Option(help: "Dashboard sessions one API key may have at once; a sign-in beyond ends its oldest. (HOOKLOG_MAX_SESSIONS_PER_KEY; default 16)")
    var maxSessionsPerKey: String?
    @Option(help: "Dashboard sessions the server keeps at once; a sign-in beyond ends the least recently used. (HOOKLOG_MAX_DASHBOARD_SESSIONS; default 10000)")
    var maxDashboardSessions: String?
    @Option(help: "Seconds a dashboard session lasts without a request. (HOOKLOG_SESSION_IDLE_TIMEOUT; default 43200)")
    var sessionIdleTimeout: String?
    @Option(help: "Seconds two test sends to one webhook must be apart; a sooner POST /v1/webhooks/{id}/test is 429. (HOOKLOG_TEST_INTERVAL; default 1)")
    var testInterval: String?
    @Option(name: .customLong("extra-ca-certificates"), help: "A PEM file of CA certificates that https endpoints' certificates may chain to, beside the system's trust store (a private CA's, say). (HOOKLOG_EXTRA_CA_CERTIFICATES; default: none)")
    var extraCACertificates: String?
    @Option(help: "Where the other nodes of a fleet on one PostgreSQL log (--store) reach this one, http[s]://host:port; shown in /healthz. (HOOKLOG_NODE_URL; default: none)")
    var nodeURL: String?

    func run() async throws {
        let settings = Settings()
        let limit = try settings.value(errorLimit, "--error-limit", "HOOKLOG_ERROR_LIMIT", default: "30", parse: Self.positive)
        let policy = DeliveryPolicy(
            retryDelays: try settings.value(retryDelays, "--retry-delays", "HOOKLOG_RETRY_DELAYS", default: "30,60,90", parse: Self.delays),
            attemptTimeout: .seconds(try settings.value(attemptTimeout, "--attempt-timeout", "HOOKLOG_ATTEMPT_TIMEOUT", default: "5", parse: Self.positive)),
            errorLimit: limit,
            errorWindow: .seconds(try settings.value(errorWindow, "--error-window", "HOOKLOG_ERROR_WINDOW", default: "1800", parse: Self.positive)),
            warnAt: try warningThreshold(errorLimit: limit, settings: settings))
        let from = try settings.value(smtpSender, "--smtp-sender", "HOOKLOG_SMTP_SENDER", default: "hooklog@localhost") { $0 }
        let smtp = try settings.value(smtpURL, "--smtp-url", "HOOKLOG_SMTP_URL", default: "") { $0 }
        let notifications = NotificationSettings(
            smtp: smtp.isEmpty ? nil : try SMTPConfiguration(url: smtp, sender: from),
            publicURL: try settings.value(publicURL, "--public-url", "HOOKLOG_PUBLIC_URL", default: "http://127.0.0.1:8080") { $0 })
        let givenAdminKey = try settings.value(adminKey, "--admin-key", "HOOKLOG_ADMIN_KEY", default: "") { $0 }.nilIfEmpty
        if let givenAdminKey, givenAdminKey.count < ServerConfiguration.minimumAdminKeyLength {
            throw StartupError(
                "the admin key (--admin-key or HOOKLOG_ADMIN_KEY) has \(givenAdminKey.count) characters; it needs at least "
                    + "\(ServerConfiguration.minimumAdminKeyLength): use a long random secret, such as the output of 'openssl rand -base64 32'")
        }
        var configuration = ServerConfiguration(adminKeyHash: [])
        configuration.host = try settings.value(host, "--host", "HOOKLOG_HOST", default: "127.0.0.1") { $0.isEmpty ? nil : $0 }
        configuration.port = try settings.value(port, "--port", "HOOKLOG_PORT", default: "8080") { Int($0).flatMap { (0...65535).contains($0) ? $0 : nil } }
        configuration.allowPrivateEndpoints = try allowPrivateEndpoints
            || settings.value(nil, "--allow-private-endpoints", "HOOKLOG_ALLOW_PRIVATE_ENDPOINTS", default: "false") { Bool($0) }
        configuration.notifications = notifications
        configuration.concurrency = try settings.value(concurrency, "--concurrency", "HOOKLOG_CONCURRENCY", default: "256", parse: Self.positive)
        let location = try store.location()
        configuration.retention = try settings.value(
            retention, "--retention", "HOOKLOG_RETENTION", default: "30d", parse: Self.retention).duration
        configuration.diskReserve = DiskReserve(
            directory: data.data,
            size: try settings.value(
                minFreeDisk, "--min-free-disk", "HOOKLOG_MIN_FREE_DISK", default: location == nil ? DiskReserve.standard.description : "0",
                parse: ByteSize.init(parsing:)))
        configuration.maxWebhooksPerWorkspace = try settings.value(
            maxWebhooksPerWorkspace, "--max-webhooks-per-workspace", "HOOKLOG_MAX_WEBHOOKS_PER_WORKSPACE", default: "100", parse: Self.positive)
        configuration.ingestRate = try settings.value(ingestRate, "--ingest-rate", "HOOKLOG_INGEST_RATE", default: "1000") { text in
            Self.positive(text).flatMap { $0 <= 1_000_000_000 ? $0 : nil }
        }
        configuration.testInterval = .seconds(try settings.value(testInterval, "--test-interval", "HOOKLOG_TEST_INTERVAL", default: "1", parse: Self.positive))
        configuration.idleTimeout = .seconds(try settings.value(idleTimeout, "--idle-timeout", "HOOKLOG_IDLE_TIMEOUT", default: "60", parse: Self.positive))
        configuration.headerTimeout = .seconds(try settings.value(headerTimeout, "--header-timeout", "HOOKLOG_HEADER_TIMEOUT", default: "10", parse: Self.positive))
        configuration.bodyTimeout = .seconds(try settings.value(bodyTimeout, "--body-timeout", "HOOKLOG_BODY_TIMEOUT", default: "30", parse: Self.positive))
        configuration.bodyLimits.ingest = try settings.value(maxIngestBody, "--max-ingest-body", "HOOKLOG_MAX_INGEST_BODY", default: "4MiB", parse: Self.bodySize)
        configuration.bodyLimits.testEvent = try settings.value(maxTestBody, "--max-test-body", "HOOKLOG_MAX_TEST_BODY", default: "320KiB", parse: Self.bodySize)
        configuration.bodyLimits.standard = try settings.value(maxBody, "--max-body", "HOOKLOG_MAX_BODY", default: "64KiB", parse: Self.bodySize)
        configuration.maxWriteBacklog = try settings.value(maxWriteBacklog, "--max-write-backlog", "HOOKLOG_MAX_WRITE_BACKLOG", default: "10000", parse: Self.positive)
        configuration.secretOverlap = .seconds(try settings.value(
            secretOverlap, "--secret-overlap", "HOOKLOG_SECRET_OVERLAP", default: "86400", parse: Self.nonNegative))
        configuration.maxKeysPerWorkspace = try settings.value(
            maxKeysPerWorkspace, "--max-keys-per-workspace", "HOOKLOG_MAX_KEYS_PER_WORKSPACE", default: "100", parse: Self.positive)
        configuration.authFailureLimit = try settings.value(
            authFailureLimit, "--auth-failure-limit", "HOOKLOG_AUTH_FAILURE_LIMIT", default: "20", parse: Self.nonNegative)
        configuration.trustedProxies = try settings.value(
            trustedProxy, "--trusted-proxy", "HOOKLOG_TRUSTED_PROXY", default: "", parse: TrustedProxies.init(parsing:))
        configuration.maxSessionsPerKey = try settings.value(
            maxSessionsPerKey, "--max-sessions-per-key", "HOOKLOG_MAX_SESSIONS_PER_KEY", default: "16", parse: Self.positive)
        configuration.maxDashboardSessions = try settings.value(
            maxDashboardSessions, "--max-dashboard-sessions", "HOOKLOG_MAX_DASHBOARD_SESSIONS", default: "10000", parse: Self.positive)
        configuration.sessionIdleTimeout = .seconds(try settings.value(
            sessionIdleTimeout, "--session-idle-timeout", "HOOKLOG_SESSION_IDLE_TIMEOUT", default: "43200", parse: Self.positive))
        configuration.endpointTrust = try endpointTrust(settings: settings)

        let archive = try settings.value(archive, "--archive", "HOOKLOG_ARCHIVE", default: "") { $0 }.nilIfEmpty
        let nodeURL = try settings.value(nodeURL, "--node-url", "HOOKLOG_NODE_URL", default: "", parse: Self.nodeURL).nilIfEmpty
        if location != nil {
            try Self.refuseOnPostgres(archive: archive, reserve: configuration.diskReserve?.size.bytes ?? 0)
        } else if nodeURL != nil {
            throw StartupError("--node-url: only a node of a fleet on a PostgreSQL log (--store) has one; leave --node-url and HOOKLOG_NODE_URL unset")
        }
        var fleet = FleetSettings(url: nodeURL)
        fleet.sendingMargin = policy.attemptTimeout + fleet.renewal
        fleet.lease = max(fleet.lease, fleet.sendingMargin + fleet.renewal * 4)
        let log = try await openLog(at: location, policy: policy, archive: archive, fleet: fleet)
        do {
            configuration.adminKeyHash = try Self.adminKeyHash(given: givenAdminKey, directory: data.data)
        } catch {
            await log.close()
            throw error
        }
        let server = HookLogServer(store: log, configuration: configuration, clock: WallClock())
        let records = log.withState(\.lastSequence)
        let (logPlace, host) = (location?.address ?? data.data, configuration.host)
        try await server.run(shutdownSignals: [.sigterm, .sigint]) { port in
            Self.say("listening on http://\(host):\(port) over \(logPlace) (\(records) records); SIGINT or SIGTERM stops")
        }
        print("stopped; the log is closed")
    }

    /// Refuses what a PostgreSQL log does not do yet, rather than ignore it: an archive of what compaction removes,
    /// and a disk reserve, which watches the data directory's disk, not the database's.
    private static func refuseOnPostgres(archive: String?, reserve: UInt64) throws {
        if archive != nil {
            throw StartupError("--archive: a PostgreSQL log's compaction does not archive what it removes yet; leave --archive and HOOKLOG_ARCHIVE unset")
        }
        if reserve > 0 {
            throw StartupError("--min-free-disk watches the data directory's disk, which a PostgreSQL log is not on; leave --min-free-disk and HOOKLOG_MIN_FREE_DISK unset")
        }
    }

    /// Opens the log: in the PostgreSQL database at `location`, signing in with the password of `PGPASSWORD` or of a
    /// password file, as a node of a fleet (`fleet`), and with the data directory made for the admin key's file; else in
    /// the data directory.
    private func openLog(
        at location: PostgresLocation?, policy: DeliveryPolicy, archive: String?, fleet: FleetSettings
    ) async throws -> any EventLog {
        guard let location else {
            var options = LogStore.Options()
            options.policy = policy
            options.archive = archive
            return try LogStore(directory: data.data, options: options)
        }
        let password = try StoreOptions.password(for: location)
        var options = PostgresLog.Options()
        options.policy = policy
        options.fleet = fleet
        let log = try await PostgresLog.open(location, password: password, options: options, logger: Logger(label: "hooklog"))
        do {
            try DataDirectory.create(at: data.data)
        } catch {
            await log.close()
            throw error
        }
        return log
    }

    /// The admin key's SHA-256: of the key given, else the one stored on the first start, else of a key generated now,
    /// stored and printed this once.
    private static func adminKeyHash(given: String?, directory: String) throws -> [UInt8] {
        if let given { return ServerConfiguration.hash(adminKey: given) }
        let file = AdminKeyFile(directory: directory)
        if let stored = try file.storedHash() {
            say("admin key: the one generated on the first start (only its SHA-256 is kept, in \(file.path)); set "
                + "--admin-key or HOOKLOG_ADMIN_KEY to use another, or delete that file to have a new one generated and shown")
            return stored
        }
        let key = try file.generate()
        say("admin key (generated now and shown only this once; only its SHA-256 is kept, in \(file.path)): \(key)")
        return ServerConfiguration.hash(adminKey: key)
    }

    /// The early warning's threshold (docs/rules.md §2.4): `--warn-at`, else `HOOKLOG_WARN_AT`, which must be at least 1
    /// and below `errorLimit`, else two thirds of the limit (none for a limit of 1).
    private func warningThreshold(errorLimit: Int, settings: Settings) throws -> Int? {
        let source = warnAt == nil ? "HOOKLOG_WARN_AT" : "--warn-at"
        guard let given = warnAt ?? settings.environment["HOOKLOG_WARN_AT"] else {
            return DeliveryPolicy.defaultWarnAt(errorLimit: errorLimit)
        }
        guard let value = Int(given), value >= 1, value < errorLimit else {
            throw StartupError(
                "\(source) '\(given)' is not a valid warning threshold: it must be a whole number of at least 1 and below "
                    + "the error limit, \(errorLimit) (--error-limit), so that the warning comes before the disable")
        }
        return value
    }

    /// The trust of https attempts: the system's store, and the certificates of `--extra-ca-certificates`, else of
    /// `HOOKLOG_EXTRA_CA_CERTIFICATES`, when either names a file.
    private func endpointTrust(settings: Settings) throws -> EndpointTrust {
        let source = extraCACertificates == nil ? "HOOKLOG_EXTRA_CA_CERTIFICATES" : "--extra-ca-certificates"
        guard let path = (extraCACertificates ?? settings.environment["HOOKLOG_EXTRA_CA_CERTIFICATES"])?.nilIfEmpty else {
            return .system
        }
        let pem: Data
        do {
            pem = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw StartupError("\(source) '\(path)' cannot be read: \((error as NSError).localizedDescription)")
        }
        do {
            return try EndpointTrust(extraCertificatesPEM: Array(pem))
        } catch {
            throw StartupError("\(source) '\(path)' cannot be used: \(error)")
        }
    }

    /// Prints a line at once, even when standard output is a pipe.
    private static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// A node's address: an http or https URL with a host, or nothing.
    private static func nodeURL(_ text: String) -> String? {
        guard !text.isEmpty else { return "" }
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased()), url.host?.isEmpty == false
        else { return nil }
        return text
    }

    private static func positive(_ text: String) -> Int? {
        Int(text).flatMap { $0 > 0 ? $0 : nil }
    }

    /// A body limit: a positive size of at most 1 GiB.
    private static func bodySize(_ text: String) -> Int? {
        ByteSize(parsing: text).flatMap { (1...(1 << 30)).contains($0.bytes) ? Int($0.bytes) : nil }
    }

    private static func nonNegative(_ text: String) -> Int? {
        Int(text).flatMap { $0 >= 0 ? $0 : nil }
    }

    /// A retention: `forever`, or a positive number of days, hours, minutes or seconds.
    static func retention(_ text: String) -> Retention? {
        if text == "forever" { return .forever }
        let units: [Character: Int64] = ["d": 86_400, "h": 3_600, "m": 60, "s": 1]
        guard let unit = text.last.flatMap({ units[$0] }), let count = Int64(text.dropLast()), count > 0,
              count <= Int64.max / 1000 / unit
        else { return nil }
        return .keep(.seconds(count * unit))
    }

    private static func delays(_ text: String) -> [Duration]? {
        let seconds = text.split(separator: ",").map { Int64($0.trimmingCharacters(in: .whitespaces)) }
        guard !seconds.isEmpty, seconds.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
        return seconds.map { .seconds($0!) }
    }
}

extension String {
    /// The text, or nil when it is empty.
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

/// How long `hooklog serve` keeps finished history.
enum Retention: Equatable {
    case forever
    case keep(Duration)

    /// The duration to keep; nil for ever.
    var duration: Duration? {
        switch self {
        case .forever: nil
        case .keep(let duration): duration
        }
    }
}

/// Resolves a setting (docs/rules.md §4): the flag if given, else its `HOOKLOG_*` environment variable, else the default.
struct Settings {
    let environment = ProcessInfo.processInfo.environment

    /// The setting's value; a value that does not parse is an error naming where it came from.
    func value<T>(_ flag: String?, _ flagName: String, _ variable: String, default fallback: String, parse: (String) -> T?) throws -> T {
        let (text, source) = if let flag { (flag, flagName) } else if let set = environment[variable] { (set, variable) } else { (fallback, "the default of \(flagName)") }
        guard let value = parse(text) else { throw ValidationError("\(source) '\(text)' is not a valid value") }
        return value
    }
}
