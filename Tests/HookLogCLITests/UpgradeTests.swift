import Foundation
import HookLogCore
import HookLogStore
import Testing

/// A data directory written by an older HookLog opens with today's, every record reads as it did, and the log
/// keeps growing from there. `Tests/Fixtures/data-6b30aea` was written at commit 6b30aea (record format 1, one
/// `DeliverySkipped` per skipped delivery, event types by index, a JSON checkpoint); `data-6b30aea.jsonl` is what
/// that build's `hooklog log --json` printed for it. `data-baeedb7` was written at commit baeedb7, storage format 5,
/// whose indexes key generated event and delivery ids by their hash, with deliveries still owed.
@Suite("Upgrading an old data directory")
struct UpgradeTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hooklog-upgrade-\(UUID().uuidString)").path
    var data: String { directory + "/data" }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// The lines the old build's `hooklog log --json` printed, as today's prints the same records: the webhook
    /// records end with the format and rate limit that record format 4 added, at the values every webhook had before.
    static func printed(by name: String) throws -> [String] {
        try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8).split(separator: "\n").map { line in
            guard line.contains(#""type":"WebhookCreated""#) || line.contains(#""type":"WebhookUpdated""#) else { return String(line) }
            return line.dropLast() + #","format":"standard","rate_limit":null}"#
        }
    }

    /// A private copy of a fixture, so that no test changes the committed one.
    func copyFixture(_ name: String = "data-6b30aea") throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.fixtures.appendingPathComponent(name).path, toPath: data)
    }

    @Test("a data directory from 6b30aea verifies, reads record for record as it did, and takes new writes")
    func openDataFrom6b30aea() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try copyFixture()

        let verify = try HookLogBinary.run("--data", data, "rebuild", "--verify")
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("rebuilt 397 records"), "\(verify.stdout)")
        #expect(verify.stdout.contains("the checkpoint at sequence 397 plus 0 records"), "its version 1 checkpoint is read")

        let log = try HookLogBinary.run("--data", data, "log", "--limit", "1000000", "--json")
        #expect(log.status == 0, "\(log.stderr)")
        #expect(log.lines == (try Self.printed(by: "data-6b30aea.jsonl")), "every old record reads as 6b30aea printed it")
        #expect(log.lines.contains { $0.contains(#""type":"DeliverySkipped""#) })
        #expect(log.lines.contains { $0.contains(#""idempotency_key":"fixture-request-1""#) })

        let disabled = try #require(log.lines.first { $0.contains(#""type":"WebhookDisabled""#) }
            .flatMap { $0.firstMatch(of: /"webhook_id":"(wh_[a-z0-9]+)"/)?.1 })
        let history = try HookLogBinary.run("--data", data, "history", "--webhook", String(disabled))
        #expect(history.status == 0, "\(history.stderr)")
        #expect(history.lines.contains { $0.hasPrefix("dlv_") && $0.contains(" skipped ") }, "\(history.stdout)")
        #expect(history.lines.contains { $0.hasPrefix("dlv_") && $0.contains(" succeeded ") }, "\(history.stdout)")

        let created = try HookLogBinary.run(
            "--data", data, "workspace", "create", "--name", "After upgrade", "--plan", "advanced",
            "--owner-email", "owner@upgrade.example")
        #expect(created.status == 0, "\(created.stderr)")
        let reverify = try HookLogBinary.run("--data", data, "rebuild", "--verify")
        #expect(reverify.status == 0, "\(reverify.stdout)\(reverify.stderr)")
        #expect(reverify.stdout.contains("rebuilt 399 records"), "\(reverify.stdout)")
    }

    @Test("the data directory from 6b30aea, its old-shaped skips and recoveries included, compacts to a state its archive replays")
    func compactDataFrom6b30aea() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try copyFixture()
        var options = LogStore.Options()
        options.archive = directory + "/archive"
        let store = try LogStore(directory: data, options: options)
        let before = try await store.reader.records(after: 0, limit: .max).count
        let later = Timestamp(seconds: 4_000_000_000)
        let report = try #require(try await store.compact(before: later, at: later))
        #expect(report.removed > before / 2, "\(report.removed) of \(before) records removed")
        #expect(try Rebuild.verify(store.reader, policy: .standard).differences == [])
        let replayed = try Rebuild.verify(store.reader, archive: ArchiveReader(directory: directory + "/archive"), policy: .standard)
        #expect(replayed.differences == [])
        #expect(replayed.records == before + 1, "every record, the cut included, replays from the first")
        await store.close()
    }

    @Test("a format-5 directory from baeedb7 reads as it did; its owed deliveries, keyed by hash, take their attempts where they are found")
    func openFormat5DataFromBaeedb7() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try copyFixture("data-baeedb7")
        let log = try HookLogBinary.run("--data", data, "log", "--limit", "1000000", "--json")
        #expect(log.status == 0, "\(log.stderr)")
        #expect(log.lines == (try Self.printed(by: "data-baeedb7.jsonl")), "read-only, every record reads as baeedb7 printed it")

        let store = try LogStore(directory: data)
        let webhook = try #require(store.withState { $0.webhooks.values.first { $0.url == "http://127.0.0.1:9/hook" } })
        let now = Timestamp(seconds: 1_900_000_000)
        func succeed(_ delivery: DeliveryID) async throws {
            _ = try await store.execute(.recordAttempt(AttemptReport(
                webhookID: webhook.id, deliveryID: delivery, startedAt: now, durationMilliseconds: 5, outcome: .status(200),
                responseSnippet: "ok")), at: now)
        }
        var owed: [DeliveryReference] = []
        while owed.count < 10, let head = store.withState({ $0.queues[webhook.id]?.head?.reference }) {
            owed.append(head)
            try await succeed(head.deliveryID)
        }
        #expect(owed.count == 4, "three events and a redelivery, all failed once and waiting for their retry")
        let received = try await store.execute(.receiveEvent(IncomingEvent(
            workspaceID: webhook.workspaceID, eventID: nil, type: .contactCreated, data: Array(#"{"n":1}"#.utf8),
            idempotencyKey: nil)), at: now)
        guard case .eventReceived(let new)? = received.first?.record.fact, let fresh = new.deliveries.first else {
            Issue.record("no delivery for the new event: \(received)")
            return
        }
        try await succeed(fresh.deliveryID)

        for (index, reference) in owed.enumerated() {
            let delivery = try #require(try store.reader.delivery(reference.deliveryID), "\(reference.deliveryID)")
            #expect(delivery.state == .succeeded)
            // The head had failed once before the upgrade: both attempts are read under its one key.
            #expect(delivery.attempts.map(\.statusCode) == (index == 0 ? [nil, 200] : [200]), "\(delivery.attempts)")
            let event = try #require(try store.reader.event(reference.eventID, in: webhook.workspaceID))
            #expect(event.deliveries.contains { $0.deliveryID == reference.deliveryID && $0.state == .succeeded })
        }
        let delivered = try #require(try store.reader.delivery(fresh.deliveryID))
        #expect(delivered.state == .succeeded && delivered.attempts.count == 1)
        #expect(try Rebuild.verify(store.reader, policy: .standard).differences == [])

        let later = Timestamp(seconds: 4_000_000_000)
        _ = try #require(try await store.compact(before: later, at: later))
        #expect(try store.reader.delivery(owed[0].deliveryID) == nil, "compacted, under its old key too")
        #expect(try store.reader.event(owed[0].eventID, in: webhook.workspaceID) == nil)
        #expect(try Rebuild.verify(store.reader, policy: .standard).differences == [])
        await store.close()
        let verify = try HookLogBinary.run("--data", data, "rebuild", "--verify")
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    @Test(
        "an old data directory gets the search index on its first open for writing, and searches answer as its records say",
        arguments: ["data-6b30aea", "data-baeedb7"])
    func searchAfterUpgrade(fixture: String) async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try copyFixture(fixture)
        let expected = try FixtureSearches(jsonl: Self.fixtures.appendingPathComponent("\(fixture).jsonl"))
        #expect(expected.searches.count > 100, "a search per contact id and webhook, and for the name every event holds")

        let readOnly = try LogReader(directory: data)
        for (webhook, text, deliveries) in expected.searches {
            let page = try readOnly.deliveries(ofWebhook: webhook, matching: DeliveryQuery(text: text, limit: 500))
            #expect(page.deliveries.map(\.deliveryID.rawValue) == deliveries, "read-only, before the upgrade: \(webhook) \(text)")
        }

        let store = try LogStore(directory: data)
        for (webhook, text, deliveries) in expected.searches {
            let page = try store.reader.deliveries(ofWebhook: webhook, matching: DeliveryQuery(text: text, limit: 500))
            #expect(page.deliveries.map(\.deliveryID.rawValue) == deliveries, "through the search index: \(webhook) \(text)")
        }
        await store.close()
        let verify = try HookLogBinary.run("--data", data, "rebuild", "--verify")
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }
}

