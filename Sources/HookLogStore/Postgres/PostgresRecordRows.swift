import HookLogCore
import Logging
import NIOCore
import PostgresNIO

/// Records and their index rows, gathered to be written by one `INSERT` of each table (`unnest` of arrays): how the
/// appender writes a commit, and a copy a page of records (``PostgresRestore``).
struct PostgresRecordRows {
    private var sequences: [Int64] = []
    private var times: [Int64] = []
    private var bodies: [ByteBuffer] = []
    private var kinds: [Int16] = []
    private var names: [ByteBuffer] = []
    private var listed: [Int64] = []

    /// Adds `entry`, encoded as `bytes`, listed under the names `names` gives for each index.
    mutating func add(_ entry: LoggedRecord, bytes: [UInt8], names: (NamedIndex.Kind) -> some Sequence<IndexedName>) {
        let sequence = Int64(entry.sequence)
        sequences.append(sequence)
        times.append(entry.record.at.milliseconds)
        bodies.append(ByteBuffer(bytes: bytes))
        for kind in NamedIndex.Kind.allCases {
            for name in names(kind) {
                kinds.append(Int16(kind.rawValue))
                self.names.append(ByteBuffer(bytes: name.bytes))
                listed.append(sequence)
            }
        }
    }

    /// Inserts the records, then their index rows, in the transaction under way on `connection`.
    func insert(on connection: PostgresConnection, logger: Logger) async throws {
        guard !sequences.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO hooklog_records (sequence, at, record)
            SELECT * FROM unnest(\(sequences)::bigint[], \(times)::bigint[], \(bodies)::bytea[])
            """, logger: logger)
        guard !kinds.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO hooklog_index (kind, name, sequence)
            SELECT * FROM unnest(\(kinds)::smallint[], \(names)::bytea[], \(listed)::bigint[])
            """, logger: logger)
    }
}
