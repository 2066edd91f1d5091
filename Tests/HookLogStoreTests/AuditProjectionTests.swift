import Foundation
import HookLogCore
@testable import HookLogStore
import HookLogTestSupport
import Testing

/// The audit the state keeps for each webhook (``HookLogState/audits``) answers what folding the webhook's records
/// answers, and keeps answering it across a restart, a compaction, and a checkpoint written before it was kept.
@Suite("Audit counters")
struct AuditProjectionTests {
    /// A webhook with a dropped delivery (four failures), two delivered ones and a 404: its audit, folded from the log.
    private func tellHistory(_ story: inout StoreStory) async throws -> (webhook: WebhookID, folded: AuditReport) {
        let workspace = try await story.createWorkspace()
        let webhook = try await story.createWebhook(in: workspace)
        for _ in 0..<4 { try await story.send(to: workspace) }
        try await story.dropHead(of: webhook)
        try await story.attemptHead(of: webhook, answering: 200)
        try await story.attemptHead(of: webhook, answering: 404)
        story.advance(.seconds(30))
        try await story.attemptHead(of: webhook, answering: 200)
        try await story.attemptHead(of: webhook, answering: 200)
        let folded = try story.store.reader.audit(ofWebhook: webhook, since: nil, until: nil)
        #expect(folded.endpoints[webhook]?.attempts == 8)
        #expect(folded.endpoints[webhook]?.failuresByStatus == [500: 4, 404: 1])
        #expect(folded.endpoints[webhook]?.dropped == 1)
        return (webhook, folded)
    }

    @Test("the audit kept in the state equals the fold of the webhook's records, after a restart and after compaction")
    func sameAnswerAcrossRestartAndCompaction() async throws {
        try await withTemporaryDirectory { directory in
            var story = StoreStory(try LogStore(directory: directory))
            let (webhook, folded) = try await tellHistory(&story)
            #expect(story.store.withState { $0.audits[webhook] } == folded)
            await story.store.close()

            story = StoreStory(try LogStore(directory: directory))
            story.now = story.now.adding(.seconds(3 * 86_400))
            #expect(story.store.withState { $0.audits[webhook] } == folded, "restored from the closing checkpoint")
            let report = try #require(try await story.store.compact(before: story.now.adding(.seconds(-86_400)), at: story.now))
            #expect(report.removed > 0)
            #expect(try story.store.reader.audit(ofWebhook: webhook, since: nil, until: nil) != folded, "the records are gone")
            #expect(story.store.withState { $0.audits[webhook] } == folded, "compaction removes records, not what they counted")
            #expect(try Rebuild.verify(story.store.reader, policy: .standard).differences == [])
            await story.store.close()

            let reopened = try LogStore(directory: directory)
            #expect(reopened.withState { $0.audits[webhook] } == folded, "restored after compaction")
            await reopened.close()
        }
    }

    @Test("a checkpoint of version 2, without audits, still restores: the audits are counted from the log once")
    func olderCheckpointCountsAuditsFromTheLog() async throws {
        try await withTemporaryDirectory { directory in
            var story = StoreStory(try LogStore(directory: directory))
            let (webhook, folded) = try await tellHistory(&story)
            let live = story.store.writerState
            await story.store.close()

            let databases = try LogDatabases(directory: directory, readOnly: false, mapSize: 64 << 20)
            let stored = try #require(try Checkpoint.load(from: databases))
            var json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(stored.state)) as? [String: Any])
            json["audits"] = nil
            let version2 = Array("HLCK".utf8) + [2] + Array(try JSONSerialization.data(withJSONObject: json))
            try databases.environment.write { transaction in
                try databases.checkpoint.write(version2, in: transaction)
            }
            databases.environment.close()
            let checkpoint = try #require(try Checkpoint.load(from: LogReader(directory: directory).databases))
            #expect(!checkpoint.countsAudits && checkpoint.state.audits.isEmpty, "it has no audits of its own")

            let reopened = try LogStore(directory: directory)
            #expect(reopened.writerState == live, "the checkpoint's state, with its audits counted from the log")
            #expect(reopened.withState { $0.audits[webhook] } == folded)
            await reopened.close()
        }
    }
}