/// What searching a fixture's webhooks must find, worked out from the records its build printed (`hooklog log --json`)
/// rather than from the log: for each webhook, each contact id of an event it got and the name every event holds,
/// the ids of its deliveries, redeliveries included, whose event has that value, newest first.
private struct FixtureSearches {
    var searches: [(webhook: WebhookID, text: String, deliveries: [String])] = []

    init(jsonl: URL) throws {
        var events: [String: [String]] = [:]
        var deliveries: [(webhook: String, delivery: String, values: [String])] = []
        for line in try String(contentsOf: jsonl, encoding: .utf8).split(separator: "\n") {
            guard let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
            switch record["type"] as? String {
            case "EventReceived":
                let contact = (record["data"] as? [String: Any])?["contact"] as? [String: Any]
                let values = [contact?["id"], contact?["name"]].compactMap { $0 as? String }
                let eventKey = "\(record["workspace_id"] ?? "") \(record["event_id"] ?? "")"
                events[eventKey] = values
                for fanout in record["deliveries"] as? [[String: String]] ?? [] {
                    deliveries.append((fanout["webhook_id"] ?? "", fanout["delivery_id"] ?? "", values))
                }
            case "RedeliveryRequested":
                let original = deliveries.first { $0.delivery == record["original_delivery_id"] as? String }
                deliveries.append((
                    record["webhook_id"] as? String ?? "", record["delivery_id"] as? String ?? "", original?.values ?? []))
            default:
                break
            }
        }
        for webhook in Set(deliveries.map(\.webhook)).sorted() {
            let own = deliveries.filter { $0.webhook == webhook }.reversed()
            for text in Set(own.flatMap(\.values)).sorted() {
                searches.append((WebhookID(webhook), text, own.filter { $0.values.contains(text) }.map(\.delivery)))
            }
        }
    }
}
