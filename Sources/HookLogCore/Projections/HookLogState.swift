import DequeModule

/// Everything HookLog knows now, as a pure fold of the log: the registry of workspaces, keys and webhooks
/// with their statuses, every webhook's queue (the window of it the policy keeps in RAM), every workspace's error
/// window and early warning, pending notifications, and operations webhooks with their queues.
///
/// The service and `hooklog rebuild` run the same ``evolve(_:)``, so a rebuilt state equals the live one.
public struct HookLogState: Hashable, Codable, Sendable {
    /// The numbers the rules apply (the error window's length shapes what the fold keeps).
    public internal(set) var policy: DeliveryPolicy
    /// The most queued deliveries a webhook keeps in RAM; the rest wait in the log until the window has room
    /// (``DeliveryQueue``). A knob of memory, not a rule: it changes no decision, only what the state holds. `nil`
    /// keeps every queued delivery in RAM.
    public internal(set) var queueWindow: Int?
    /// The sequence of the last record folded in; 0 for an empty log.
    public internal(set) var lastSequence: UInt64 = 0
    public internal(set) var workspaces: [WorkspaceID: Workspace] = [:]
    public internal(set) var apiKeys = ApiKeyRegistry()
    public internal(set) var webhooks: [WebhookID: Webhook] = [:]
    public internal(set) var queues: [WebhookID: DeliveryQueue] = [:]
    public internal(set) var errorWindows: [WorkspaceID: ErrorWindow] = [:]
    public internal(set) var notifications: [WebhookID: PendingNotification] = [:]
    /// The workspaces whose early warning is disarmed: the warning of their current crossing of the threshold, until
    /// the next failure finds the window below it again or an enable re-arms it (``budgetWarning(of:at:)`` tells
    /// whether one is still in force at a given time).
    public internal(set) var budgetWarnings: [WorkspaceID: BudgetWarning] = [:]
    /// The warning e-mails not yet accepted by the mail server.
    public internal(set) var warningNotifications: [WorkspaceID: PendingWarning] = [:]
    /// Each workspace's operations webhook, with the messages it has not been sent yet (docs/rules.md §2.8).
    public internal(set) var operationsWebhooks: [WorkspaceID: OperationsWebhook] = [:]
    /// Each webhook's audit from its creation on (``AuditReport``), counted as records are folded, so that the audit
    /// answers without reading the webhook's history; compaction removes records, not what they counted.
    public internal(set) var audits: [WebhookID: AuditReport] = [:]

    /// How many queued deliveries per webhook the service keeps in RAM unless told otherwise.
    public static let standardQueueWindow = 512

    /// The state of an empty log under `policy`, keeping `queueWindow` queued deliveries per webhook in RAM (at least
    /// 1, the delivery to attempt next; `nil`: all of them).
    public init(policy: DeliveryPolicy = .standard, queueWindow: Int? = standardQueueWindow) {
        precondition(queueWindow.map { $0 > 0 } ?? true, "a queue window holds at least the delivery to attempt next")
        self.policy = policy
        self.queueWindow = queueWindow
    }

