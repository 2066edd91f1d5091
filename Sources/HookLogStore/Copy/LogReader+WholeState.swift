import HookLogCore

extension LogReader {
    /// The log folded under `policy` from its base, under the window the base was written with (from its first record
    /// for a log never cut, under the standard window), then with every queue whole
    /// (``HookLogState/wholeQueues(reading:)``): what a copy's state is compared with.
    func wholeState(policy: DeliveryPolicy) throws -> HookLogState {
        let base = try databases.environment.read { transaction in try BaseSnapshot.load(from: databases, in: transaction) }
        let window = base.map(\.state.queueWindow) ?? HookLogState.standardQueueWindow
        let folded = try Rebuild.replay(self, policy: policy, queueWindow: window).state
        return try databases.environment.read { transaction in
            try withQueuedDeliveries(in: transaction) { log in try folded.wholeQueues(reading: log) }
        }
    }
}
