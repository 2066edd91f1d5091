import Crypto
import HookLogCore

/// The search index `by_value` (storage format 7): the records that create deliveries (an `EventReceived`, a
/// `RedeliveryRequested`), listed under each searchable text of their event's data (``DataSearch``) in their event's
/// workspace, so that a search of a webhook's deliveries (`?q=`) reads the records that may match, newest first,
/// instead of every record of the webhook.
///
/// A key is 8 bytes: the run of 2^``runBits`` sequences the record falls in (its sequence shifted right by
/// `runBits`) in the top 24 bits, then the first 40 bits of the SHA-256 of the workspace id, a 0 byte and the text.
/// Its values are the sequences of the records, 8 bytes each, sorted, like every other index's (``LogKeys``). A search
/// goes back through the runs from its page's cursor, and in each seeks the text's key and reads its values newest
/// first. Runs keep the pages a commit writes few: a text's key is a random place in the index, but only among the
/// keys of the latest run, never among those of the whole history, whose pages stay as they were written until
/// compaction removes their entries. Two texts may share a key: a reader checks each record it finds against its
/// event's data and webhook before it answers with it.
struct ValueIndex: Sendable {
    /// The run size of a directory that does not say otherwise: 2¹⁸ records, about 75,000 events.
    static let standardRunBits: UInt8 = 18
    /// Where `meta` keeps ``runBits``, set when the directory gets its search index.
    static let runBitsKey = Array("value_run_bits".utf8)
    /// How many bits of a key the hash takes, below the run.
    private static let hashBits = 40

    /// The `by_value` database.
    let database: LMDBDatabase
    /// The `log` database, where a redelivery's event is read.
    let log: LMDBDatabase
    /// How many low bits of a sequence a run leaves out.
    let runBits: UInt8

    /// The run of the record at `sequence`.
    func run(of sequence: UInt64) -> UInt64 {
        sequence >> runBits
    }

    /// The run a key belongs to.
    static func run(ofKey key: UInt64) -> UInt64 {
        key >> hashBits
    }

    /// The key `text` of an event of `workspace` is listed under in `run`.
    static func key(of text: [UInt8], in workspace: WorkspaceID, run: UInt64) -> UInt64 {
        key(of: text, continuing: hash(of: workspace), run: run)
    }

    /// The keys `entry` is listed under, each once: those of its event's searchable texts in its event's workspace and
    /// its run, for a record that creates deliveries (``event(of:log:in:)``); none for any other.
    func keys<Access>(of entry: LoggedRecord, in transaction: borrowing LMDBTransaction<Access>) throws -> Set<UInt64> {
        guard let received = try Self.event(of: entry.record, log: log, in: transaction) else { return [] }
        return Self.keys(of: received.data, in: received.workspaceID, run: run(of: entry.sequence))
    }

    /// The keys an event of `workspace` with `data` is listed under in `run`, each once.
    static func keys(of data: [UInt8], in workspace: WorkspaceID, run: UInt64) -> Set<UInt64> {
        let workspace = hash(of: workspace)
        var keys: Set<UInt64> = []
        DataSearch.forEachSearchableText(in: data) { keys.insert(key(of: $0, continuing: workspace, run: run)) }
        return keys
    }

    /// The hash of the workspace's id and the 0 byte after it, which the hash of each of its texts continues: taken
    /// once per event, not once per text.
    private static func hash(of workspace: WorkspaceID) -> SHA256 {
        var hash = SHA256()
        var id = workspace.rawValue
        id.withUTF8 { hash.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        withUnsafeBytes(of: UInt8(0)) { hash.update(bufferPointer: $0) }
        return hash
    }

    /// The key of `text` in `run`, its hash continuing `workspace`'s (``hash(of:)``).
    private static func key(of text: [UInt8], continuing workspace: SHA256, run: UInt64) -> UInt64 {
        var hash = workspace
        text.withUnsafeBytes { hash.update(bufferPointer: $0) }
        let digest = hash.finalize().withUnsafeBytes { $0.loadUnaligned(as: UInt64.self).bigEndian }
        return run << hashBits | digest >> (64 - hashBits)
    }

    /// The event `record` brings (an `EventReceived`) or delivers again (a `RedeliveryRequested`, whose event is read
    /// from `log` in `transaction`); nil for another record, or when the log no longer holds the event.
    static func event<Access>(
        of record: Record, log: LMDBDatabase, in transaction: borrowing LMDBTransaction<Access>
    ) throws -> EventReceived? {
        switch record.fact {
        case .eventReceived(let fact):
            return fact
        case .redeliveryRequested(let fact):
            let sequence = fact.delivery.eventSequence
            return try transaction.withValue(LogKeys.sequence(sequence), in: log) { bytes in
                guard case .eventReceived(let fact) = try LogReader.decode(bytes, sequence).fact else { return nil }
                return fact
            } ?? nil
        default:
            return nil
        }
    }
}