    /// Decodes a state as it was encoded; a checkpoint or base snapshot written before the state kept early warnings
    /// has neither ``budgetWarnings`` nor ``warningNotifications``, and gets none, as its records raised none; one
    /// written before operations webhooks has no ``operationsWebhooks``, and gets none, as no record set one.
    public init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        policy = try fields.decode(DeliveryPolicy.self, forKey: .policy)
        queueWindow = try fields.decodeIfPresent(Int.self, forKey: .queueWindow)
        lastSequence = try fields.decode(UInt64.self, forKey: .lastSequence)
        workspaces = try fields.decode([WorkspaceID: Workspace].self, forKey: .workspaces)
        apiKeys = try fields.decode(ApiKeyRegistry.self, forKey: .apiKeys)
        webhooks = try fields.decode([WebhookID: Webhook].self, forKey: .webhooks)
        queues = try fields.decode([WebhookID: DeliveryQueue].self, forKey: .queues)
        errorWindows = try fields.decode([WorkspaceID: ErrorWindow].self, forKey: .errorWindows)
        notifications = try fields.decode([WebhookID: PendingNotification].self, forKey: .notifications)
        budgetWarnings = try fields.decodeIfPresent([WorkspaceID: BudgetWarning].self, forKey: .budgetWarnings) ?? [:]
        warningNotifications = try fields.decodeIfPresent(
            [WorkspaceID: PendingWarning].self, forKey: .warningNotifications) ?? [:]
        operationsWebhooks = try fields.decodeIfPresent(
            [WorkspaceID: OperationsWebhook].self, forKey: .operationsWebhooks) ?? [:]
        audits = try fields.decode([WebhookID: AuditReport].self, forKey: .audits)
    }

    /// This state with the rules' numbers changed to `policy` from now on, the records folded so far staying as they
    /// were decided: how a store carries on from a base snapshot taken under other numbers.
    public func governed(by policy: DeliveryPolicy) -> HookLogState {
        var state = self
        state.policy = policy
        return state
    }

    /// This state with every queued and skipped delivery in RAM (no window), those beyond the windows read from
    /// `log`: the same queues, as a fold that keeps them whole holds them (a copy of a data directory's base snapshot
    /// into PostgreSQL).
    public func unwindowed<Log: QueuedDeliverySource>(reading log: Log) throws(Log.Failure) -> HookLogState {
        var state = self
        state.queueWindow = nil
        for (webhookID, queue) in queues {
            var whole = DeliveryQueue()
            whole.pending = .init(try queue.allDeliveries(of: webhookID, from: log))
            whole.skipped = try queue.allSkipped(of: webhookID, from: log)
            state.queues[webhookID] = whole
        }
        return state
    }

    /// This state, whose queues are whole (``unwindowed(reading:)``), under the queue window `window` from now on: a
    /// queue longer than the window stays whole in RAM until it drains below it, and keeps the deliveries queued
    /// beyond it in the log from then on (a copy of a PostgreSQL log's base snapshot into a data directory).
    public func windowed(_ window: Int) -> HookLogState {
        var state = self
        state.queueWindow = window
        return state
    }

    /// This state unwindowed (``unwindowed(reading:)``), to compare states folded with different windows. A delivery
    /// not attempted yet is due as soon as it is the head, and the time it was queued at is told differently by a
    /// window refilled from the log and by one recovered in RAM, so it is left out: such deliveries show the time 0.
    public func wholeQueues<Log: QueuedDeliverySource>(reading log: Log) throws(Log.Failure) -> HookLogState {
        var state = try unwindowed(reading: log)
        for webhookID in state.queues.keys {
            state.withQueue(of: webhookID) { queue in
                for index in queue.pending.indices where queue.pending[index].attempts == 0 {
                    queue.pending[index].nextAttemptAt = Timestamp(milliseconds: 0)
                }
            }
        }
        return state
    }

    /// The workspace's warning in force at `now`: the one of its current crossing, while the window still holds at
    /// least the threshold it reached; nil when the warning is armed.
    public func budgetWarning(of workspaceID: WorkspaceID, at now: Timestamp) -> BudgetWarning? {
        budgetWarnings[workspaceID].flatMap { errorCount(of: workspaceID, at: now) >= $0.warnAt ? $0 : nil }
    }

    /// The workspace's current failures in the error window at `now`.
    public func errorCount(of workspaceID: WorkspaceID, at now: Timestamp) -> Int {
        errorWindows[workspaceID]?.count(at: now, window: policy.errorWindow) ?? 0
    }

    /// The webhooks of a workspace, oldest first.
    public func webhooks(of workspaceID: WorkspaceID) -> [Webhook] {
        workspaces[workspaceID]?.webhookIDs.compactMap { webhooks[$0] } ?? []
    }

    /// The webhook's pending delivery with this id, if it is in the queue's window (the head always is).
    public func pendingDelivery(_ deliveryID: DeliveryID, of webhookID: WebhookID) -> QueuedDelivery? {
        queues[webhookID]?.pendingDelivery(deliveryID)
    }
}
