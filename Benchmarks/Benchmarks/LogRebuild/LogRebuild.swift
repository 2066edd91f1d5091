import Benchmark
import CLMDB
import Foundation
import HookLogCore
import HookLogStore
import Support

/// Rebuild: records/s folding a simulated log into fresh projections with ``Rebuild/replay(_:policy:)``, beside the
/// read limit: a raw LMDB cursor scan of the same log's `log` database. A third figure, decoding every record
/// without folding it, tells decoding's share of the replay apart from the fold's. Two more are judged against the
/// replay: `rebuild --verify`'s work (``Rebuild/verify(_:policy:)``: the replay, the live projections read back and
/// every index counted) on the same log, and the replay of a log of many tenants (10,000 workspaces, 100,000
/// webhooks, 200,000 events, as `hooklog simulate --workspaces 10000 --webhooks 100000 --events 200000` writes it).
///
/// The logs are simulated once (``Simulator``, as `hooklog simulate` writes them) into `HOOKLOG_BENCH_LOG`, or a
/// folder under the temporary directory, and reused while one of the same shape is there. Full runs fold just over
/// 1,000,000 records; `HOOKLOG_BENCH_QUICK=1` about 20,000 (and 2,000 events to 1,000 webhooks in 100 workspaces),
/// once each.
let benchmarks: @Sendable () -> Void = {
    let quick = ProcessInfo.processInfo.environment["HOOKLOG_BENCH_QUICK"] != nil
    // `hooklog simulate` writes about 3.49 records per event with its default 10 workspaces and 50 webhooks at seed 1:
    // 287,000 events make just over 1,000,000 records (282,000 made 983,005).
    let log = SimulatedLog(events: quick ? 5_600 : 287_000)
    let configuration = Benchmark.Configuration(
        metrics: [Figures.recordsPerSecondMetric], warmupIterations: 0,
        maxDuration: .seconds(quick ? 2 : 20), maxIterations: quick ? 1 : 5)

    replay("rebuild replay", of: log, configuration: configuration)

    Benchmark("rebuild verify", configuration: configuration, closure: { benchmark in
        let reader = try LogReader(directory: log.directory)
        let started = ContinuousClock.now
        let report = try Rebuild.verify(reader, policy: .standard)
        let elapsed = (ContinuousClock.now - started) / .seconds(1)
        precondition(report.differences.isEmpty, "the simulated log verifies")
        Figures.recordsPerSecond(benchmark, Int(Double(report.records) / elapsed))
    }, setup: { try await log.prepare() })

    let tenants = quick
        ? SimulatedLog(events: 2_000, workspaces: 100, webhooks: 1_000)
        : SimulatedLog(events: 200_000, workspaces: 10_000, webhooks: 100_000)
    replay("rebuild replay, many tenants", of: tenants, configuration: configuration)

    Benchmark("rebuild decode only", configuration: configuration, closure: { benchmark in
        let reader = try LogReader(directory: log.directory)
        var records = 0
        let started = ContinuousClock.now
        try reader.forEachRecord { entry in
            records += 1
            blackHole(entry.sequence)
            return true
        }
        let elapsed = (ContinuousClock.now - started) / .seconds(1)
        Figures.recordsPerSecond(benchmark, Int(Double(records) / elapsed))
    }, setup: { try await log.prepare() })

    Benchmark("lmdb cursor scan", configuration: configuration, closure: { benchmark in
        let (records, elapsed) = try RawLMDBScan.run(directory: log.directory)
        Figures.recordsPerSecond(benchmark, Int(Double(records) / elapsed))
    }, setup: { try await log.prepare() })
}

/// A benchmark named `name` that folds `log` into fresh projections and notes the records/s.
private func replay(_ name: String, of log: SimulatedLog, configuration: Benchmark.Configuration) {
    Benchmark(name, configuration: configuration, closure: { benchmark in
        let reader = try LogReader(directory: log.directory)
        let started = ContinuousClock.now
        let replayed = try Rebuild.replay(reader, policy: .standard)
        let elapsed = (ContinuousClock.now - started) / .seconds(1)
        blackHole(replayed.state.lastSequence)
        Figures.recordsPerSecond(benchmark, Int(Double(replayed.records) / elapsed))
    }, setup: { try await log.prepare() })
}

/// The read limit: a cursor over the `log` database in one read transaction, reading each value's length and its
/// first and last byte (the pages are mapped; decoding is what the replay adds).
enum RawLMDBScan {
    static func run(directory: String) throws -> (records: Int, seconds: Double) {
        var env: OpaquePointer?
        try LMDBFailure.check(mdb_env_create(&env))
        defer { mdb_env_close(env) }
        try LMDBFailure.check(mdb_env_set_maxdbs(env, 16))
        try LMDBFailure.check(mdb_env_open(env, directory, UInt32(MDB_NOTLS | MDB_RDONLY), 0o600))
        let started = ContinuousClock.now
        var txn: OpaquePointer?
        try LMDBFailure.check(mdb_txn_begin(env, nil, UInt32(MDB_RDONLY), &txn))
        defer { mdb_txn_abort(txn) }
        var dbi = MDB_dbi()
        try LMDBFailure.check(mdb_dbi_open(txn, "log", 0, &dbi))
        var cursor: OpaquePointer?
        try LMDBFailure.check(mdb_cursor_open(txn, dbi, &cursor))
        defer { mdb_cursor_close(cursor) }
        var key = MDB_val()
        var value = MDB_val()
        var records = 0
        var checksum: UInt64 = 0
        var status = mdb_cursor_get(cursor, &key, &value, MDB_FIRST)
        while status == 0 {
            records += 1
            let bytes = UnsafeRawBufferPointer(start: value.mv_data, count: value.mv_size)
            checksum &+= UInt64(bytes.first ?? 0) &+ UInt64(bytes.last ?? 0) &+ UInt64(bytes.count)
            status = mdb_cursor_get(cursor, &key, &value, MDB_NEXT)
        }
        guard status == MDB_NOTFOUND else { try LMDBFailure.check(status); return (records, 0) }
        blackHole(checksum)
        return (records, (ContinuousClock.now - started) / .seconds(1))
    }
}
