import HookLogCore
@testable import HookLogStore
import HookLogTestSupport
import Testing

/// Generated event and delivery ids are keyed by their leading bits, other event ids and idempotency keys by their
/// hash; a name whose key another name holds is numbered in the id table instead, so that no query ever reads another
/// name's records (docs/rules.md §3.5).
@Suite("Keying index names")
struct IndexNamingTests {
    @Test("an event whose hash key another event holds is numbered instead, and reads only its own records")
    func aTakenHashIsNumbered() async throws {
        try await StoreStory.withNewStore { story in
            let workspace = try await story.createWorkspace()
            let webhook = try await story.createWebhook(in: workspace)
            let first = try await story.send(to: workspace, id: "evt_first")
            let colliding = IndexedName(EventID("evt_colliding"))
            let databases = story.store.reader.databases
            let naming = try #require(databases.naming)
            let events = try #require(databases.namedIndex(databases.byEvent))
            // The first event's record, planted under the hash of the second's id: the hash is held by another name.
            try databases.environment.write { transaction in
                try transaction.putDuplicate(
                    LogKeys.sequence(first.sequence), forKey: LogKeys.number(NameHash.key(of: colliding)), in: databases.byEvent)
            }

            let second = try await story.send(to: workspace, id: "evt_colliding")
            try await story.attemptHead(of: webhook, answering: 200)
            try await story.attemptHead(of: webhook, answering: 200)

            let number = try databases.environment.read { transaction in
                try naming.ids.number(of: colliding, in: .events, in: transaction)
            }
            #expect(number.map { $0 & NameHash.numberedBit != 0 } == true, "numbered, apart from every hash key")
            let event = try #require(try story.store.reader.event(EventID("evt_colliding"), in: workspace))
            #expect(event.sequence == second.sequence)
            #expect(event.deliveries.map(\.state) == [.succeeded])
            let history = try story.store.reader.history(of: .event(EventID("evt_colliding")))
            #expect(history.deliveries.map(\.eventSequence) == [second.sequence])
            #expect(try story.store.reader.history(of: .event(EventID("evt_first"))).deliveries.map(\.eventSequence) == [first.sequence])

            try databases.environment.write { transaction in
                _ = try transaction.deleteDuplicate(
                    LogKeys.sequence(first.sequence), forKey: LogKeys.number(NameHash.key(of: colliding)), in: databases.byEvent)
                #expect(try naming.key(of: colliding, in: events, in: transaction) == number, "numbered for good")
            }
            #expect(try Rebuild.verify(story.store.reader, policy: .standard).differences == [])
        }
    }

    @Test("a name that was never listed has no key, even when another name's records sit under its hash")
    func anUnknownNameReadsNothing() async throws {
        try await StoreStory.withNewStore { story in
            let workspace = try await story.createWorkspace()
            _ = try await story.createWebhook(in: workspace)
            let sent = try await story.send(to: workspace, id: "evt_sent")
            let absent = EventID("evt_absent")
            let databases = story.store.reader.databases
            try databases.environment.write { transaction in
                try transaction.putDuplicate(
                    LogKeys.sequence(sent.sequence), forKey: LogKeys.number(NameHash.key(of: IndexedName(absent))),
                    in: databases.byEvent)
            }

            #expect(try story.store.reader.history(of: .event(absent)).deliveries == [])
            #expect(try story.store.reader.event(absent, in: workspace) == nil)
        }
    }

    @Test("a hash key is the first 8 bytes of the name's SHA-256, top bit cleared")
    func hashKeyLayout() {
        // SHA-256("evt_1") starts 7d 4e 5a 76 ea e6 d8 c1 (sha256sum).
        #expect(NameHash.key(of: IndexedName(EventID("evt_1"))) == 0x7D4E_5A76_EAE6_D8C1 & ~NameHash.numberedBit)
    }

    @Test("generated event and delivery ids are keyed by their leading bits, so each new event goes after the last")
    func generatedIdsAreKeyedInOrder() async throws {
        try await StoreStory.withNewStore { story in
            let workspace = try await story.createWorkspace()
            _ = try await story.createWebhook(in: workspace)
            var received: [EventReceived] = []
            for _ in 0..<3 {
                let record = try await story.send(to: workspace)
                guard case .eventReceived(let event) = record.record.fact else { throw StoryError.unexpected([record]) }
                received.append(event)
                story.advance(.milliseconds(1))
            }
            let databases = story.store.reader.databases
            let naming = try #require(databases.naming)
            let events = try #require(databases.namedIndex(databases.byEvent))
            let deliveries = try #require(databases.namedIndex(databases.byDelivery))
            let (eventKeys, deliveryKeys) = try databases.environment.read { transaction in
                (try received.map { try naming.key(of: IndexedName($0.eventID), in: events, in: transaction) },
                 try received.map { try naming.key(of: IndexedName($0.deliveries[0].deliveryID), in: deliveries, in: transaction) })
            }
            let leading = received.map { IdentifierLayout.leadingBits(of: Array($0.eventID.rawValue.utf8), prefix: "evt_") }
            #expect(eventKeys == leading && leading.allSatisfy { $0 != nil })
            #expect(eventKeys.compactMap { $0 } == eventKeys.compactMap { $0 }.sorted())
            #expect(deliveryKeys == received.map { IdentifierLayout.leadingBits(of: Array($0.deliveries[0].deliveryID.rawValue.utf8), prefix: "dlv_") })
            #expect(eventKeys.compactMap { $0 }.map { $0 >> 15 } == [1_800_000_000_000, 1_800_000_000_001, 1_800_000_000_002])
        }
    }

    @Test("the event index lists the record that brings an event, and the event's history finds its attempts through its deliveries")
    func theEventIndexListsWhatBringsAnEvent() async throws {
        try await StoreStory.withNewStore { story in
            let workspace = try await story.createWorkspace()
            let webhook = try await story.createWebhook(in: workspace)
            let sent = try await story.send(to: workspace)
            guard case .eventReceived(let event) = sent.record.fact else { throw StoryError.unexpected([sent]) }
            try await story.attemptHead(of: webhook, answering: 500)
            story.advance(.seconds(30))
            try await story.attemptHead(of: webhook, answering: 200)

            let databases = story.store.reader.databases
            let naming = try #require(databases.naming)
            let events = try #require(databases.namedIndex(databases.byEvent))
            let listed = try databases.environment.read { transaction in
                let key = try #require(try naming.key(of: IndexedName(event.eventID), in: events, in: transaction))
                var sequences: [UInt64] = []
                try transaction.forEachDuplicate(of: LogKeys.number(key), in: databases.byEvent, from: LogKeys.sequence(0)) { value in
                    sequences.append(LogKeys.sequence(from: value))
                    return true
                }
                return sequences
            }
            #expect(listed == [sent.sequence], "the attempts are listed under the delivery alone")
            let history = try story.store.reader.history(of: .event(event.eventID))
            #expect(history.deliveries.map(\.state) == [.succeeded])
            #expect(history.deliveries.first?.attempts.map(\.statusCode) == [500, 200])
            #expect(try Rebuild.verify(story.store.reader, policy: .standard).differences == [])
        }
    }
}
