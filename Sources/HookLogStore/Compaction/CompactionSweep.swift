import HookLogCore

/// Finds, chunk by chunk, the records at or before a cut that only concern finished history (docs/rules.md §3.7),
/// reading the log in its own read transactions, off the writer's thread, by the ``RemovalRules``.
struct CompactionSweep: Sendable {
    private let reader: LogReader
    private let base: HookLogState
    private let through: UInt64
    private var rules: RemovalRules
    /// Records after the chunk's position already handed over with their event.
    private var gathered: Set<UInt64> = []
    private var candidates: IndexCandidates
    /// The sequence after which the next chunk starts.
    private(set) var position: UInt64 = 0

    /// A pass over the records up to the cut of `base`, whose last record is the `HistoryCompacted` that made it.
    init(reader: LogReader, base: HookLogState, through: UInt64) throws {
        self.reader = reader
        self.base = base
        self.through = through
        candidates = IndexCandidates(base: base)
        rules = RemovalRules(pinned: try reader.databases.environment.read { transaction in
            try reader.withQueuedDeliveries(in: transaction) { log in try RemovalRules.pendingEvents(of: base, reading: log) }
        })
    }

    /// Notes that the writer kept these events after all (a delivery of theirs was requested again meanwhile).
    mutating func kept(_ events: some Sequence<UInt64>, of chunk: CompactionChunk) {
        rules.kept(events, targets: chunk.targets)
    }

    /// The next records to remove, about `limit` (an event goes with all its records, which may take it over), or
    /// nil once the pass has reached the cut.
    mutating func nextChunk(limit: Int) throws -> CompactionChunk? {
        guard position < through else { return nil }
        return try reader.databases.environment.read { transaction in
            var chunk = CompactionChunk()
            try reader.forEachRecord(in: transaction, after: position) { entry in
                guard entry.sequence <= through else {
                    position = through
                    return false
                }
                position = entry.sequence
                guard !gathered.contains(entry.sequence) else { return true }
                switch try rules.verdict(on: entry, holds: { try reader.holdsRecord(at: $0, in: transaction) }) {
                case .stays:
                    break
                case .alone:
                    chunk.removals.append(try removal(of: entry, event: nil, in: transaction))
                case .withItsHistory(let eventID):
                    try gatherHistory(of: entry, eventID: eventID, into: &chunk, in: transaction)
                }
                return chunk.removals.count < limit
            }
            if chunk.removals.count < limit { position = through }
            return chunk
        }
    }

    /// Adds the event `received` records and every record of its deliveries, redeliveries included, up to the base, to
    /// the chunk: the event's record, and what the delivery index lists under each of those deliveries. The event
    /// index is read only for the redeliveries: it lists under an event id the records of every workspace that sent
    /// an event with that id, and another workspace's event is another history.
    private mutating func gatherHistory(
        of received: LoggedRecord, eventID: EventID, into chunk: inout CompactionChunk,
        in transaction: borrowing ReadTransaction
    ) throws {
        guard case .eventReceived(let fact) = received.record.fact else { return }
        var sequences: Set<UInt64> = []
        var deliveries = fact.deliveries.map(\.deliveryID)
        try reader.forEachSequence(
            listedUnder: IndexedName(eventID), in: reader.databases.byEvent, from: received.sequence,
            in: transaction
        ) { sequence in
            guard sequence <= base.lastSequence else { return false }
            if case .redeliveryRequested(let redelivery) = try reader.record(at: sequence, in: transaction).record.fact,
               redelivery.delivery.eventSequence == received.sequence {
                deliveries.append(redelivery.delivery.deliveryID)
            }
            return true
        }
        for deliveryID in deliveries {
            try reader.forEachSequence(
                listedUnder: IndexedName(deliveryID), in: reader.databases.byDelivery,
                from: received.sequence, in: transaction
            ) { sequence in
                guard sequence <= base.lastSequence else { return false }
                if try !reader.withRecordBytes(at: sequence, in: transaction, RecordCodec.isDeliveriesRecovered) {
                    sequences.insert(sequence)
                }
                return true
            }
        }
        sequences.insert(received.sequence)
        for sequence in sequences.sorted() where !gathered.contains(sequence) {
            gathered.insert(sequence)
            let entry = try reader.record(at: sequence, in: transaction)
            chunk.removals.append(try removal(of: entry, event: (received.sequence, eventID), in: transaction))
        }
        chunk.targets[received.sequence] = fact.deliveries.map(\.webhookID)
    }

    /// `entry` as a removal: its bytes and every index entry that may list it, `event` being the event whose history
    /// it belongs to, if any.
    private mutating func removal(
        of entry: LoggedRecord, event: (sequence: UInt64, id: EventID)?, in transaction: borrowing ReadTransaction
    ) throws -> CompactionChunk.Removal {
        let keys = try candidates.keys(of: entry, event: event?.id, in: reader, in: transaction)
        let databases = reader.databases
        var entries = [
            IndexEntry(
                database: databases.byTime, key: LogKeys.timeIndexKey(entry.record.at),
                value: LogKeys.timeIndexValue(entry.record.at, entry.sequence))
        ]
        if let values = databases.values {
            for key in try values.keys(of: entry, in: transaction) {
                entries.append(IndexEntry(database: values.database, key: LogKeys.number(key), value: LogKeys.sequence(entry.sequence)))
            }
        }
        var names: [NamedIndex.Kind: Set<IndexedName>] = [:]
        if let naming = databases.naming {
            for index in databases.namedIndexes {
                for name in Set(index.names(in: keys)) {
                    guard let key = try naming.key(of: name, in: index, in: transaction) else { continue }
                    entries.append(
                        IndexEntry(database: index.database, key: LogKeys.number(key), value: LogKeys.sequence(entry.sequence)))
                    names[index.kind, default: []].insert(name)
                }
            }
        }
        let bytes = try reader.withRecordBytes(at: entry.sequence, in: transaction) { Array($0) }
        return CompactionChunk.Removal(
            sequence: entry.sequence, bytes: bytes, events: event.map { [$0.sequence] } ?? [], indexEntries: entries,
            names: names)
    }
}
