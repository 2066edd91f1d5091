import DequeModule

/// The entries of the state that a batch of records changed, by key: what a reader's view takes from the writer's
/// state once the batch is durable.
public struct ChangedKeys: Sendable {
    public private(set) var webhooks: Set<WebhookID> = []
    public private(set) var workspaces: Set<WorkspaceID> = []
    public private(set) var apiKeys: Set<ApiKeyID> = []

    /// Nothing changed yet.
    public init() {}

    /// Notes what `record` changes, given its index keys (``IndexKeys``, taken from the state before it): every
    /// projection is keyed by a webhook, a workspace or an API key, and a record's index keys name the webhooks and
    /// workspaces it changes.
    public mutating func add(_ record: Record, keys: IndexKeys) {
        webhooks.formUnion(keys.webhooks)
        workspaces.formUnion(keys.workspaces)
        switch record.fact {
        case .apiKeyIssued(let fact): apiKeys.insert(fact.keyID)
        case .apiKeyRevoked(let fact): apiKeys.insert(fact.keyID)
        default: break
        }
    }
}

extension HookLogState {
    /// The state as readers see it: everything but the queues' windows, of which only the head is kept (with the
    /// queue's count), since readers act on heads and count deliveries; the window behind the head is the writer's.
    public func readerView() -> HookLogState {
        var view = self
        view.queues = queues.mapValues(\.readerView)
        return view
    }

    /// Takes from `working`, the writer's state after a durable batch, the entries `changed` names, as
    /// ``readerView()`` shows them, and its last sequence: a reader's view kept up to date in the batch's size,
    /// never sharing a collection the writer goes on changing.
    public mutating func publish(_ changed: ChangedKeys, from working: HookLogState) {
        lastSequence = working.lastSequence
        for id in changed.workspaces {
            workspaces[id] = working.workspaces[id]
            errorWindows[id] = working.errorWindows[id]
            budgetWarnings[id] = working.budgetWarnings[id]
            warningNotifications[id] = working.warningNotifications[id]
            operationsWebhooks[id] = working.operationsWebhooks[id]
        }
        for id in changed.apiKeys {
            apiKeys[id] = working.apiKeys[id]
        }
        for id in changed.webhooks {
            webhooks[id] = working.webhooks[id]
            queues[id] = working.queues[id]?.readerView
            notifications[id] = working.notifications[id]
            audits[id] = working.audits[id]
        }
    }
}

extension DeliveryQueue {
    /// The queue as readers see it: its head, and how many deliveries wait behind it, without them (its overflow
    /// counts them; where they start in the log is the writer's to know, and is not kept exact here).
    var readerView: DeliveryQueue {
        var view = DeliveryQueue()
        guard let head else { return view }
        view.pending = [head]
        if count > 1 {
            view.overflow = QueueOverflow(count: count - 1, start: overflow?.start ?? QueuePosition(sequence: 0, index: 0))
        }
        return view
    }
}
