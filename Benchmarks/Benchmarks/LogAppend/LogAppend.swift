import Benchmark
import CLMDB
import Foundation
import HookLogCore
import HookLogStore
import Support

/// Durable append: records/s through ``LogStore``'s group commit with 1, 16, 256 and 4,096 concurrent appenders,
/// beside the storage limit: a tight loop over LMDB's C API putting the same record bytes with `MDB_APPEND` and
/// committing after every record and after every 1,000.
///
/// Every figure is the custom metric `records/s`, timed around the appends alone (opening the store, creating its
/// workspace and webhook, and encoding the records are outside it). `HOOKLOG_BENCH_QUICK=1` runs each once, small.
let benchmarks: @Sendable () -> Void = {
    let quick = ProcessInfo.processInfo.environment["HOOKLOG_BENCH_QUICK"] != nil
    let configuration = Benchmark.Configuration(
        metrics: [Figures.recordsPerSecondMetric], warmupIterations: 0,
        maxDuration: .seconds(quick ? 2 : 30), maxIterations: quick ? 1 : 3)

    for appenders in [1, 16, 256, 4_096] {
        let total = AppendFixture.total(appenders: appenders, quick: quick)
        Benchmark("store append, \(appenders) appenders", configuration: configuration) { benchmark in
            let fixture = try await AppendFixture.open()
            let records = fixture.records(total)
            let seconds = try await fixture.append(records, appenders: appenders)
            await fixture.close()
            Figures.recordsPerSecond(benchmark, Int(Double(total) / seconds))
        }
    }

    // The same 4,096 appenders with the store's periodic checkpoint pushed beyond the run: a full run's 102,400
    // records cross the default interval (100,000) once, and that checkpoint encodes every queued delivery on the
    // checkpointer's thread beside the writer, then rides a commit. The difference between the two figures is its cost.
    Benchmark("store append, 4096 appenders, no checkpoint", configuration: configuration) { benchmark in
        var options = LogStore.Options()
        options.checkpointInterval = .max
        let total = AppendFixture.total(appenders: 4_096, quick: quick)
        let fixture = try await AppendFixture.open(options: options)
        let records = fixture.records(total)
        let seconds = try await fixture.append(records, appenders: 4_096)
        await fixture.close()
        Figures.recordsPerSecond(benchmark, Int(Double(total) / seconds))
    }

    for (recordsPerCommit, total) in [(1, quick ? 100 : 1_000), (1_000, quick ? 20_000 : 200_000)] {
        Benchmark("lmdb append, commit every \(recordsPerCommit)", configuration: configuration) { benchmark in
            let values = AppendFixture.sampleValues()
            let seconds = try RawLMDBAppend.run(values: values, total: total, recordsPerCommit: recordsPerCommit)
            Figures.recordsPerSecond(benchmark, Int(Double(total) / seconds))
        }
    }
}

/// A fresh store with one workspace and one webhook subscribed to `message.received`, and ~300-byte
/// `EventReceived` records fanning out to it.
struct AppendFixture: Sendable {
    let directory: String
    let store: LogStore
    let workspaceID: WorkspaceID
    let webhookID: WebhookID

    /// Records appended per run: enough for each appender to append several times, and for the run to last a few
    /// seconds at the store's rate.
    static func total(appenders: Int, quick: Bool) -> Int {
        switch appenders {
        case 1: quick ? 100 : 1_000
        case 16: quick ? 800 : 8_000
        case 256: quick ? 2_560 : 51_200
        default: appenders * (quick ? 2 : 25)
        }
    }

    static func open(options: LogStore.Options = LogStore.Options()) async throws -> AppendFixture {
        let directory = temporaryDirectory("append")
        let store = try LogStore(directory: directory, options: options)
        let now = Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
        let created = try await store.execute(
            .createWorkspace(name: "Bench", plan: .enterprise, ownerEmail: "owner@bench.example"), at: now)
        guard case .workspaceCreated(let workspace) = created[0].record.fact else { fatalError("no workspace") }
        let webhook = try await store.execute(
            .createWebhook(workspace.workspaceID, url: "https://receiver.example/hook", events: [.messageReceived]), at: now)
        guard case .webhookCreated(let created) = webhook[0].record.fact else { fatalError("no webhook") }
        return AppendFixture(directory: directory, store: store, workspaceID: workspace.workspaceID, webhookID: created.webhookID)
    }

