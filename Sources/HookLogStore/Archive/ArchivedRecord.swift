/// A record as the archive keeps it: its sequence and the bytes the log stored for it (``RecordCodec``'s encoding).
public struct ArchivedRecord: Hashable, Sendable {
    /// The record's sequence number in the log.
    public var sequence: UInt64
    /// The encoded record, exactly as the log's `log` database holds it.
    public var bytes: [UInt8]

    /// The record at `sequence`, encoded as `bytes`.
    public init(sequence: UInt64, bytes: [UInt8]) {
        self.sequence = sequence
        self.bytes = bytes
    }
}
