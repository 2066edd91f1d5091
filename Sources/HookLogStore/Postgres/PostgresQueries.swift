public import HookLogCore
import Logging
import PostgresNIO

/// The queries of a PostgreSQL log (``LogQueries``), each read in one snapshot (``PostgresSnapshot``) of what
/// committed, so any node can serve them. Their answers are the data directory's: the same indexes list the same
/// records, and the same folds (``DeliveryFold``, ``DeliveryPaging``, ``RecoverablePaging``) make pages of them.
///
/// A page of a webhook's log that searches a text reads the webhook's records and tests each event's data, where the
/// data directory reads a search index; such a page examines at most `scanLimit` of the webhook's records.
public struct PostgresQueries: LogQueries {
    let client: PostgresClient
    let logger: Logger
    /// How long one read waits for the database: a server's reads answer within it or are refused
    /// (``StoreError/unavailable(_:)``); the command line's wait as long as a whole log takes.
    let deadline: PostgresDeadline

    /// How many of a webhook's records a page of its log reads from the database at once.
    private static let pageBatch = 256
    /// How many records one read of a fold of the whole log brings.
    private static let foldBatch = 10_000

    /// Runs `body` in one snapshot, within the deadline; `singleStatement` when it makes one statement. What the
    /// database or the connection to it fails with is ``StoreError/unavailable(_:)``.
    func read<T: Sendable>(
        singleStatement: Bool = false, _ body: @escaping @Sendable (PostgresSnapshot) async throws -> T
    ) async throws -> T {
        do {
            return try await deadline.run(on: client) { [logger] connection in
                try await PostgresSnapshot.read(on: connection, logger: logger, singleStatement: singleStatement, body)
            }
        } catch {
            throw PostgresReachability.refusal(of: error, "the log's database failed a read")
        }
    }

    public func lastSequence() async throws -> UInt64 {
        try await read(singleStatement: true) { try await $0.lastSequence() }
    }

    public func records(after: UInt64, limit: Int, workspace: WorkspaceID?) async throws -> [LoggedRecord] {
        guard limit > 0, after < .max else { return [] }
        return try await read(singleStatement: true) { snapshot in
            if let workspace {
                try await snapshot.records(listedUnder: IndexedName(workspace), in: .workspaces, from: after + 1, limit: limit)
            } else {
                try await snapshot.records(after: after, limit: limit)
            }
        }.map { try $0.decoded() }
    }

    public func record(at sequence: UInt64) async throws -> LoggedRecord? {
        try await read(singleStatement: true) { try await $0.record(at: sequence) }?.decoded()
    }

    public func records(ofWebhook webhookID: WebhookID) async throws -> [LoggedRecord] {
        try await read(singleStatement: true) { try await $0.records(listedUnder: IndexedName(webhookID), in: .webhooks, from: 0) }
            .map { try $0.decoded() }
    }

    public func latestRecords(ofWebhook webhookID: WebhookID, limit: Int) async throws -> [LoggedRecord] {
        guard limit > 0 else { return [] }
        return try await read(singleStatement: true) { snapshot in
            try await snapshot.records(listedUnder: IndexedName(webhookID), in: .webhooks, from: .max, reverse: true, limit: limit)
        }.map { try $0.decoded() }
    }

    public func event(_ id: EventID, in workspace: WorkspaceID) async throws -> ReceivedEvent? {
        try await read { snapshot in
            guard let (received, fact) = try await snapshot.firstReceived(id, in: workspace) else { return nil }
            var deliveries: [DeliveryRecord] = []
            for candidate in try await snapshot.records(listedUnder: IndexedName(id), in: .events, from: received.sequence)
            where candidate.createsDeliveries {
                let entry = try candidate.decoded()
                for created in LogReader.deliveries(createdBy: entry, of: .event(id)) where created.eventSequence == received.sequence {
                    deliveries.append(try await snapshot.folded(created, from: entry))
                }
            }
            return ReceivedEvent(event: fact, sequence: received.sequence, receivedAt: received.record.at, deliveries: deliveries)
        }
    }

