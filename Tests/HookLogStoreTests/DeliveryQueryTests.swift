import HookLogCore
@testable import HookLogStore
import HookLogTestSupport
import Testing

/// `GET /v1/webhooks/{id}/deliveries`, `GET /v1/deliveries/{id}` and `POST /v1/webhooks/{id}/recover` read the log
/// through these queries.
@Suite("Delivery queries")
struct DeliveryQueryTests {
    /// Every page of the webhook's event log for `query`, following the cursors to the end.
    func allPages(of webhook: WebhookID, _ query: DeliveryQuery, in store: LogStore) throws -> [DeliveryPage] {
        var pages = [try store.reader.deliveries(ofWebhook: webhook, matching: query)]
        while let cursor = pages.last?.nextCursor {
            var next = query
            next.before = cursor
            pages.append(try store.reader.deliveries(ofWebhook: webhook, matching: next))
        }
        return pages
    }

    @Test("a webhook's event log comes newest first, a page at a time, each delivery with its attempts and state")
    func pagesNewestFirst() async throws {
        try await StoreStory.withNewStore { story in
            let store = story.store
            let workspace = try await story.createWorkspace()
            let webhook = try await story.createWebhook(in: workspace)
            let other = try await story.createWebhook(in: workspace, events: [.messageSent])
            for index in 1...7 {
                try await story.send(.contactCreated, to: workspace, id: "evt_\(index)")
                try await story.send(.messageSent, to: workspace, id: "msg_\(index)")
                story.advance(.seconds(1))
            }
            try await story.attemptHead(of: webhook, answering: 503)
            story.advance(.seconds(30))
            try await story.attemptHead(of: webhook, answering: 200)

            let pages = try allPages(of: webhook, DeliveryQuery(type: .contactCreated, limit: 3), in: store)

            #expect(pages.map { StoreStory.eventIDs($0.deliveries) } == [
                ["evt_7", "evt_6", "evt_5"], ["evt_4", "evt_3", "evt_2"], ["evt_1"],
            ])
            let first = try #require(pages.last?.deliveries.last)
            #expect(first.webhookID == webhook)
            #expect(first.state == .succeeded)
            #expect(first.attempts.map(\.statusCode) == [503, 200])
            #expect(first.attempts.map(\.number) == [1, 2])
            #expect(pages[0].deliveries.allSatisfy { $0.state == .queued && $0.attempts.isEmpty })
            let everything = try allPages(of: webhook, DeliveryQuery(limit: 500), in: store)
            #expect(everything.count == 1)
            #expect(everything[0].deliveries.count == 14)
            #expect(try store.reader.deliveries(ofWebhook: other, matching: DeliveryQuery()).deliveries.count == 7)
        }
    }

    @Test("the last page has no cursor, even when it is exactly full")
    func lastPageHasNoCursor() async throws {
        try await StoreStory.withNewStore { story in
            let store = story.store
            let workspace = try await story.createWorkspace()
            let webhook = try await story.createWebhook(in: workspace)
            for index in 1...4 { try await story.send(to: workspace, id: "evt_\(index)") }

            let pages = try allPages(of: webhook, DeliveryQuery(limit: 2), in: store)

            #expect(pages.map { StoreStory.eventIDs($0.deliveries) } == [["evt_4", "evt_3"], ["evt_2", "evt_1"]])
            #expect(pages[1].nextCursor == nil)
            #expect(try store.reader.deliveries(ofWebhook: WebhookID("wh_unknown"), matching: DeliveryQuery()).deliveries.isEmpty)
        }
    }

    @Test("events that arrive while a client pages through the log appear only before its first page: no gaps, no repeats")
    func pagingWhileEventsArrive() async throws {
        try await StoreStory.withNewStore { story in
            let store = story.store
            let workspace = try await story.createWorkspace()
            let webhook = try await story.createWebhook(in: workspace)
            for index in 1...5 { try await story.send(to: workspace, id: "old_\(index)") }

            var seen: [String] = []
            var query = DeliveryQuery(limit: 2)
            var arrivals = 0
            repeat {
                let page = try store.reader.deliveries(ofWebhook: webhook, matching: query)
                seen += StoreStory.eventIDs(page.deliveries)
                arrivals += 1
                try await story.send(to: workspace, id: "new_\(arrivals)")
                query.before = page.nextCursor
            } while query.before != nil

            #expect(seen == ["old_5", "old_4", "old_3", "old_2", "old_1"])
            let fresh = try store.reader.deliveries(ofWebhook: webhook, matching: DeliveryQuery(limit: 3))
            #expect(StoreStory.eventIDs(fresh.deliveries) == ["new_3", "new_2", "new_1"])
        }
    }

    @Test("filters by current state, event type and creation time, and pages through what matches")
    func filters() async throws {
        try await StoreStory.withNewStore { story in
            let store = story.store
            let workspace = try await story.createWorkspace()
            let webhook = try await story.createWebhook(in: workspace)
            let start = story.now
            // One event a minute: a dropped one, a succeeded one, a retrying one, then queued ones of two types.
            try await story.send(.contactCreated, to: workspace, id: "dropped")
            try await story.send(.contactCreated, to: workspace, id: "succeeded")
            try await story.send(.contactCreated, to: workspace, id: "retrying")
            for (index, type) in [EventType.messageSent, .contactCreated, .messageSent, .messageSent].enumerated() {
                story.advance(.seconds(60))
                try await story.send(type, to: workspace, id: "queued_\(index)")
            }
            try await story.dropHead(of: webhook)
            try await story.attemptHead(of: webhook, answering: 204)
            try await story.attemptHead(of: webhook, answering: 429)

            func eventIDs(_ query: DeliveryQuery) throws -> [String] {
                try allPages(of: webhook, query, in: store).flatMap { StoreStory.eventIDs($0.deliveries) }
            }
            #expect(try eventIDs(DeliveryQuery(status: .dropped)) == ["dropped"])
            #expect(try eventIDs(DeliveryQuery(status: .succeeded)) == ["succeeded"])
            #expect(try eventIDs(DeliveryQuery(status: .retrying)) == ["retrying"])
            #expect(try eventIDs(DeliveryQuery(status: .queued, limit: 1)) == ["queued_3", "queued_2", "queued_1", "queued_0"])
            #expect(try eventIDs(DeliveryQuery(type: .messageSent, limit: 2)) == ["queued_3", "queued_2", "queued_0"])
            #expect(try eventIDs(DeliveryQuery(status: .queued, type: .contactCreated)) == ["queued_1"])
            #expect(try eventIDs(DeliveryQuery(since: start.adding(.seconds(120)))) == ["queued_3", "queued_2", "queued_1"])
            #expect(try eventIDs(DeliveryQuery(until: start.adding(.seconds(60)))) == ["queued_0", "retrying", "succeeded", "dropped"])
            #expect(try eventIDs(DeliveryQuery(
                since: start.adding(.seconds(60)), until: start.adding(.seconds(180)), limit: 1)) == ["queued_2", "queued_1", "queued_0"])
            #expect(try eventIDs(DeliveryQuery(until: start.adding(.seconds(-1)))) == [])
        }
    }

    @Test("a selective filter reads a bounded part of the log per page; following the cursors finds every match")
    func scanLimitBoundsAPage() async throws {
        try await StoreStory.withNewStore { story in
            let store = story.store
            let workspace = try await story.createWorkspace()
            let webhook = try await story.createWebhook(in: workspace)
            try await story.send(.contactCreated, to: workspace, id: "old_dropped")
            try await story.dropHead(of: webhook)
            for index in 1...20 { try await story.send(.contactCreated, to: workspace, id: "queued_\(index)") }

            let pages = try allPages(of: webhook, DeliveryQuery(status: .dropped, scanLimit: 4), in: store)

            #expect(pages.count > 5)
            #expect(pages.dropLast().allSatisfy { $0.deliveries.isEmpty && $0.nextCursor != nil })
            #expect(pages.flatMap { StoreStory.eventIDs($0.deliveries) } == ["old_dropped"])
        }
    }

    @Test("a redelivery is a new delivery at the top of the log that names the one it repeats")
    func redeliveryInTheLog() async throws {
        try await StoreStory.withNewStore { story in
            let store = story.store
            let workspace = try await story.createWorkspace()
            let webhook = try await story.createWebhook(in: workspace)
            try await story.send(to: workspace, id: "evt_1")
            try await story.send(to: workspace, id: "evt_2")
            try await story.attemptHead(of: webhook, answering: 200)
            let original = try #require(try store.reader.deliveries(ofWebhook: webhook, matching: DeliveryQuery()).deliveries.last)

            _ = try await store.execute(.redeliver(
                webhook, original: original.deliveryID, eventID: original.eventID, eventType: original.eventType,
                eventSequence: original.eventSequence), at: story.now)

            let page = try store.reader.deliveries(ofWebhook: webhook, matching: DeliveryQuery())
            #expect(StoreStory.eventIDs(page.deliveries) == ["evt_1", "evt_2", "evt_1"])
            let repeated = try #require(page.deliveries.first)
            #expect(repeated.redeliveryOf == original.deliveryID)
            #expect(repeated.eventSequence == original.eventSequence)
            #expect(repeated.state == .queued)
            #expect(page.deliveries.last == original)
            #expect(try store.reader.delivery(repeated.deliveryID) == repeated)
        }
    }

    @Test("one delivery reads back with its attempts; an unknown id reads back as nothing")
    func oneDelivery() async throws {
        try await StoreStory.withNewStore { story in
            let store = story.store
            let workspace = try await story.createWorkspace()
            let webhook = try await story.createWebhook(in: workspace)
            let received = try await story.send(to: workspace, id: "evt_1")
            try await story.dropHead(of: webhook)
            guard case .eventReceived(let fact) = received.record.fact, let fanout = fact.deliveries.first else {
                throw StoryError.unexpected([received])
            }

            let delivery = try #require(try store.reader.delivery(fanout.deliveryID))

            #expect(delivery.deliveryID == fanout.deliveryID)
            #expect(delivery.webhookID == webhook)
            #expect(delivery.eventID == EventID("evt_1"))
            #expect(delivery.eventSequence == received.sequence)
            #expect(delivery.createdAt == received.record.at)
            #expect(delivery.state == .dropped)
            #expect(delivery.attempts.map(\.number) == [1, 2, 3, 4])
            #expect(delivery.attempts.last?.nextAttemptAt == nil)
            #expect(try store.reader.delivery(DeliveryID("dlv_unknown")) == nil)
            #expect(try store.reader.delivery(DeliveryID(String(repeating: "x", count: 600))) == nil)
        }
    }

    @Test("what was dropped or skipped since a time is listed oldest first, and once recovered is no longer listed")
    func recoverableDeliveries() async throws {
        try await StoreStory.withNewStore { story in
            let store = story.store
            let workspace = try await story.createWorkspace()
            let webhook = try await story.createWebhook(in: workspace)
            try await story.send(to: workspace, id: "delivered")
            try await story.attemptHead(of: webhook, answering: 200)
            var sequences: [UInt64] = []
            for index in 1...9 {
                story.advance(.seconds(1))
                sequences.append(try await story.send(to: workspace, id: "evt_\(index)").sequence)
            }
            // Seven dropped (28 failures); the 31st failure, on the eighth, disables the webhook: eight and nine are
            // skipped. The fifth is dropped after `outage`, and so are the two after it, and the last two skipped.
            for _ in 1...4 { try await story.dropHead(of: webhook) }
            let outage = story.now
            for _ in 5...7 { try await story.dropHead(of: webhook) }
            for _ in 1...3 { try await story.attemptHead(of: webhook, answering: 500) }
            #expect(store.withState { $0.webhooks[webhook]?.status } == .disabled)
            _ = try await store.execute(.enableWebhook(webhook, recover: false), at: story.now)

            let all = try await store.reader.recoverableDeliveries(ofWebhook: webhook, since: nil)
            let recent = try await store.reader.recoverableDeliveries(ofWebhook: webhook, since: outage)

            #expect(all.map(\.eventID.rawValue) == (1...9).map { "evt_\($0)" })
            #expect(all.map(\.eventSequence) == sequences)
            #expect(recent.map(\.eventID.rawValue) == (5...9).map { "evt_\($0)" })
            let states = try all.map { try store.reader.delivery($0.deliveryID)?.state }
            #expect(states == Array(repeating: .dropped, count: 7) + [.skipped, .skipped])
            #expect(try await store.reader.recoverableDeliveries(ofWebhook: webhook, since: story.now.adding(.seconds(1))) == [])

            _ = try await store.execute(.recoverDeliveries(webhook, recent), at: story.now)

            #expect(store.writerState.queues[webhook]?.pending.map(\.reference) == recent)
            #expect(try await store.reader.recoverableDeliveries(ofWebhook: webhook, since: nil) == Array(all.prefix(4)))
        }
    }

    @Test("a large recovery is read a page at a time and recorded 4,096 deliveries per record, in order")
    func largeRecoveryIsPaged() async throws {
        try await StoreStory.withNewStore { story in
            let store = story.store
            let workspace = try await story.createWorkspace()
            let webhook = try await story.createWebhook(in: workspace)
            let events = (1...5_000).map { Command.receiveEvent(story.event(to: workspace, id: "evt_\($0)")) }
            _ = try await store.execute(events, at: story.now)
            // Seven dropped, then the 31st failure disables the webhook: the other 4,993 are skipped.
            for _ in 1...7 { try await story.dropHead(of: webhook) }
            for _ in 1...3 { try await story.attemptHead(of: webhook, answering: 500) }
            _ = try await store.execute(.enableWebhook(webhook, recover: false), at: story.now)

            let through = try store.reader.lastSequence()
            var pages: [RecoverablePage] = []
            var after: UInt64? = 0
            while let start = after {
                pages.append(try store.reader.recoverableDeliveries(
                    ofWebhook: webhook, since: nil, after: start, through: through, examining: 1_000))
                after = pages.last?.resumeAfter
            }
            #expect(pages.map(\.deliveries.count) == [1_000, 1_000, 1_000, 1_000, 1_000])
            let all = pages.flatMap(\.deliveries)
            #expect(all.map(\.eventID.rawValue) == (1...5_000).map { "evt_\($0)" })

            let records = try await store.execute(.recoverDeliveries(webhook, all), at: story.now)
            let recovered = records.compactMap { entry -> [DeliveryReference]? in
                guard case .deliveriesRecovered(let fact) = entry.record.fact else { return nil }
                return fact.deliveries
            }
            #expect(recovered.map(\.count) == [4_096, 904])
            #expect(recovered.flatMap { $0 } == all)
            #expect(records.map(\.sequence) == [through + 1, through + 2])
            #expect(store.writerState.queues[webhook]?.count == 5_000)
            #expect(store.writerState.queues[webhook]?.head?.reference == all.first)
            #expect(try await store.reader.recoverableDeliveries(ofWebhook: webhook, since: nil) == [])
            #expect(try Rebuild.verify(store.reader, policy: .standard).differences == [])
        }
    }
}
