extension Command {
    /// The command as ``Decider`` decides it from the state alone, with what only the log holds read from `log`: a
    /// recovery leaves out the deliveries queued beyond its webhook's window, and a cut of the history counts the
    /// skipped deliveries beyond windows that expire; any other command is itself. These are the reads a decision
    /// needs, done before it, so that deciding stays pure.
    public func prepared<Log: QueuedDeliverySource>(
        against state: HookLogState, reading log: Log
    ) throws(Log.Failure) -> Command {
        switch self {
        case .recoverDeliveries(let webhookID, let deliveries):
            guard let overflow = state.queues[webhookID]?.overflow else { return self }
            let beyondWindow = try log.queuedDeliveries(of: webhookID, from: overflow.start, limit: overflow.count).deliveries
            let queued = Set(beyondWindow.map(\.reference.deliveryID))
            return .recoverDeliveries(webhookID, deliveries.filter { !queued.contains($0.deliveryID) })
        case .compactHistory(let through, let before, _):
            var expired: [HistoryCompacted.ExpiredSkips] = []
            for webhook in state.webhooks.values.sorted(by: { $0.id < $1.id })
            where webhook.status == .disabled && (webhook.disabledAt ?? before) < before {
                guard let queue = state.queues[webhook.id], let beyond = queue.skippedOverflow,
                      queue.skipped.allSatisfy({ $0.eventSequence <= through })
                else { continue }
                let (count, next) = try log.queuedRun(
                    of: webhook.id, from: beyond.start, eventsThrough: through, limit: beyond.count)
                if count > 0 { expired.append(HistoryCompacted.ExpiredSkips(webhookID: webhook.id, count: count, next: next)) }
            }
            return .compactHistory(through: through, before: before, expiredBeyondWindows: expired)
        default:
            return self
        }
    }
}
