import Foundation
import HookLogCore
import HookLogStore
import HookLogTestSupport
import Logging
import Testing

/// `hooklog serve --store postgres://…` over a real PostgreSQL (``PostgresCluster``), as an operator runs it: the
/// password from a password file, the log in the database, the data directory keeping only the admin key.
@Suite("hooklog serve on PostgreSQL", .serialized)
struct PostgresServeTests {
    static let adminKey = "postgres-serve-admin-key-0123456789abcdef"

    @Test("serve --store delivers each webhook's events in order, and after a restart serves them from the database")
    func deliversAndRestarts() async throws {
        try await PostgresCluster.with { cluster in
            try await withTemporaryDirectory { directory in
                let receiver = try await TestReceiver.start()
                let environment = try Self.passwordFile(for: cluster, in: directory)
                let data = directory + "/node"
                let server = try RunningServer(
                    data: data, adminKey: Self.adminKey, arguments: ["--store", cluster.url], environment: environment)
                let created = try await server.post(
                    "/v1/workspaces", key: Self.adminKey, ["name": "Acme", "plan": "advanced", "owner_email": "ops@acme.example"])
                let key = try #require((created["api_key"] as? [String: Any])?["key"] as? String, "\(created)")
                let webhook = try await server.post("/v1/webhooks", key: key, ["url": receiver.url("/hooks"), "events": ["contact.created"]])
                #expect(webhook["id"] is String, "\(webhook)")
                for number in 1...5 {
                    let sent = try await server.post(
                        "/v1/events", key: key, ["type": "contact.created", "id": "evt_\(number)", "data": ["number": number]])
                    #expect(sent["id"] as? String == "evt_\(number)", "\(sent)")
                }
                let received = try await receiver.waitForRequests(count: 5, path: "/hooks")
                let numbers = received.compactMap { String(decoding: $0.body, as: UTF8.self).firstMatch(of: #/"number":(\d)/#).map { String($0.1) } }
                #expect(numbers == ["1", "2", "3", "4", "5"])
                server.stop()
                #expect(!FileManager.default.fileExists(atPath: data + "/data.mdb"), "the log is in the database, not the directory")

                let restarted = try RunningServer(
                    data: data, adminKey: Self.adminKey, arguments: ["--store", cluster.url], environment: environment)
                let event = try await restarted.get("/v1/events/evt_3", key: key)
                let deliveries = try #require(event["deliveries"] as? [[String: Any]], "\(event)")
                #expect(deliveries.map { $0["state"] as? String } == ["succeeded"])

                let other = try HookLogBinary.run(
                    "simulate", "--data", directory + "/other", "--workspaces", "1", "--webhooks", "1", "--events", "10")
                #expect(other.status == 0, "\(other.stderr)")
                let copy = try HookLogBinary.run(["migrate", "--from-data", directory + "/other", "--to", cluster.url], environment: environment)
                #expect(copy.status != 0 && copy.stderr.contains("the database already holds a log of"), "\(copy.stderr)")
                let after = try await restarted.post("/v1/events", key: key, ["type": "contact.created", "id": "evt_6", "data": [:]])
                #expect(after["id"] as? String == "evt_6", "a copy refused into the live database left its writer alone: \(after)")
                restarted.stop()
                try await receiver.stop()
            }
        }
    }

    @Test("serve --store --retention compacts delivered history: an old event answers 404 saying where history starts, newer ones are served, the log verifies, and its backup serves the same history and goes on")
    func compactsWithRetention() async throws {
        try await PostgresCluster.with { cluster in
            try await withTemporaryDirectory { directory in
                let receiver = try await TestReceiver.start()
                var environment = try Self.passwordFile(for: cluster, in: directory)
                let server = try RunningServer(
                    data: directory + "/node", adminKey: Self.adminKey, arguments: ["--store", cluster.url, "--retention", "2s"],
                    environment: environment)
                let created = try await server.post(
                    "/v1/workspaces", key: Self.adminKey, ["name": "Acme", "plan": "advanced", "owner_email": "ops@acme.example"])
                let key = try #require((created["api_key"] as? [String: Any])?["key"] as? String, "\(created)")
                _ = try await server.post("/v1/webhooks", key: key, ["url": receiver.url("/hooks"), "events": ["contact.created"]])
                for number in 1...3 {
                    _ = try await server.post("/v1/events", key: key, ["type": "contact.created", "id": "evt_\(number)", "data": [:]])
                }
                _ = try await receiver.waitForRequests(count: 3, path: "/hooks")
                var gone: [String: Any] = [:]
                for _ in 0..<150 {
                    gone = try await server.get("/v1/events/evt_1", key: key)
                    if (gone["error"] as? [String: Any])?["history_starts_at"] != nil { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                let error = try #require(gone["error"] as? [String: Any], "evt_1 was never compacted away: \(gone)")
                #expect(error["code"] as? String == "not_found")
                #expect((error["message"] as? String)?.contains("older than the history this server keeps") == true, "\(error)")

                _ = try await server.post("/v1/events", key: key, ["type": "contact.created", "id": "evt_4", "data": [:]])
                var kept: [String: Any] = [:]
                for _ in 0..<100 {
                    kept = try await server.get("/v1/events/evt_4", key: key)
                    if (kept["deliveries"] as? [[String: Any]])?.first?["state"] as? String == "succeeded" { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect((kept["deliveries"] as? [[String: Any]])?.first?["state"] as? String == "succeeded", "\(kept)")
                server.stop()

                environment["HOOKLOG_STORE"] = cluster.url
                let verified = try HookLogBinary.run(["rebuild", "--verify"], environment: environment)
                #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
                #expect(verified.stdout.contains("after the base snapshot at sequence"), "\(verified.stdout)")
                let backup = try HookLogBinary.run(["backup", directory + "/backup"], environment: environment)
                #expect(backup.status == 0, "\(backup.stdout)\(backup.stderr)")
                #expect(backup.stdout.contains("verified: the copy holds the database's records up to record"), "\(backup.stdout)")
                #expect(backup.stdout.contains("folding from the base snapshot at record"), "\(backup.stdout)")

                let restored = try RunningServer(data: directory + "/backup", adminKey: Self.adminKey)
                let stillGone = try await restored.get("/v1/events/evt_1", key: key)
                #expect((stillGone["error"] as? [String: Any])?["history_starts_at"] != nil, "\(stillGone)")
                let served = try await restored.get("/v1/events/evt_4", key: key)
                #expect((served["deliveries"] as? [[String: Any]])?.first?["state"] as? String == "succeeded", "\(served)")
                let fifth = try await restored.post("/v1/events", key: key, ["type": "contact.created", "id": "evt_5", "data": [:]])
                #expect(fifth["id"] as? String == "evt_5", "\(fifth)")
                _ = try await receiver.waitForRequests(count: 5, path: "/hooks")
                restored.stop()
                try await receiver.stop()
            }
        }
    }

    @Test("SIGKILL while eight clients ingest into PostgreSQL loses no acknowledged event, and serve starts again over the log")
    func killUnderIngest() async throws {
        try await PostgresCluster.with { cluster in
            try await withTemporaryDirectory { directory in
                let environment = try Self.passwordFile(for: cluster, in: directory)
                let arguments = ["--store", cluster.url, "--ingest-rate", "1000000000"]
                let server = try RunningServer(data: directory + "/node", adminKey: Self.adminKey, arguments: arguments, environment: environment)
                let ids = try CrashTests.ingest(into: server.port, adminKey: Self.adminKey, until: 1_000) { server.crash() }
                #expect(ids.count >= 1_000, "\(ids.count) events were acknowledged before the kill")

                let log = try await PostgresLog.open(
                    try PostgresLocation(parsing: cluster.url), password: cluster.password, logger: Logger(label: "hooklog.tests"))
                let logged = Set(try await log.queries.records(after: 0, limit: .max).compactMap { entry -> String? in
                    guard case .eventReceived(let fact) = entry.record.fact else { return nil }
                    return fact.eventID.rawValue
                })
                let records = log.withState(\.lastSequence)
                await log.close()
                let lost = ids.filter { !logged.contains($0) }
                #expect(lost.isEmpty, "acknowledged but not in the log: \(lost.prefix(5))")

                let restarted = try RunningServer(data: directory + "/node", adminKey: Self.adminKey, arguments: arguments, environment: environment)
                let health = try await restarted.get("/healthz", key: Self.adminKey)
                #expect(health["status"] as? String == "ok", "\(health)")
                #expect(health["last_sequence"] as? Int == Int(records), "\(health)")
                restarted.stop()
            }
        }
    }

    @Test("while the database is down, /healthz and writes are 503 with a reason; once it is back, both recover with no restart")
    func survivesTheDatabaseGoingAway() async throws {
        try await PostgresCluster.with { cluster in
            try await withTemporaryDirectory { directory in
                let environment = try Self.passwordFile(for: cluster, in: directory)
                let server = try RunningServer(
                    data: directory + "/node", adminKey: Self.adminKey, arguments: ["--store", cluster.url], environment: environment)
                let created = try await server.post(
                    "/v1/workspaces", key: Self.adminKey, ["name": "Acme", "plan": "advanced", "owner_email": "ops@acme.example"])
                let key = try #require((created["api_key"] as? [String: Any])?["key"] as? String, "\(created)")

                try cluster.halt()
                let health = try await server.get("/healthz", key: Self.adminKey)
                #expect(health["reason"] as? String == "store_unavailable", "\(health)")
                let refused = try await server.post("/v1/events", key: key, ["type": "contact.created", "id": "evt_down", "data": [:]])
                #expect((refused["error"] as? [String: Any])?["code"] as? String == "unavailable", "\(refused)")

                try cluster.restart()
                var recovered: [String: Any] = [:]
                for _ in 0..<100 where recovered["status"] as? String != "ok" {
                    try await Task.sleep(for: .milliseconds(200))
                    recovered = try await server.get("/healthz", key: Self.adminKey)
                }
                #expect(recovered["status"] as? String == "ok", "\(recovered)")
                let sent = try await server.post("/v1/events", key: key, ["type": "contact.created", "id": "evt_up", "data": [:]])
                #expect(sent["id"] as? String == "evt_up", "\(sent)")
                server.stop()
            }
        }
    }

    @Test("migrate copies a data directory into PostgreSQL and back, compacted or not, or from a read-only snapshot, verified; the copy answers log and audit as the original")
    func migratesBothWays() async throws {
        try await PostgresCluster.with { cluster in
            try await withTemporaryDirectory { directory in
                var environment = try Self.passwordFile(for: cluster, in: directory)
                let simulated = try HookLogBinary.run(
                    "simulate", "--data", directory + "/original", "--workspaces", "3", "--webhooks", "6", "--events", "500",
                    "--failure-rate", "0.3", "--seed", "5")
                #expect(simulated.status == 0, "\(simulated.stderr)")

                let into = try HookLogBinary.run(
                    ["migrate", "--from-data", directory + "/original", "--to", cluster.url], environment: environment)
                #expect(into.status == 0, "\(into.stdout)\(into.stderr)")
                #expect(into.stdout.contains("verified: both hold the same"), "\(into.stdout)")
                let again = try HookLogBinary.run(
                    ["migrate", "--from-data", directory + "/original", "--to", cluster.url], environment: environment)
                #expect(again.status != 0)
                #expect(again.stderr.contains("the database already holds a log of"), "\(again.stderr)")
                let serving = try RunningServer(data: directory + "/original", adminKey: Self.adminKey)
                let whileServed = try HookLogBinary.run(
                    ["migrate", "--from-data", directory + "/original", "--to", cluster.url], environment: environment)
                serving.stop()
                #expect(whileServed.status != 0)
                #expect(whileServed.stderr.contains("is in use by another hooklog process"), "\(whileServed.stderr)")

                let back = try HookLogBinary.run(
                    ["migrate", "--from", cluster.url, "--to-data", directory + "/copy"], environment: environment)
                #expect(back.status == 0, "\(back.stdout)\(back.stderr)")
                #expect(back.stdout.contains("verified: the copy holds the database's records up to record"), "\(back.stdout)")
                let over = try HookLogBinary.run(
                    ["migrate", "--from", cluster.url, "--to-data", directory + "/original"], environment: environment)
                #expect(over.status != 0)
                #expect(over.stderr.contains("the target directory already holds a log of"), "\(over.stderr)")
                #expect(over.stderr.split(separator: "\n").count == 1, "\(over.stderr)")
                for command in [["log", "--limit", "100000", "--json"], ["audit"]] {
                    let original = try HookLogBinary.run(["--data", directory + "/original"] + command)
                    let copy = try HookLogBinary.run(["--data", directory + "/copy"] + command)
                    #expect(copy.status == 0 && copy.stdout == original.stdout && !copy.stdout.isEmpty, "\(command)")
                }
                #expect(try HookLogBinary.run("--data", directory + "/copy", "rebuild", "--verify").status == 0)

                let compacted = try HookLogBinary.run(
                    "simulate", "--data", directory + "/compacted", "--workspaces", "1", "--webhooks", "1", "--events", "300",
                    "--retention", "1s")
                #expect(compacted.status == 0, "\(compacted.stderr)")
                try cluster.execute("CREATE DATABASE compacted")
                let compactedURL = cluster.url.replacingOccurrences(of: "/\(cluster.database)?", with: "/compacted?")
                environment["PGPASSWORD"] = cluster.password
                let carried = try HookLogBinary.run(
                    ["migrate", "--from-data", directory + "/compacted", "--to", compactedURL], environment: environment)
                #expect(carried.status == 0, "\(carried.stdout)\(carried.stderr)")
                #expect(carried.stdout.contains("folding from the base snapshot at record"), "\(carried.stdout)")
                #expect(carried.stdout.contains("verified: both hold the same records"), "\(carried.stdout)")
                let returned = try HookLogBinary.run(
                    ["migrate", "--from", compactedURL, "--to-data", directory + "/compacted-copy"], environment: environment)
                #expect(returned.status == 0, "\(returned.stdout)\(returned.stderr)")
                for command in [["log", "--limit", "100000", "--json"], ["audit"]] {
                    let original = try HookLogBinary.run(["--data", directory + "/compacted"] + command)
                    let copy = try HookLogBinary.run(["--data", directory + "/compacted-copy"] + command)
                    #expect(copy.status == 0 && copy.stdout == original.stdout && !copy.stdout.isEmpty, "\(command)")
                }
                #expect(try HookLogBinary.run("--data", directory + "/compacted-copy", "rebuild", "--verify").status == 0)

                guard Tmpfs.isAvailable else { return }
                try await Tmpfs.with(megabytes: 64) { tmpfs in
                    let written = try HookLogBinary.run(
                        "simulate", "--data", tmpfs.path + "/log", "--workspaces", "1", "--webhooks", "2", "--events", "100")
                    #expect(written.status == 0, "\(written.stderr)")
                    try tmpfs.remountReadOnly()
                    try cluster.execute("CREATE DATABASE snapshot")
                    let fromSnapshot = try HookLogBinary.run(
                        ["migrate", "--from-data", tmpfs.path + "/log",
                         "--to", cluster.url.replacingOccurrences(of: "/\(cluster.database)?", with: "/snapshot?")],
                        environment: environment)
                    #expect(fromSnapshot.status == 0, "a read-only directory (a snapshot) is copied: \(fromSnapshot.stderr)")
                    #expect(fromSnapshot.stdout.contains("verified: both hold the same records"), "\(fromSnapshot.stdout)")
                }
            }
        }
    }

    @Test("log, history, audit, rebuild and backup read a log in PostgreSQL with --store as they read its data directory")
    func readCommandsTakeTheStore() async throws {
        try await PostgresCluster.with { cluster in
            try await withTemporaryDirectory { directory in
                var environment = try Self.passwordFile(for: cluster, in: directory)
                let original = directory + "/original"
                let simulated = try HookLogBinary.run(
                    "simulate", "--data", original, "--workspaces", "2", "--webhooks", "4", "--events", "300",
                    "--failure-rate", "0.3", "--seed", "9")
                #expect(simulated.status == 0, "\(simulated.stderr)")
                let migrated = try HookLogBinary.run(["migrate", "--from-data", original, "--to", cluster.url], environment: environment)
                #expect(migrated.status == 0, "\(migrated.stdout)\(migrated.stderr)")

                let log = try HookLogBinary.run("--data", original, "log", "--limit", "100000", "--json")
                let webhook = try #require(log.stdout.firstMatch(of: /"webhook_id":"(wh_[^"]+)"/).map { String($0.1) })
                let event = try #require(
                    log.stdout.firstMatch(of: /"type":"EventReceived","event_id":"([^"]+)"[^\n]*"deliveries":\[\{/).map { String($0.1) })
                let commands = [
                    ["log", "--limit", "100000", "--json"], ["log", "--after", "100", "--limit", "7"], ["history", "--webhook", webhook],
                    ["history", "--event", event], ["audit"], ["audit", "--webhook", webhook],
                ]
                for command in commands {
                    let fromDirectory = try HookLogBinary.run(["--data", original] + command)
                    let fromDatabase = try HookLogBinary.run(command + ["--store", cluster.url], environment: environment)
                    #expect(fromDatabase.status == 0, "\(command): \(fromDatabase.stderr)")
                    #expect(fromDatabase.stdout == fromDirectory.stdout && !fromDatabase.stdout.isEmpty, "\(command)")
                }
                environment["HOOKLOG_STORE"] = cluster.url
                let verified = try HookLogBinary.run(["rebuild", "--verify"], environment: environment)
                #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
                #expect(verified.stdout.contains("index rows match the records"), "\(verified.stdout)")
                let backup = try HookLogBinary.run(["backup", directory + "/backup"], environment: environment)
                #expect(backup.status == 0, "\(backup.stdout)\(backup.stderr)")
                #expect(try HookLogBinary.run("--data", directory + "/backup", "rebuild", "--verify").status == 0)

                try cluster.execute("DELETE FROM hooklog_index WHERE ctid IN (SELECT ctid FROM hooklog_index WHERE kind = 1 LIMIT 1)")
                let damaged = try HookLogBinary.run(["rebuild", "--verify"], environment: environment)
                #expect(damaged.status == 1)
                #expect(damaged.stdout.contains("DIFFERENCE by_webhook:"), "\(damaged.stdout)")
            }
        }
    }

    @Test("serve refuses a --store it cannot use, or a setting a PostgreSQL log does not take, with one clear line", arguments: [
        (["--store", "postgres://hooklog:secret@127.0.0.1/hooklog"], [:], "holds a password"),
        ([], ["HOOKLOG_STORE": "mysql://hooklog@127.0.0.1/hooklog"], "HOOKLOG_STORE: mysql://…@127.0.0.1/hooklog is not a postgres:// URL"),
        (["--store", "CLUSTER", "--archive", "/tmp/archive"], [:], "--archive: a PostgreSQL log's compaction does not archive"),
        (["--store", "CLUSTER", "--min-free-disk", "1GiB"], [:], "--min-free-disk watches the data directory's disk"),
        (["--store", "CLUSTER"], ["PGPASSWORD": "not-the-password"], "password authentication failed for user \"hooklog\""),
    ] as [([String], [String: String], String)])
    func refusesABadStore(arguments: [String], environment: [String: String], message: String) async throws {
        try await PostgresCluster.with { cluster in
            try await withTemporaryDirectory { directory in
                let arguments = arguments.map { $0 == "CLUSTER" ? cluster.url : $0 }
                let data = directory + "/node"
                let refused = try HookLogBinary.run(["serve", "--data", data] + arguments, environment: environment)
                #expect(refused.status != 0)
                #expect(refused.stderr.contains(message), "\(refused.stderr)")
                #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
                #expect(!FileManager.default.fileExists(atPath: data), "nothing is created for a refused start")
            }
        }
    }

    /// A password file for the cluster's database (mode 0600, as libpq wants), named by `PGPASSFILE`.
    static func passwordFile(for cluster: PostgresCluster, in directory: String) throws -> [String: String] {
        let path = directory + "/pgpass"
        try "127.0.0.1:\(cluster.port):\(cluster.database):\(cluster.user):\(cluster.password)\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return ["PGPASSFILE": path]
    }
}
