import HookLogCore
@testable import HookLogStore
import HookLogTestSupport
import Testing

/// Event ids are the clients' own, unique within a workspace only: two workspaces' events with the same id are two
/// events, whatever the indexes list under the id.
@Suite("Event ids per workspace")
struct EventIdScopeTests {
    @Test("compacting one workspace's finished event leaves another workspace's event with the same id whole, its delivery still queued")
    func compactionKeepsTheOtherWorkspacesEvent() async throws {
        try await StoreStory.withNewStore { story in
            let alice = try await story.createWorkspace("Alice")
            let bob = try await story.createWorkspace("Bob")
            let alicesWebhook = try await story.createWebhook(in: alice)
            let bobsWebhook = try await story.createWebhook(in: bob)
            _ = try await story.send(to: alice, id: "evt_shared")
            try await story.attemptHead(of: alicesWebhook, answering: 200)
            story.advance(.seconds(1))
            let bobs = try await story.send(to: bob, id: "evt_shared")
            try await story.attemptHead(of: bobsWebhook, answering: 500)
            story.advance(.seconds(2 * 86_400))

            let report = try #require(try await story.store.compact(before: story.now.adding(.seconds(-86_400)), at: story.now))

            #expect(report.removed > 0)
            #expect(try story.store.reader.event(EventID("evt_shared"), in: alice) == nil, "Alice's finished event went")
            let kept = try #require(try story.store.reader.event(EventID("evt_shared"), in: bob), "Bob's queued event stays")
            #expect(kept.sequence == bobs.sequence)
            #expect(kept.deliveries.map(\.attempts.count) == [1], "with its attempt")
            #expect(try story.store.reader.record(at: bobs.sequence) != nil)
            #expect(try Rebuild.verify(story.store.reader, policy: .standard).differences == [])
        }
    }
}
