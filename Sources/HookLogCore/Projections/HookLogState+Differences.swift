extension HookLogState {
    /// What differs between two states, one line per projection that differs; empty when they are equal.
    public func differences(from other: HookLogState) -> [String] {
        var lines: [String] = []
        if lastSequence != other.lastSequence {
            lines.append("last sequence: \(lastSequence) vs \(other.lastSequence)")
        }
        if policy != other.policy { lines.append("policy differs") }
        if queueWindow != other.queueWindow {
            lines.append("queue window: \(queueWindow.map(String.init) ?? "none") vs \(other.queueWindow.map(String.init) ?? "none")")
        }
        Self.compare("workspaces", workspaces, other.workspaces, into: &lines)
        Self.compare("api keys", apiKeys.byID, other.apiKeys.byID, into: &lines)
        Self.compare("webhooks", webhooks, other.webhooks, into: &lines)
        Self.compare("queues", queues, other.queues, into: &lines)
        Self.compare("error windows", errorWindows, other.errorWindows, into: &lines)
        Self.compare("notifications", notifications, other.notifications, into: &lines)
        Self.compare("early warnings", budgetWarnings, other.budgetWarnings, into: &lines)
        Self.compare("warning e-mails", warningNotifications, other.warningNotifications, into: &lines)
        Self.compare("operations webhooks", operationsWebhooks, other.operationsWebhooks, into: &lines)
        Self.compare("audits", audits, other.audits, into: &lines)
        return lines
    }

    private static func compare<Key: Hashable & Comparable & CustomStringConvertible, Value: Equatable>(
        _ name: String, _ left: [Key: Value], _ right: [Key: Value], into lines: inout [String]
    ) {
        let differing = Set(left.keys).union(right.keys).filter { left[$0] != right[$0] }.sorted()
        guard let first = differing.first else { return }
        lines.append("\(name): \(differing.count) differ (first: \(first)); \(left.count) vs \(right.count) entries")
    }
}
