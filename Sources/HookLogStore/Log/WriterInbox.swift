import HookLogCore

/// A record folded in the working state and waiting for the commit that writes it, with its bytes and index keys.
struct PendingWrite: Sendable {
    var entry: LoggedRecord
    var bytes: [UInt8]
    var keys: IndexKeys

    var sequence: UInt64 { entry.sequence }
    var at: Timestamp { entry.record.at }
}

/// What one request asks the writer: commands to decide, records decided elsewhere to fold and append, or records
/// its caller already folded into the writer's working state (``LogStore/withLiveState(_:)``) to append.
enum Work: Sendable {
    case commands([Command], Timestamp)
    case records([Record])
    case folded([PendingWrite])

    /// How many commands or records it holds, for ``LogStore/backlog``.
    var count: Int {
        switch self {
        case .commands(let commands, _): commands.count
        case .records(let records): records.count
        case .folded(let writes): writes.count
        }
    }

    /// Its events that could repeat earlier ones, whose records the writer looks up before deciding.
    var repeatableEvents: [IncomingEvent] {
        guard case .commands(let commands, _) = self else { return [] }
        return Idempotency.repeatable(in: commands)
    }

    /// Whether it records the outcome of a delivery, which only its partition's owner may in a fleet.
    var recordsDeliveries: Bool {
        guard case .commands(let commands, _) = self else { return false }
        return commands.contains(where: \.recordsDelivery)
    }

    /// The sequences of the events its commands send again (redeliveries, recoveries), which compaction may have
    /// removed.
    var eventsSentAgain: [UInt64] {
        guard case .commands(let commands, _) = self else { return [] }
        return commands.flatMap { command -> [UInt64] in
            switch command {
            case .redeliver(_, _, _, _, let eventSequence): [eventSequence]
            case .recoverDeliveries(_, let deliveries): deliveries.map(\.eventSequence)
            default: []
            }
        }
    }

    /// The idempotency key its events carry, if any.
    var idempotencyKey: IdempotencyKey? {
        guard case .commands(let commands, _) = self else { return nil }
        for case .receiveEvent(let event) in commands {
            if let key = IdempotencyKey(of: event) { return key }
        }
        return nil
    }
}

/// One caller's work and the continuation that answers it once the commit is durable (or refused).
///
/// A request whose events fan out to more deliveries than one commit carries (``CommitBudget``) is decided over
/// several commits: `work` then holds the commands still to decide, and `answered` the results of those decided in
/// earlier commits, which are durable; the caller is answered once the last part is.
struct Request: Sendable {
    var work: Work
    var continuation: CheckedContinuation<[Result<[LoggedRecord], DecisionError>], any Error>
    var answered: [Result<[LoggedRecord], DecisionError>] = []

    /// Whether earlier commits decided part of it.
    var isResumed: Bool { !answered.isEmpty }
}
