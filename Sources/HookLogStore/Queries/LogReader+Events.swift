public import HookLogCore

extension LogReader {
    /// The event a workspace sent with this id, with its deliveries to every webhook (redeliveries included), read from
    /// one snapshot; nil when the workspace sent none. Event ids are the clients' own: another workspace's event with
    /// the same id is another event. Should a log hold the same id twice in a workspace, the first is the event.
    public func event(_ id: EventID, in workspace: WorkspaceID) throws -> ReceivedEvent? {
        try databases.environment.read { transaction in
            guard let (received, fact) = try firstReceived(id, in: workspace, in: transaction) else { return nil }
            var deliveries: [DeliveryRecord] = []
            try forEachSequence(
                listedUnder: IndexedName(id), in: databases.byEvent, from: received.sequence,
                in: transaction
            ) { sequence in
                guard let entry = try record(at: sequence, in: transaction, if: RecordCodec.createsDeliveries) else {
                    return true
                }
                for created in Self.deliveries(createdBy: entry, of: .event(id)) where created.eventSequence == received.sequence {
                    deliveries.append(try folded(created, from: entry, in: transaction))
                }
                return true
            }
            return ReceivedEvent(event: fact, sequence: received.sequence, receivedAt: received.record.at, deliveries: deliveries)
        }
    }

    /// The `EventReceived` records that `events` could repeat, for ``Idempotency``: for each client-supplied id, the
    /// record that first received it in its workspace; for each idempotency key, every record carrying it; all read
    /// from one snapshot.
    func receivedRecords(repeatedBy events: [IncomingEvent]) throws -> [LoggedRecord] {
        guard !events.isEmpty else { return [] }
        return try databases.environment.read { transaction in
            var found: [LoggedRecord] = []
            for event in events {
                guard let id = event.eventID, let first = try firstReceived(id, in: event.workspaceID, in: transaction)
                else { continue }
                found.append(first.entry)
            }
            guard let byIdempotencyKey = databases.byIdempotencyKey else { return found }
            for key in Set(events.compactMap(IdempotencyKey.init(of:))) {
                try forEachSequence(
                    listedUnder: IndexedName(key), in: byIdempotencyKey, from: 0, in: transaction
                ) { sequence in
                    found.append(try record(at: sequence, in: transaction))
                    return true
                }
            }
            return found
        }
    }

    /// The record that first received an event with this id in the workspace, and its fact, read in the caller's
    /// transaction; the event's other records are passed over undecoded.
    private func firstReceived(
        _ id: EventID, in workspace: WorkspaceID, in transaction: borrowing ReadTransaction
    ) throws -> (entry: LoggedRecord, fact: EventReceived)? {
        var found: (entry: LoggedRecord, fact: EventReceived)?
        try forEachSequence(
            listedUnder: IndexedName(id), in: databases.byEvent, from: 0, in: transaction
        ) { sequence in
            if let entry = try record(at: sequence, in: transaction, if: RecordCodec.createsDeliveries),
               case .eventReceived(let fact) = entry.record.fact, fact.workspaceID == workspace, fact.eventID == id {
                found = (entry, fact)
            }
            return found == nil
        }
        return found
    }
}