    public func deliveries(ofWebhook webhookID: WebhookID, matching query: DeliveryQuery) async throws -> DeliveryPage {
        try await read { snapshot in
            var paging = DeliveryPaging(of: webhookID, matching: query)
            let last = if let until = query.until { try await snapshot.sequence(at: until, orBefore: true) } else { UInt64?.none }
            guard var start = paging.start(lastAtOrBeforeUntil: last) else { return paging.page }
            while true {
                let batch = try await snapshot.records(
                    listedUnder: IndexedName(webhookID), in: .webhooks, from: start, reverse: true, limit: Self.pageBatch)
                for candidate in batch where candidate.createsDeliveries {
                    let entry = try candidate.decoded()
                    var delivery: DeliveryRecord?
                    if let created = paging.admit(entry), try await snapshot.eventData(of: entry, holds: paging.text) {
                        delivery = try await snapshot.folded(created, from: entry)
                    }
                    guard paging.include(delivery, at: entry.sequence) else { return paging.page }
                }
                guard batch.count == Self.pageBatch, let oldest = batch.last, oldest.sequence > 1 else { return paging.page }
                start = oldest.sequence - 1
            }
        }
    }

    public func delivery(_ id: DeliveryID) async throws -> DeliveryRecord? {
        try await read { snapshot in
            // The first record the index lists under a delivery is the one that created it.
            guard let creation = try await snapshot.records(listedUnder: IndexedName(id), in: .deliveries, from: 0, limit: 1)
                .first?.decoded(),
                let created = LogReader.deliveries(createdBy: creation, of: .delivery(id)).first
            else { return nil }
            return try await snapshot.folded(created, from: creation)
        }
    }

    public func recoverableDeliveries(
        ofWebhook webhookID: WebhookID, since: Timestamp?, after: UInt64, through: UInt64, examining limit: Int
    ) async throws -> RecoverablePage {
        try await read { snapshot in
            var paging = RecoverablePaging(since: since, through: through, examining: limit)
            var start = after + 1
            while true {
                let batch = try await snapshot.records(
                    listedUnder: IndexedName(webhookID), in: .webhooks, from: start, limit: Self.pageBatch)
                for candidate in batch {
                    let entry = candidate.createsDeliveries ? try candidate.decoded() : nil
                    let created = entry.flatMap { LogReader.deliveries(createdBy: $0, of: .webhook(webhookID)).first }
                    guard paging.goesOn(at: candidate.sequence, creating: created != nil) else { return paging.page }
                    if let created, let entry { paging.take(try await snapshot.folded(created, from: entry)) }
                }
                guard batch.count == Self.pageBatch, let newest = batch.last else { return paging.page }
                start = newest.sequence + 1
            }
        }
    }

    public func audit(ofWebhook webhookID: WebhookID?, since: Timestamp?, until: Timestamp?) async throws -> AuditReport {
        try await read { snapshot in
            var report = AuditReport(since: since)
            let counts = { (entry: LoggedRecord) in until.map { entry.record.at <= $0 } ?? true }
            if let webhookID {
                for candidate in try await snapshot.records(listedUnder: IndexedName(webhookID), in: .webhooks, from: 0) {
                    let entry = try candidate.decoded()
                    if counts(entry) { report.apply(entry.record) }
                }
                return report
            }
            let start = if let since { try await snapshot.sequence(at: since, orBefore: false) } else { UInt64(1) }
            guard let start else { return report }
            try await snapshot.forEachRecord(from: start) { entry in
                if counts(entry) { report.apply(entry.record) }
            }
            return report
        }
    }

    public func historyStart() async throws -> HistoryStart? {
        try await read { snapshot in
            try await snapshot.lastCut().map { HistoryStart(at: $0.before, through: $0.through) }
        }
    }

