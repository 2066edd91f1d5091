/// The log was cut behind this record (docs/rules.md §3.7): records at or before `through` that only concern finished
/// history may be removed from then on, and skipped deliveries set aside by disables older than `before`, the
/// retention's cut-off, are forgotten, as if their webhooks had been enabled without recovering them. The state
/// right after this record is the log's base snapshot: folding it and the records after it gives the live state.
///
/// Which skipped deliveries expire follows from the record and the state: for each webhook disabled before `before`,
/// the run of its skipped deliveries, from the first, whose events are at or before `through`. Those beyond a queue's
/// window are in the log only, so the record says how many of them the run takes and where the rest starts
/// (``ExpiredSkips``); a state that holds every delivery in RAM needs no such count and comes to the same.
public struct HistoryCompacted: FactPayload {
    /// How many of a disabled webhook's skipped deliveries beyond its window expire, the whole window's having
    /// expired: the first `count`; `next` is where the remaining ones start, nil when none remain.
    public struct ExpiredSkips: Hashable, Sendable, BinaryCodable {
        public var webhookID: WebhookID
        public var count: Int
        public var next: QueuePosition?

        public init(webhookID: WebhookID, count: Int, next: QueuePosition?) {
            self.webhookID = webhookID
            self.count = count
            self.next = next
        }

        public func encode(to writer: inout BinaryWriter) {
            writer.write(webhookID)
            writer.write(count)
            writer.write(next) { writer, position in
                writer.write(position.sequence)
                writer.write(position.index)
            }
        }

        public init(from reader: inout BinaryReader) throws(DecodingFailure) {
            self.init(
                webhookID: try reader.read(), count: try reader.readInt(),
                next: try reader.readOptional { reader throws(DecodingFailure) in
                    QueuePosition(sequence: try reader.readUInt64(), index: try reader.readInt())
                })
        }
    }

    /// The last sequence whose record may be removed: the last record older than `before` when the cut was made.
    public var through: UInt64
    /// The retention's cut-off: history from this time on is kept whole.
    public var before: Timestamp
    /// The skipped deliveries beyond queue windows that expire with this cut.
    public var expiredBeyondWindows: [ExpiredSkips]

    public init(through: UInt64, before: Timestamp, expiredBeyondWindows: [ExpiredSkips]) {
        self.through = through
        self.before = before
        self.expiredBeyondWindows = expiredBeyondWindows
    }

    public static var tag: FactTag { .historyCompacted }
    public static var name: String { "HistoryCompacted" }
    public var fact: Fact { .historyCompacted(self) }

    public var fields: [(String, JSONValue)] {
        [("through", .int(Int64(through))), ("before", .string(before.rfc3339))]
    }

    /// A fact about the whole log, listed under no workspace, webhook or event.
    public func indexKeys(in state: HookLogState) -> IndexKeys {
        IndexKeys()
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(through)
        writer.write(before)
        writer.write(expiredBeyondWindows) { $0.write($1) }
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(
            through: try reader.readUInt64(), before: try reader.read(),
            expiredBeyondWindows: try reader.readArray { reader throws(DecodingFailure) in try reader.read() })
    }
}
