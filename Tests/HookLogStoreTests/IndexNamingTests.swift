import HookLogCore
@testable import HookLogStore
import HookLogTestSupport
import Testing

/// Event, delivery and idempotency-key names are keyed by their hash; a name whose hash another name holds is
/// numbered in the id table instead, so that no query ever reads another name's records (docs/rules.md §3.5).
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
}
