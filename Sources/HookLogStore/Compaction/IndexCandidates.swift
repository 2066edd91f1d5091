import HookLogCore

/// Every name the named indexes may list a record under, told without the state just before the record, which a
/// record at or before the base no longer has: its index keys in the base snapshot, the event whose history it belongs
/// to, the workspaces of its webhooks, deleted ones included, and the workspace of a revoked key, learnt from the
/// `ApiKeyIssued` before it (records are asked about in sequence order; configuration is never removed, so a copy
/// sees it). More than the record may have: compaction removes every entry it may have, and a copy keeps those its
/// index holds (``LogReader/listedNames(of:among:in:)``).
struct IndexCandidates: Sendable {
    private let base: HookLogState
    private var workspacesOfWebhooks: [WebhookID: WorkspaceID] = [:]
    private var workspacesOfKeys: [ApiKeyID: WorkspaceID] = [:]

    /// Candidates told from `base`, the state right after the log's last cut.
    init(base: HookLogState) {
        self.base = base
    }

    /// The keys `entry`, belonging to the history of the event `event` if any, may be listed under in `reader`'s
    /// indexes, read in the caller's transaction; records come in sequence order.
    mutating func keys(
        of entry: LoggedRecord, event: EventID?, in reader: LogReader, in transaction: borrowing ReadTransaction
    ) throws -> IndexKeys {
        var keys = IndexKeys(of: entry.record, in: base)
        if let event { keys.events.append(event) }
        for webhookID in keys.webhooks {
            if let workspaceID = try workspace(of: webhookID, in: reader, in: transaction) { keys.workspaces.append(workspaceID) }
        }
        switch entry.record.fact {
        case .apiKeyIssued(let fact):
            workspacesOfKeys[fact.keyID] = fact.workspaceID
        case .apiKeyRevoked(let fact):
            if let workspaceID = workspacesOfKeys[fact.keyID] { keys.workspaces.append(workspaceID) }
        default:
            break
        }
        return keys
    }

    /// The workspace of a webhook, deleted ones included (their `WebhookCreated` is configuration, kept for good).
    private mutating func workspace(
        of webhookID: WebhookID, in reader: LogReader, in transaction: borrowing ReadTransaction
    ) throws -> WorkspaceID? {
        if let known = base.webhooks[webhookID]?.workspaceID ?? workspacesOfWebhooks[webhookID] { return known }
        let created = try reader.firstRecord(concerning: webhookID, in: transaction)
        guard case .webhookCreated(let fact)? = created?.record.fact else { return nil }
        workspacesOfWebhooks[webhookID] = fact.workspaceID
        return fact.workspaceID
    }
}
