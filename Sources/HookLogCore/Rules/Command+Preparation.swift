extension Command {
    /// The command as ``Decider`` decides it from the state alone: a recovery leaves out the deliveries queued
    /// beyond its webhook's window, which only the log holds, read from `log`; any other command is itself. This is
    /// the one read a decision needs, done before it, so that deciding stays pure.
    public func prepared<Log: QueuedDeliverySource>(
        against state: HookLogState, reading log: Log
    ) throws(Log.Failure) -> Command {
        guard case .recoverDeliveries(let webhookID, let deliveries) = self,
              let overflow = state.queues[webhookID]?.overflow
        else { return self }
        let beyondWindow = try log.queuedDeliveries(of: webhookID, from: overflow.start, limit: overflow.count).deliveries
        let queued = Set(beyondWindow.map(\.reference.deliveryID))
        return .recoverDeliveries(webhookID, deliveries.filter { !queued.contains($0.deliveryID) })
    }
}
