import HookLogCore
import HookLogStore
import HookLogTestSupport
import Testing

/// `GET /v1/events/{id}`, `GET /v1/log` and `GET /v1/log/stream` read the log through these queries.
@Suite("Event and log queries")
struct EventAndLogQueryTests {
    @Test("an event reads back with its deliveries to every webhook, redeliveries included; another workspace's event with the same id is another event")
    func eventWithItsDeliveries() async throws {
        try await StoreStory.withNewStore { story in
            let store = story.store
            let acme = try await story.createWorkspace("Acme")
            let crm = try await story.createWebhook(in: acme)
            let warehouse = try await story.createWebhook(in: acme)
            let globex = try await story.createWorkspace("Globex")
            let theirs = try await story.createWebhook(in: globex)
            let received = try await story.send(.contactUpdated, to: acme, id: "order-1")
            story.advance(.seconds(5))
            let elsewhere = try await story.send(.messageSent, to: globex, id: "order-1")
            try await story.attemptHead(of: crm, answering: 200)
            try await story.attemptHead(of: warehouse, answering: 500)
            try await story.attemptHead(of: theirs, answering: 200)
            let toCRM = try #require(try store.reader.deliveries(ofWebhook: crm, matching: DeliveryQuery()).deliveries.first)
            _ = try await store.execute(.redeliver(
                crm, original: toCRM.deliveryID, eventID: toCRM.eventID, eventType: toCRM.eventType,
                eventSequence: toCRM.eventSequence), at: story.now)

            let event = try #require(try store.reader.event(EventID("order-1"), in: acme))

            #expect(event.event.workspaceID == acme)
            #expect(event.event.type == .contactUpdated)
            #expect(event.sequence == received.sequence)
            #expect(event.receivedAt == received.record.at)
            #expect(event.deliveries.map(\.webhookID) == [crm, warehouse, crm])
            #expect(event.deliveries.map(\.state) == [.succeeded, .retrying, .queued])
            #expect(event.deliveries.map(\.redeliveryOf) == [nil, nil, toCRM.deliveryID])
            #expect(event.deliveries[1].attempts.map(\.statusCode) == [500])

            let theirEvent = try #require(try store.reader.event(EventID("order-1"), in: globex))
            #expect(theirEvent.sequence == elsewhere.sequence)
            #expect(theirEvent.event.type == .messageSent)
            #expect(theirEvent.deliveries.map(\.webhookID) == [theirs])
            #expect(try store.reader.event(EventID("order-2"), in: acme) == nil)
            #expect(try store.reader.event(EventID("order-1"), in: WorkspaceID("ws_other")) == nil)
        }
    }

    @Test("a workspace's log lists its own records, its webhooks' attempts and drops included, and nothing of another workspace")
    func workspaceLog() async throws {
        try await StoreStory.withNewStore { story in
            let store = story.store
            let acme = try await story.createWorkspace("Acme")
            let globex = try await story.createWorkspace("Globex")
            let acmeHook = try await story.createWebhook(in: acme)
            let globexHook = try await story.createWebhook(in: globex)
            try await story.send(to: acme)
            try await story.send(to: globex)
            try await story.attemptHead(of: globexHook, answering: 200)
            try await story.dropHead(of: acmeHook)

            let log = try store.reader.records(after: 0, limit: 100, workspace: acme)

            #expect(log.map(\.record.fact.typeName) == [
                "WorkspaceCreated", "WebhookCreated", "EventReceived",
                "AttemptFailed", "AttemptFailed", "AttemptFailed", "AttemptFailed", "DeliveryDropped",
            ])
            let everything = try await store.reader.records(after: 0, limit: 100)
            let theirs = everything.filter { !log.contains($0) }.map(\.record.fact.typeName)
            #expect(theirs == ["WorkspaceCreated", "WebhookCreated", "EventReceived", "AttemptSucceeded"])
            #expect(try store.reader.records(after: log[2].sequence, limit: 2, workspace: acme) == Array(log[3...4]))
            #expect(try store.reader.records(after: .max, limit: 10, workspace: acme) == [])
            #expect(try store.reader.records(after: 0, limit: 0, workspace: acme) == [])
        }
    }
}
