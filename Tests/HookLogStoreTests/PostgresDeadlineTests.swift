import HookLogCore
@testable import HookLogStore
import HookLogTestSupport
import Logging
import PostgresNIO
import Testing

/// A PostgreSQL log whose database stops answering: a server that froze, a row lock another transaction holds, a
/// table gone. Each commit or read is refused as unavailable at the log's deadline (here one second), in one sentence,
/// rather than holding its caller until TCP gives up; once the database answers, writes resume by themselves and an
/// event retried with its id is appended once.
///
/// The test's time limit is what fails it should a call be held: postgres-nio's queries cannot be cancelled, and a
/// frozen server keeps its connections open.
@Suite("The log on PostgreSQL when the database stops answering", .serialized, .timeLimit(.minutes(2)))
struct PostgresDeadlineTests {
    private let logger = Logger(label: "hooklog.tests.postgres-deadline")
    private let now = Timestamp(seconds: 1_800_000_000)

    @Test("a server that froze: a commit and a read are refused at the deadline; once it goes on, the event is appended once")
    func frozenServer() async throws {
        try await PostgresCluster.with { cluster in
            let log = try await patiently { try await open(cluster) }
            let workspace = try await patiently { try await PostgresLogTests.createWorkspace(in: log, at: now) }
            try cluster.freeze()
            do {
                try await expectUnavailable(saying: "did not answer within 1.0 seconds") {
                    _ = try await log.execute(.receiveEvent(PostgresLogTests.event(to: workspace, id: "evt_frozen")), at: now)
                }
                try await expectUnavailable(saying: "did not answer within 1.0 seconds") {
                    _ = try await log.queries.records(after: 0, limit: 10, workspace: nil)
                }
                #expect(log.writerFailure == nil, "a database that froze is not a failed writer")
            } catch {
                try cluster.thaw()
                throw error
            }
            try cluster.thaw()
            let received = try await retried(.receiveEvent(PostgresLogTests.event(to: workspace, id: "evt_frozen")), on: log)
            let again = try await patiently {
                try await log.execute(.receiveEvent(PostgresLogTests.event(to: workspace, id: "evt_frozen")), at: now)
            }
            #expect(again == received, "the retried event is answered with its record, not appended again")
            let events = try await patiently { try await log.queries.records(after: 0, limit: 10, workspace: nil) }.filter {
                if case .eventReceived = $0.record.fact { true } else { false }
            }
            #expect(events.count == 1)
            await log.close()
        }
    }

    @Test("a commit that waits for the head row another transaction holds is refused at the deadline; writes go on once it is let go")
    func headRowHeldElsewhere() async throws {
        try await PostgresCluster.with { cluster in
            let log = try await patiently { try await open(cluster) }
            let workspace = try await patiently { try await PostgresLogTests.createWorkspace(in: log, at: now) }
            // A loaded machine may answer the workspace's commit late and have it made twice: count from the head.
            let head = log.withState(\.lastSequence)
            let holder = try await PostgresConnection.connect(
                configuration: try PostgresLocation(parsing: cluster.url).connectionConfiguration(password: cluster.password),
                id: 1, logger: logger)
            try await holder.query("BEGIN", logger: logger)
            try await holder.query("SELECT last_sequence FROM hooklog_head FOR UPDATE", logger: logger)
            try await expectUnavailable(saying: "did not answer within 1.0 seconds") {
                _ = try await log.execute(.receiveEvent(PostgresLogTests.event(to: workspace, id: "evt_held")), at: now)
            }
            try await holder.query("ROLLBACK", logger: logger)
            try await holder.close()
            let received = try await retried(.receiveEvent(PostgresLogTests.event(to: workspace, id: "evt_held")), on: log)
            #expect(received.first?.sequence == head + 1, "the event follows the head it waited behind")
            #expect(log.writerFailure == nil)
            await log.close()
        }
    }

    @Test("what the database refuses, a read or a commit, is one sentence in the server's words, and writes go on after")
    func databaseErrorsAreOneSentence() async throws {
        try await PostgresCluster.with { cluster in
            let log = try await patiently { try await open(cluster) }
            let workspace = try await patiently { try await PostgresLogTests.createWorkspace(in: log, at: now) }
            try cluster.execute("ALTER TABLE hooklog_index RENAME TO hooklog_index_away")
            try await expectUnavailable(saying: #"the log's database failed a read: relation "hooklog_index" does not exist"#) {
                _ = try await log.queries.records(after: 0, limit: 10, workspace: workspace)
            }
            try await expectUnavailable(saying: #"the log's database failed the commit: relation "hooklog_index" does not exist"#) {
                _ = try await log.execute(.createWebhook(workspace, url: "https://endpoint.example/hook", events: [.contactCreated]), at: now)
            }
            try cluster.execute("ALTER TABLE hooklog_index_away RENAME TO hooklog_index")
            let created = try await retried(.createWebhook(workspace, url: "https://endpoint.example/hook", events: [.contactCreated]), on: log)
            #expect(created.first?.sequence == 2, "the refused commit was rolled back whole")
            #expect(try await patiently { try await log.queries.records(after: 0, limit: 10, workspace: workspace) }.count == 2)
            await log.close()
        }
    }

    private func open(_ cluster: PostgresCluster) async throws -> PostgresLog {
        var options = PostgresLog.Options()
        options.deadline = .seconds(1)
        return try await PostgresLog.open(
            try PostgresLocation(parsing: cluster.url), password: cluster.password, options: options, logger: logger)
    }

    /// Expects `body` to be refused as unavailable, in one line that holds `reason`. A refusal for another reason at
    /// the deadline (a loaded machine that kept the answer from coming in time) is tried again.
    private func expectUnavailable(saying reason: String, _ body: () async throws -> Void) async throws {
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while true {
            do {
                try await body()
                Issue.record("not refused: expected unavailable, \(reason)")
                return
            } catch let error as StoreError {
                guard case .unavailable(let said) = error else { throw error }
                if !said.contains(reason) && said.contains(Self.lateAnswer) && ContinuousClock.now < deadline { continue }
                #expect(said.contains(reason), "\(said)")
                #expect(!"\(error)".contains("\n") && !"\(error)".contains("PSQLError"), "\(error)")
                return
            }
        }
    }

    /// What the log says when its database did not answer in time.
    private static let lateAnswer = "did not answer within"

    /// What `body` returns, tried again for up to 30 seconds while the log says its database did not answer in time:
    /// a step that must succeed is not failed by a loaded machine slowing it past the one-second deadline.
    private func patiently<T>(_ body: () async throws -> T) async throws -> T {
        try await retrying(while: { $0.contains(Self.lateAnswer) }, body)
    }

    /// `command`'s records, tried again for up to 30 seconds while the log says it is unavailable, for any reason.
    private func retried(_ command: Command, on log: PostgresLog) async throws -> [LoggedRecord] {
        try await retrying(while: { _ in true }) { try await log.execute(command, at: now) }
    }

    /// What `body` returns, tried again every 200 ms for up to 30 seconds while it is refused as unavailable for a
    /// reason `retries` accepts.
    private func retrying<T>(while retries: (String) -> Bool, _ body: () async throws -> T) async throws -> T {
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while true {
            do {
                return try await body()
            } catch StoreError.unavailable(let said) where retries(said) && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }
}
