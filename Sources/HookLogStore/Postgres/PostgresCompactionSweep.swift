import HookLogCore
import NIOCore

/// Finds, chunk by chunk, the records at or before a cut of a PostgreSQL log that only concern finished history, by
/// the ``RemovalRules`` the data directory's ``CompactionSweep`` follows, reading the database in snapshots of its
/// own. A chunk is the next records of the log up to the cut and, for each event among them that goes, every record
/// of its deliveries up to the base, found through the index in a few statements for the whole chunk.
struct PostgresCompactionSweep: Sendable {
    private let baseSequence: UInt64
    private let through: UInt64
    private var rules: RemovalRules
    /// Records after the chunk's position already handed over with their event.
    private var gathered: Set<UInt64> = []
    /// The sequence after which the next chunk starts.
    private(set) var position: UInt64 = 0

    /// A pass over the records up to the cut of `base`, whose last record is the `HistoryCompacted` that made it;
    /// `base` keeps its queues whole, as a PostgreSQL log's writer does.
    init(base: HookLogState, through: UInt64) throws {
        baseSequence = base.lastSequence
        self.through = through
        rules = RemovalRules(pinned: try RemovalRules.pendingEvents(of: base, reading: PostgresFoldedLog()))
    }

    /// What one chunk reads from the database.
    private struct Reads: Sendable {
        /// The next records up to the cut.
        var entries: [LoggedRecord] = []
        /// Of the events the records' recoveries queued again, those the log still holds.
        var held: Set<UInt64> = []
        /// For each event among the records that is not pinned, every record of its deliveries up to the base, and
        /// the names of its deliveries.
        var histories: [UInt64: (sequences: Set<UInt64>, deliveries: Set<IndexedName>)] = [:]
    }

    /// Notes that the removal kept these events after all (a delivery of theirs was requested again meanwhile).
    mutating func kept(_ events: some Sequence<UInt64>, of chunk: PostgresCompactionChunk) {
        rules.kept(events, targets: chunk.histories.mapValues(\.targets))
    }

    /// The records to remove among the next `limit` records up to the cut, with the histories of their events, or nil
    /// once the pass has reached the cut.
    mutating func nextChunk(limit: Int, reading queries: PostgresQueries) async throws -> PostgresCompactionChunk? {
        guard position < through else { return nil }
        let reads = try await queries.read { [position, through, baseSequence, pinned = rules.pinned] snapshot in
            try await Self.reads(
                after: position, limit: limit, through: through, base: baseSequence, pinned: pinned, in: snapshot)
        }
        var chunk = PostgresCompactionChunk()
        for entry in reads.entries {
            position = entry.sequence
            guard !gathered.contains(entry.sequence) else { continue }
            switch rules.verdict(on: entry, holds: reads.held.contains) {
            case .stays:
                break
            case .alone:
                chunk.alone.append(entry.sequence)
            case .withItsHistory(let eventID):
                guard case .eventReceived(let fact) = entry.record.fact, let found = reads.histories[entry.sequence] else { continue }
                var history = PostgresCompactionChunk.History(event: IndexedName(eventID), deliveries: found.deliveries)
                history.sequences = found.sequences.sorted().filter { gathered.insert($0).inserted }
                history.targets = fact.deliveries.map(\.webhookID)
                chunk.histories[entry.sequence] = history
            }
        }
        if reads.entries.count < limit { position = through }
        return chunk
    }

    /// The next `limit` records after `position` up to `through`, the events their recoveries name that the log still
    /// holds, and the histories of their events that are not `pinned`: the event's record and what the delivery
    /// index lists under each of its deliveries, redeliveries included, up to `base`, recoveries left out (one goes on
    /// its own). The event index is read only for the redeliveries: it lists under an event id the records of every
    /// workspace that sent an event with that id, and another workspace's event is another history.
    private static func reads(
        after position: UInt64, limit: Int, through: UInt64, base: UInt64, pinned: Set<UInt64>,
        in snapshot: PostgresSnapshot
    ) async throws -> Reads {
        var reads = Reads()
        reads.entries = try await snapshot.records(after: position, limit: limit).map { try $0.decoded() }
            .filter { $0.sequence <= through }
        var recovered: Set<UInt64> = []
        var received: [(sequence: UInt64, fact: EventReceived)] = []
        for entry in reads.entries {
            switch entry.record.fact {
            case .deliveriesRecovered(let fact): recovered.formUnion(fact.deliveries.map(\.eventSequence))
            case .eventReceived(let fact) where !pinned.contains(entry.sequence): received.append((entry.sequence, fact))
            default: break
            }
        }
        reads.held = try await snapshot.held(among: recovered.subtracting(pinned))
        guard let first = received.first?.sequence else { return reads }
        var deliveries: [IndexedName: UInt64] = [:]
        for (sequence, fact) in received {
            for delivery in fact.deliveries { deliveries[IndexedName(delivery.deliveryID)] = sequence }
        }
        let byEvent = try await snapshot.sequences(
            listedUnder: Set(received.map { IndexedName($0.fact.eventID) }), in: .events, from: first, through: base)
        let events = Set(received.map(\.sequence))
        let others = Set(byEvent.values.joined()).subtracting(events)
        for record in try await snapshot.records(at: Array(others)) {
            guard case .redeliveryRequested(let redelivery) = try record.decoded().record.fact,
                  events.contains(redelivery.delivery.eventSequence)
            else { continue }
            deliveries[IndexedName(redelivery.delivery.deliveryID)] = redelivery.delivery.eventSequence
        }
        let byDelivery = try await snapshot.sequences(listedUnder: Set(deliveries.keys), in: .deliveries, from: first, through: base)
        var listed: [UInt64: UInt64] = [:]
        for (name, sequences) in byDelivery {
            guard let event = deliveries[name] else { continue }
            for sequence in sequences where sequence >= event { listed[sequence] = event }
        }
        for event in events { reads.histories[event] = ([event], []) }
        for (name, event) in deliveries { reads.histories[event]?.deliveries.insert(name) }
        for record in try await snapshot.records(at: Array(listed.keys)) {
            guard let event = listed[record.sequence],
                  !record.bytes.withUnsafeReadableBytes(RecordCodec.isDeliveriesRecovered)
            else { continue }
            reads.histories[event]?.sequences.insert(record.sequence)
        }
        return reads
    }
}
