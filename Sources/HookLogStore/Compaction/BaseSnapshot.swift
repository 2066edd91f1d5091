import Crypto
import HookLogCore

/// The full projection state right after the log's last `HistoryCompacted` record (docs/rules.md §3.7): the log's
/// base. Folding it and the records after it gives the live state, so the records before it that only concern
/// finished history may be removed.
///
/// Stored in `meta` as a ``PiecedValue`` named ``key`` (``LogDatabases/base``): the base's sequence (8 bytes, big-endian), the state as a
/// ``Checkpoint`` encodes it, then the SHA-256 of everything before. Unlike a checkpoint, a base is never passed
/// over: once records behind it are gone, nothing else can stand in for it, so one that does not match its checksum is
/// an error.
struct BaseSnapshot: Sendable {
    static let key = Array("base".utf8)
    private static let digestBytes = SHA256.byteCount

    var state: HookLogState
    /// Whether the state holds the audits (``Checkpoint/countsAudits``): false for a base written before it did.
    var countsAudits = true

    /// The sequence of the `HistoryCompacted` record the state ends with.
    var sequence: UInt64 { state.lastSequence }

    func encoded() throws -> [UInt8] {
        Self.sealed(sequence: sequence, checkpoint: try Checkpoint(state: state).encoded())
    }

    /// The stored form of a base at `sequence` whose state `checkpoint` encodes: the sequence, the checkpoint, then
    /// the SHA-256 of both.
    static func sealed(sequence: UInt64, checkpoint: [UInt8]) -> [UInt8] {
        let body = LogKeys.sequence(sequence) + checkpoint
        return body + Array(SHA256.hash(data: body))
    }

    /// Decodes a stored base, checking its checksum first.
    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> BaseSnapshot {
        guard bytes.count > 8 + digestBytes else { throw StoreError.corruptBase("it is \(bytes.count) bytes long") }
        let body = UnsafeRawBufferPointer(rebasing: bytes[..<(bytes.count - digestBytes)])
        guard Array(SHA256.hash(data: body)) == Array(bytes[(bytes.count - digestBytes)...]) else {
            throw StoreError.corruptBase("its SHA-256 does not match its contents")
        }
        let sequence = LogKeys.sequence(from: UnsafeRawBufferPointer(rebasing: body[..<8]))
        let checkpoint = try Checkpoint.decode(UnsafeRawBufferPointer(rebasing: body[8...]))
        guard checkpoint.state.lastSequence == sequence else {
            throw StoreError.corruptBase("it says sequence \(sequence) but holds the state at \(checkpoint.state.lastSequence)")
        }
        return BaseSnapshot(state: checkpoint.state, countsAudits: checkpoint.countsAudits)
    }

    /// The base stored in `databases`, read in the caller's transaction; nil while the log has never been cut.
    static func load(from databases: LogDatabases, in transaction: borrowing ReadTransaction) throws -> BaseSnapshot? {
        try databases.base.withValue(in: transaction) { bytes in try decode(bytes) }
    }

    /// The sequence of the stored base, read from its first bytes alone; 0 while the log has never been cut.
    static func sequence(in databases: LogDatabases, in transaction: borrowing ReadTransaction) throws -> UInt64 {
        try databases.base.withFirstPiece(in: transaction) { bytes in
            bytes.count >= 8 ? LogKeys.sequence(from: UnsafeRawBufferPointer(rebasing: bytes[..<8])) : 0
        } ?? 0
    }
}