    /// The log folded from its base snapshot (the empty state for a log never cut), up to `through`, under `policy`,
    /// keeping whole queues (``PostgresFoldedLog``). It reads ``foldBatch`` records at a time, each read within the
    /// deadline, so a long log takes as long as it takes while the database answers, and a database that stops
    /// answering fails it at the deadline. Records are never changed and commit in the order of their sequences, so
    /// reads one after the other see one log growing, with no gap after the base; a gap means that a compaction
    /// stored a newer base and removed records behind it meanwhile, and the fold starts again from that base.
    func foldedState(policy: DeliveryPolicy, through: UInt64 = .max) async throws -> HookLogState {
        var state = try await startingState(policy: policy)
        guard state.lastSequence <= through else { throw PostgresLogError.compactedPast(through) }
        while state.lastSequence < through {
            let limit = Int(min(UInt64(Self.foldBatch), through - state.lastSequence))
            let batch = try await read(singleStatement: true) { [after = state.lastSequence] snapshot in
                try await snapshot.records(after: after, limit: limit)
            }
            let base = state.lastSequence
            guard PostgresSnapshot.runWithoutGap(batch.map(\.sequence), after: base) else {
                let newer = try await startingState(policy: policy)
                guard newer.lastSequence > base else {
                    throw StoreError.unavailable("record \(base + 1) of the log is missing, and no newer base stands for it")
                }
                guard newer.lastSequence <= through else { throw PostgresLogError.compactedPast(through) }
                state = newer
                continue
            }
            for record in batch { state.evolve(try record.decoded(), refillingFrom: PostgresFoldedLog()) }
            guard batch.count == limit else { break }
        }
        return state
    }

    /// Where every fold of the log starts: its base snapshot, under `policy` from then on, or the empty state for a log
    /// never cut.
    func startingState(policy: DeliveryPolicy) async throws -> HookLogState {
        try await read(singleStatement: true) { try await $0.startingState(policy: policy) }
    }
}

extension PostgresSnapshot {
    /// The first `EventReceived` records of the events of `events` that carry an id, and every record carrying the
    /// `Idempotency-Key` of one: what ``Idempotency`` answers repeats with.
    func receivedRecords(repeatedBy events: [IncomingEvent]) async throws -> [LoggedRecord] {
        var found: [LoggedRecord] = []
        for event in events {
            guard let id = event.eventID, let first = try await firstReceived(id, in: event.workspaceID) else { continue }
            found.append(first.entry)
        }
        for key in Set(events.compactMap(IdempotencyKey.init(of:))) {
            found += try await records(listedUnder: IndexedName(key), in: .idempotencyKeys, from: 0).map { try $0.decoded() }
        }
        return found
    }

    /// The first `EventReceived` record of the event `id` that `workspace` sent.
    func firstReceived(_ id: EventID, in workspace: WorkspaceID) async throws -> (entry: LoggedRecord, fact: EventReceived)? {
        for candidate in try await records(listedUnder: IndexedName(id), in: .events, from: 0) where candidate.createsDeliveries {
            let entry = try candidate.decoded()
            if case .eventReceived(let fact) = entry.record.fact, fact.workspaceID == workspace, fact.eventID == id {
                return (entry, fact)
            }
        }
        return nil
    }

    /// The delivery `created`, brought by the record `creation`, folded to its current state: with the records its
    /// index lists under it after `creation`, and its webhook's disables and enables after it.
    func folded(_ created: DeliveryRecord, from creation: LoggedRecord) async throws -> DeliveryRecord {
        var fold = DeliveryFold(created, from: creation)
        let sequences = try await sequences(listedUnder: IndexedName(created.webhookID), in: .queues, after: creation.sequence)
            + sequences(listedUnder: IndexedName(created.deliveryID), in: .deliveries, after: creation.sequence)
        for record in try await records(at: sequences) {
            try record.bytes.withUnsafeReadableBytes { bytes in try fold.apply(encoded: bytes, at: record.sequence) }
        }
        return fold.delivery
    }

    /// Whether the data of the event `entry` brings (an `EventReceived`) or delivers again (a `RedeliveryRequested`)
    /// holds `text` as the whole text of a value (``DataSearch``); true without a text, false when the log no longer
    /// holds the event.
    func eventData(of entry: LoggedRecord, holds text: [UInt8]?) async throws -> Bool {
        guard let text else { return true }
        var event: EventReceived?
        switch entry.record.fact {
        case .eventReceived(let fact):
            event = fact
        case .redeliveryRequested(let fact):
            if case .eventReceived(let fact)? = try await record(at: fact.delivery.eventSequence)?.decoded().record.fact {
                event = fact
            }
        default:
            break
        }
        return event.map { DataSearch.data($0.data, holds: text) } ?? false
    }
}
