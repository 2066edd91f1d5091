import HookLogCore
@testable import HookLogStore
import HookLogTestSupport
import Testing

/// `GET /v1/webhooks/{id}/deliveries?q=` reads the search index (`by_value`): the deliveries whose event data holds the
/// text as a value, newest first, with the other filters, until compaction removes their records.
@Suite("Searching a webhook's deliveries by event data")
struct DataSearchQueryTests {
    /// Sends an event with `data` to the workspace and returns its record.
    @discardableResult
    func send(_ data: String, id: String, to workspace: WorkspaceID, in story: StoreStory) async throws -> LoggedRecord {
        let records = try await story.store.execute(.receiveEvent(IncomingEvent(
            workspaceID: workspace, eventID: EventID(id), type: .contactCreated, data: Array(data.utf8),
            idempotencyKey: nil)), at: story.now)
        guard let received = records.first else { throw StoryError.unexpected(records) }
        return received
    }

    /// Options under which the search index holds 4 records in a run, so that searches go through several runs.
    static var smallRuns: LogStore.Options {
        var options = LogStore.Options()
        options.searchRunBits = 2
        return options
    }

    /// The event ids of every page of the webhook's deliveries whose data holds `text`, following the cursors.
    func search(_ text: String, of webhook: WebhookID, _ query: DeliveryQuery = DeliveryQuery(), in store: LogStore) throws -> [String] {
        var query = query
        query.text = text
        var found: [String] = []
        repeat {
            let page = try store.reader.deliveries(ofWebhook: webhook, matching: query)
            found += StoreStory.eventIDs(page.deliveries)
            query.before = page.nextCursor
        } while query.before != nil
        return found
    }

