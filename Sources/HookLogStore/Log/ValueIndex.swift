import Crypto
import HookLogCore

/// The search index `by_value` (storage format 7): the records that create deliveries (an `EventReceived`, a
/// `RedeliveryRequested`), listed under each searchable text of their event's data (``DataSearch``) in their event's
/// workspace, so that a search of a webhook's deliveries (`?q=`) reads the records that may match, newest first,
/// instead of every record of the webhook.
///
/// A key is 8 bytes: the first 8 bytes of the SHA-256 of the workspace id, a 0 byte and the text. Its values are the
/// sequences of the records, 8 bytes each, sorted, like every other index's (``LogKeys``), so that a search seeks the
/// key's last value before a page's cursor and goes back from there. Two texts may share a key: a reader checks each
/// record it finds against its event's data and workspace before it answers with it.
enum ValueIndex {
    /// The key `text` of an event of `workspace` is listed under.
    static func key(of text: some Sequence<UInt8>, in workspace: WorkspaceID) -> UInt64 {
        var hash = SHA256()
        hash.update(data: Array(workspace.rawValue.utf8) + [0])
        hash.update(data: Array(text))
        return hash.finalize().withUnsafeBytes { $0.loadUnaligned(as: UInt64.self).bigEndian }
    }

    /// The keys `record` is listed under, each once: those of its event's searchable texts in its event's workspace,
    /// for a record that creates deliveries (``event(of:log:in:)``); none for any other.
    static func keys<Access>(
        of record: Record, log: LMDBDatabase, in transaction: borrowing LMDBTransaction<Access>
    ) throws -> Set<UInt64> {
        guard let received = try event(of: record, log: log, in: transaction) else { return [] }
        return Set(DataSearch.searchableTexts(in: received.data).map { key(of: $0, in: received.workspaceID) })
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
            return try transaction.withValue(LogKeys.sequence(sequence), in: log) { try receivedEvent($0, sequence) } ?? nil
        default:
            return nil
        }
    }

    /// The event the encoded record `bytes` at `sequence` brings; nil when it is another record.
    static func receivedEvent(_ bytes: UnsafeRawBufferPointer, _ sequence: UInt64) throws -> EventReceived? {
        guard case .eventReceived(let fact) = try LogReader.decode(bytes, sequence).fact else { return nil }
        return fact
    }
}
