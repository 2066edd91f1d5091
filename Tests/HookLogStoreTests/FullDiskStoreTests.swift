import Foundation
import HookLogCore
@testable import HookLogStore
import HookLogTestSupport
import Testing

@Suite("The store on a full disk", .enabled(if: Tmpfs.isAvailable, "mounting a tmpfs needs root"))
struct FullDiskStoreTests {
    /// The data of an event that takes about 100 kB in the log.
    static let bulky = Array(#"{"blob":""#.utf8) + Array(repeating: UInt8(ascii: "x"), count: 100_000) + Array(#""}"#.utf8)

    @Test("a commit the disk has no room for is refused alone: the writer keeps the log's state and takes writes again once space is freed")
    func aFullDiskRefusesOneBatchAndTheWriterGoesOn() async throws {
        try await Tmpfs.with(megabytes: 4) { tmpfs in
            let store = try LogStore(directory: tmpfs.path + "/data")
            let story = StoreStory(store)
            let workspace = try await story.createWorkspace()
            _ = try await story.createWebhook(in: workspace)
            var acknowledged: [UInt64] = []
            var refusal: StoreError?
            for _ in 0..<100 where refusal == nil {
                do {
                    acknowledged.append(try await send(to: workspace, in: story).sequence)
                } catch let error as StoreError {
                    refusal = error
                }
            }
            guard case .insufficientStorage = try #require(refusal, "4 MiB hold fewer than 100 events of 100 kB") else {
                Issue.record("a full disk refuses with insufficientStorage, not \(String(describing: refusal))")
                return
            }
            #expect(store.writerFailure == nil)
            #expect(store.writerState == (try store.reader.currentState(policy: .standard).state), "what the disk holds")
            #expect(store.withState(\.lastSequence) == acknowledged.last)
            await #expect(throws: StoreError.self) { _ = try await send(to: workspace, in: story) }
            #expect(store.writerFailure == nil, "a second refusal fails nothing either")

            try tmpfs.resize(megabytes: 16)
            let resumed = try await send(to: workspace, in: story)
            #expect(resumed.sequence == acknowledged.last.map { $0 + 1 })
            let state = store.writerState
            await store.close()

            let reopened = try LogStore(directory: tmpfs.path + "/data")
            #expect(reopened.writerState == state)
            for sequence in acknowledged + [resumed.sequence] {
                guard case .eventReceived = try reopened.reader.record(at: sequence)?.record.fact else {
                    Issue.record("acknowledged record \(sequence) is not in the log")
                    continue
                }
            }
            await reopened.close()
        }
    }

    /// Sends one bulky event to `workspace` and returns its `EventReceived` once durable.
    private func send(to workspace: WorkspaceID, in story: StoreStory) async throws -> LoggedRecord {
        var event = story.event(to: workspace)
        event.data = Self.bulky
        return try #require(try await story.store.execute(.receiveEvent(event), at: story.now).first)
    }
}