    @Test("finds nested strings and numbers as written, newest first, redeliveries included; never keys, booleans or another workspace's")
    func findsValuesAnywhereInTheData() async throws {
        try await StoreStory.withNewStore(options: Self.smallRuns) { story in
            let store = story.store
            let workspace = try await story.createWorkspace()
            let webhook = try await story.createWebhook(in: workspace)
            let other = try await story.createWorkspace("Other")
            let othersWebhook = try await story.createWebhook(in: other)
            let ada = #"{"contact":{"emails":[{"kind":"work","address":"ada@example.com"}],"score":4.50,"vip":true}}"#
            try await send(ada, id: "ada_1", to: workspace, in: story)
            try await send(#"{"contact":{"id":"c_2","name":"Grace"},"note":"caf\u00e9 \"x\""}"#, id: "grace", to: workspace, in: story)
            try await send(#"{"list":[1,2,[3,{"deep":"ada@example.com"}]]}"#, id: "ada_2", to: workspace, in: story)
            try await send(ada, id: "ada_other", to: other, in: story)
            try await story.attemptHead(of: webhook, answering: 200)
            let first = try #require(try store.reader.deliveries(ofWebhook: webhook, matching: DeliveryQuery()).deliveries.last)
            _ = try await store.execute(.redeliver(
                webhook, original: first.deliveryID, eventID: first.eventID, eventType: first.eventType,
                eventSequence: first.eventSequence), at: story.now)

            #expect(try search("ada@example.com", of: webhook, in: store) == ["ada_1", "ada_2", "ada_1"])
            #expect(try search("ada@example.com", of: othersWebhook, in: store) == ["ada_other"])
            #expect(try search("4.50", of: webhook, in: store) == ["ada_1", "ada_1"])
            #expect(try search("4.5", of: webhook, in: store) == [], "a number matches as it was written")
            #expect(try search("3", of: webhook, in: store) == ["ada_2"], "inside nested arrays")
            #expect(try search("café \"x\"", of: webhook, in: store) == ["grace"], "escapes undone")
            #expect(try search("address", of: webhook, in: store) == [], "keys never match")
            #expect(try search("contact", of: webhook, in: store) == [])
            #expect(try search("true", of: webhook, in: store) == [], "booleans are not searchable")
            #expect(try search("ada", of: webhook, in: store) == [], "the whole text, not a part")
            #expect(try search("ADA@example.com", of: webhook, in: store) == [])
            #expect(try search("ada@example.com", of: webhook, DeliveryQuery(status: .succeeded), in: store) == ["ada_1"])
            #expect(try search("ada@example.com", of: webhook, DeliveryQuery(limit: 1), in: store) == ["ada_1", "ada_2", "ada_1"])
            #expect(try Rebuild.verify(store.reader, policy: .standard).differences == [])
        }
    }

    @Test("a search of a value most events hold reads a bounded part of the index per page, and its cursors find every match")
    func searchScanIsBounded() async throws {
        try await StoreStory.withNewStore(options: Self.smallRuns) { story in
            let store = story.store
            let workspace = try await story.createWorkspace()
            let webhook = try await story.createWebhook(in: workspace, events: [.messageSent])
            _ = try await story.createWebhook(in: workspace)
            let received = try await store.execute(.receiveEvent(IncomingEvent(
                workspaceID: workspace, eventID: EventID("message"), type: .messageSent, data: Array(#"{"plan":"pro"}"#.utf8),
                idempotencyKey: nil)), at: story.now)
            #expect(received.count == 1)
            for index in 1...12 { try await send(#"{"plan":"pro"}"#, id: "contact_\(index)", to: workspace, in: story) }

            let first = try store.reader.deliveries(ofWebhook: webhook, matching: DeliveryQuery(text: "pro", scanLimit: 5))

            #expect(first.deliveries.isEmpty && first.nextCursor != nil, "the newest five hold none of this webhook's")
            #expect(try search("pro", of: webhook, DeliveryQuery(scanLimit: 5), in: store) == ["message"])
        }
    }

    @Test("compaction removes the search entries of the records it removes, and those of the events it keeps stay")
    func compactionRemovesEntries() async throws {
        try await StoreStory.withNewStore(options: Self.smallRuns) { story in
            let store = story.store
            let workspace = try await story.createWorkspace()
            let webhook = try await story.createWebhook(in: workspace)
            try await send(#"{"id":"c_old"}"#, id: "old", to: workspace, in: story)
            try await story.attemptHead(of: webhook, answering: 200)
            try await send(#"{"id":"c_pending"}"#, id: "pending", to: workspace, in: story)
            story.advance(.seconds(3600))
            try await send(#"{"id":"c_new"}"#, id: "new", to: workspace, in: story)
            let byValue = try #require(store.reader.databases.values?.database)
            #expect(try store.reader.databases.environment.read { try $0.count(of: byValue) } == 3)

            _ = try #require(try await store.compact(before: story.now.adding(.seconds(-60)), at: story.now))

            #expect(try search("c_old", of: webhook, in: store) == [])
            #expect(try search("c_pending", of: webhook, in: store) == ["pending"], "still queued: kept whole")
            #expect(try search("c_new", of: webhook, in: store) == ["new"])
            #expect(try store.reader.databases.environment.read { try $0.count(of: byValue) } == 2)
            #expect(try Rebuild.verify(store.reader, policy: .standard).differences == [])
        }
    }

    @Test("rebuild --verify counts the search index's entries, a redelivery's included, and notices one missing")
    func verifyCountsTheSearchIndex() async throws {
        try await StoreStory.withNewStore { story in
            let store = story.store
            let workspace = try await story.createWorkspace()
            let webhook = try await story.createWebhook(in: workspace)
            let sent = try await send(#"{"id":"c_1","email":"ada@example.com"}"#, id: "one", to: workspace, in: story)
            let first = try #require(try store.reader.deliveries(ofWebhook: webhook, matching: DeliveryQuery()).deliveries.last)
            _ = try await store.execute(.redeliver(
                webhook, original: first.deliveryID, eventID: first.eventID, eventType: first.eventType,
                eventSequence: first.eventSequence), at: story.now)
            #expect(try Rebuild.verify(store.reader, policy: .standard).differences == [])

            let values = try #require(store.reader.databases.values)
            let removed = try store.reader.databases.environment.write { transaction in
                let key = ValueIndex.key(of: Array("ada@example.com".utf8), in: workspace, run: values.run(of: sent.sequence))
                return try transaction.deleteDuplicate(LogKeys.sequence(sent.sequence), forKey: LogKeys.number(key), in: values.database)
            }
            #expect(removed)

            let report = try Rebuild.verify(store.reader, policy: .standard)

            #expect(report.differences == ["index by_value: 3 entries, the log calls for 4"])
        }
    }

    @Test("a format-6 directory, which has no search index, is searched read-only as it is and gets the index when opened for writing")
    func formatSixDirectoryGetsTheIndex() async throws {
        try await withTemporaryDirectory { directory in
            var story = StoreStory(try LogStore(directory: directory))
            let workspace = try await story.createWorkspace()
            let webhook = try await story.createWebhook(in: workspace)
            try await send(#"{"id":"c_1","email":"ada@example.com"}"#, id: "one", to: workspace, in: story)
            story.advance(.seconds(1))
            try await send(#"{"id":"c_2","email":"ada@example.com"}"#, id: "two", to: workspace, in: story)
            let first = try #require(try story.store.reader.deliveries(ofWebhook: webhook, matching: DeliveryQuery()).deliveries.last)
            _ = try await story.store.execute(.redeliver(
                webhook, original: first.deliveryID, eventID: first.eventID, eventType: first.eventType,
                eventSequence: first.eventSequence), at: story.now)
            await story.store.close()
            let environment = try LMDBEnvironment(directory: directory, options: LMDBEnvironment.Options())
            try environment.write { transaction in
                try transaction.drop(try transaction.openDatabase("by_value", fixedSizeDuplicates: true))
                try transaction.put([6], forKey: LogDatabases.formatKey, in: try transaction.openDatabase("meta", fixedSizeDuplicates: false))
            }
            environment.close()

            let readOnly = try LogReader(directory: directory)
            #expect(readOnly.databases.values == nil)
            let found = try readOnly.deliveries(ofWebhook: webhook, matching: DeliveryQuery(text: "ada@example.com"))
            #expect(StoreStory.eventIDs(found.deliveries) == ["one", "two", "one"])
            #expect(try Rebuild.verify(readOnly, policy: .standard).differences == [])
            readOnly.databases.environment.close()

            story = StoreStory(try LogStore(directory: directory, options: Self.smallRuns))
            let store = story.store
            let byValue = try #require(store.reader.databases.values?.database)
            #expect(try store.reader.databases.environment.read { try $0.count(of: byValue) } == 6, "2 texts of each event and of the redelivery")
            #expect(try search("ada@example.com", of: webhook, in: store) == ["one", "two", "one"])
            #expect(try search("c_2", of: webhook, in: store) == ["two"])
            #expect(store.reader.databases.formerEventEntriesThrough == 0, "a format-6 directory lists no record under an event it does not bring")
            #expect(try Rebuild.verify(store.reader, policy: .standard).differences == [])
            await store.close()
        }
    }
}
