import HookLogCore
import NIOCore
import PostgresNIO

/// The reads of a compacted PostgreSQL log (docs/rules.md §3.7): its base snapshot, its last cut, where the next cut
/// goes, and what a compaction pass looks up.
extension PostgresSnapshot {
    /// The base snapshot, checked against its checksum; nil while the log has never been cut.
    func base() async throws -> BaseSnapshot? {
        let rows = try await connection.query("SELECT snapshot FROM hooklog_base", logger: logger)
        for try await bytes in rows.decode(ByteBuffer.self) {
            return try bytes.withUnsafeReadableBytes { try BaseSnapshot.decode($0) }
        }
        return nil
    }

    /// Where every fold of the log starts: its base snapshot, under `policy` from then on, or the empty state for a log
    /// never cut.
    func startingState(policy: DeliveryPolicy) async throws -> HookLogState {
        guard let base = try await base() else { return HookLogState(policy: policy, queueWindow: nil) }
        guard base.state.queueWindow == nil else {
            throw StoreError.baseWindowMismatch(stored: base.state.queueWindow, asked: nil)
        }
        return base.state.governed(by: policy)
    }

    /// The sequence of the base snapshot; 0 while the log has never been cut.
    func baseSequence() async throws -> UInt64 {
        let rows = try await connection.query("SELECT sequence FROM hooklog_base", logger: logger)
        for try await sequence in rows.decode(Int64.self) { return UInt64(sequence) }
        return 0
    }

    /// The `HistoryCompacted` the base snapshot ends with, if the log has been cut.
    func lastCut() async throws -> HistoryCompacted? {
        let base = try await baseSequence()
        guard base > 0, case .historyCompacted(let cut)? = try await record(at: base)?.decoded().record.fact else { return nil }
        return cut
    }

    /// The last sequence a cut at `cutoff` reaches: the end of the run of records older than `cutoff` after the last
    /// cut; nil when the run is empty. Reads the run by sequence up to its first younger record.
    func cutPoint(before cutoff: Timestamp) async throws -> UInt64? {
        let previous = Int64(clamping: try await lastCut()?.through ?? 0)
        var end = Int64.max
        let younger = try await connection.query(
            """
            SELECT sequence FROM hooklog_records WHERE sequence > \(previous) AND at >= \(cutoff.milliseconds)
            ORDER BY sequence LIMIT 1
            """, logger: logger)
        for try await sequence in younger.decode(Int64.self) { end = sequence }
        let last = try await connection.query(
            "SELECT max(sequence) FROM hooklog_records WHERE sequence > \(previous) AND sequence < \(end)", logger: logger)
        for try await through in last.decode(Int64?.self) { return through.map(UInt64.init) }
        return nil
    }

    /// Whether `sequences`, read after `last`, go on from it with no gap: after the base they always do, unless a
    /// compaction removed records since `last` was read.
    static func runWithoutGap(_ sequences: [UInt64], after last: UInt64) -> Bool {
        sequences.enumerated().allSatisfy { $1 == last + 1 + UInt64($0) }
    }

    /// Of `sequences`, those whose records the log still holds.
    func held(among sequences: some Collection<UInt64>) async throws -> Set<UInt64> {
        guard !sequences.isEmpty else { return [] }
        let rows = try await connection.query(
            "SELECT sequence FROM hooklog_records WHERE sequence = ANY(\(sequences.map { Int64(clamping: $0) }))",
            logger: logger)
        var held: Set<UInt64> = []
        for try await sequence in rows.decode(Int64.self) { held.insert(UInt64(sequence)) }
        return held
    }

    /// The sequences the index of `kind` lists under each of `names`, from `start` through `end`, by name.
    func sequences(
        listedUnder names: Set<IndexedName>, in kind: NamedIndex.Kind, from start: UInt64, through end: UInt64
    ) async throws -> [IndexedName: [UInt64]] {
        guard !names.isEmpty else { return [:] }
        let byBytes = Dictionary(uniqueKeysWithValues: names.map { ($0.bytes, $0) })
        let rows = try await connection.query(
            """
            SELECT name, sequence FROM hooklog_index WHERE kind = \(Int16(kind.rawValue))
            AND name = ANY(\(names.map { ByteBuffer(bytes: $0.bytes) })::bytea[])
            AND sequence >= \(Int64(clamping: start)) AND sequence <= \(Int64(clamping: end)) ORDER BY sequence
            """, logger: logger)
        var listed: [IndexedName: [UInt64]] = [:]
        for try await (name, sequence) in rows.decode((ByteBuffer, Int64).self) {
            guard let name = byBytes[Array(buffer: name)] else { continue }
            listed[name, default: []].append(UInt64(sequence))
        }
        return listed
    }
}