    /// `count` distinct records, each with its own event and delivery id.
    func records(_ count: Int) -> [Record] {
        var ids = IdentifierSource(SeededGenerator(seed: 7))
        return (0..<count).map { _ in Self.record(workspaceID: workspaceID, webhookID: webhookID, ids: &ids) }
    }

    static func record(workspaceID: WorkspaceID, webhookID: WebhookID, ids: inout IdentifierSource<SeededGenerator>) -> Record {
        let at = Timestamp(seconds: 1_767_225_600)
        return Record(at: at, .eventReceived(EventReceived(
            eventID: ids.next(at: at), workspaceID: workspaceID, type: .messageReceived, occurredAt: at, data: payload,
            idempotencyKey: nil, deliveries: [.init(deliveryID: ids.next(at: at), webhookID: webhookID)])))
    }

    /// The event's `data`, sized so that an encoded record is about 300 bytes.
    static let payload = Array(
        #"{"conversation":{"id":"c_81273","channel":"whatsapp"},"contact":{"id":"ct_99881","name":"Ada Lovelace"},"message":{"id":"m_5512","text":"Hello, is my order on its way? It was due yesterday."}}"#
            .utf8)

    /// The encoded bytes of distinct records, for the raw LMDB baseline to put.
    static func sampleValues() -> [[UInt8]] {
        var ids = IdentifierSource(SeededGenerator(seed: 11))
        let at = Timestamp(seconds: 1_767_225_600)
        let workspaceID: WorkspaceID = ids.next(at: at)
        let webhookID: WebhookID = ids.next(at: at)
        return (0..<1_000).map { _ in RecordCodec.encode(record(workspaceID: workspaceID, webhookID: webhookID, ids: &ids)) }
    }

    /// Appends `records` from `appenders` concurrent tasks, each one record per `append`, and returns the seconds
    /// from the first append to the last one's durable return.
    func append(_ records: [Record], appenders: Int) async throws -> Double {
        let store = store
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for appender in 0..<appenders {
                group.addTask {
                    for index in stride(from: appender, to: records.count, by: appenders) {
                        _ = try await store.append([records[index]])
                    }
                }
            }
            try await group.waitForAll()
        }
        return (ContinuousClock.now - started) / .seconds(1)
    }

    func close() async {
        await store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// The storage limit: LMDB's C API with no Swift layer, putting record bytes under big-endian sequence keys with
/// `MDB_APPEND` into a named database of an environment opened as the store opens its own (`MDB_NOTLS`, synced).
enum RawLMDBAppend {
    static func run(values: [[UInt8]], total: Int, recordsPerCommit: Int) throws -> Double {
        let directory = temporaryDirectory("lmdb")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var env: OpaquePointer?
        try LMDBFailure.check(mdb_env_create(&env))
        defer { mdb_env_close(env) }
        try LMDBFailure.check(mdb_env_set_mapsize(env, 4 << 30))
        try LMDBFailure.check(mdb_env_set_maxdbs(env, 4))
        try LMDBFailure.check(mdb_env_open(env, directory, UInt32(MDB_NOTLS), 0o600))
        var dbi = MDB_dbi()
        var txn: OpaquePointer?
        try LMDBFailure.check(mdb_txn_begin(env, nil, 0, &txn))
        try LMDBFailure.check(mdb_dbi_open(txn, "log", UInt32(MDB_CREATE), &dbi))
        try LMDBFailure.check(mdb_txn_commit(txn))

        let started = ContinuousClock.now
        var sequence: UInt64 = 0
        while sequence < UInt64(total) {
            try LMDBFailure.check(mdb_txn_begin(env, nil, 0, &txn))
            for _ in 0..<min(recordsPerCommit, total - Int(sequence)) {
                sequence += 1
                var key = sequence.bigEndian
                let value = values[Int(sequence) % values.count]
                let status = withUnsafeMutableBytes(of: &key) { keyBytes in
                    value.withUnsafeBytes { valueBytes in
                        var k = MDB_val(mv_size: keyBytes.count, mv_data: keyBytes.baseAddress)
                        var v = MDB_val(mv_size: valueBytes.count, mv_data: UnsafeMutableRawPointer(mutating: valueBytes.baseAddress))
                        return mdb_put(txn, dbi, &k, &v, UInt32(MDB_APPEND))
                    }
                }
                try LMDBFailure.check(status)
            }
            try LMDBFailure.check(mdb_txn_commit(txn))
        }
        return (ContinuousClock.now - started) / .seconds(1)
    }
}
