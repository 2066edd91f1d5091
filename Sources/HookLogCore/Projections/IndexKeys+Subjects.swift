/// The keys of the records that are about one workspace, one webhook or one delivery, which most facts are.
extension IndexKeys {
    /// A record about a workspace alone.
    static func workspace(_ workspaceID: WorkspaceID) -> IndexKeys {
        IndexKeys(workspaces: [workspaceID])
    }

    /// A record about a webhook of a workspace the record names.
    static func webhook(_ webhookID: WebhookID, of workspaceID: WorkspaceID) -> IndexKeys {
        IndexKeys(webhooks: [webhookID], workspaces: [workspaceID])
    }

    /// A record that changes every queued or skipped delivery of a webhook at once (a disable, an enable), listed in
    /// the queue index too.
    static func queueChange(_ webhookID: WebhookID, of workspaceID: WorkspaceID) -> IndexKeys {
        IndexKeys(webhooks: [webhookID], workspaces: [workspaceID], queues: [webhookID])
    }

    /// A record about a webhook whose workspace `state` knows (none once the webhook is unknown).
    static func webhook(_ webhookID: WebhookID, in state: HookLogState) -> IndexKeys {
        IndexKeys(webhooks: [webhookID], workspaces: (state.webhooks[webhookID]?.workspaceID).map { [$0] } ?? [])
    }

    /// A record about a pending delivery of a webhook, whose event `state` knows (``IndexKeys/formerEvents``).
    static func delivery(_ deliveryID: DeliveryID, of webhookID: WebhookID, in state: HookLogState) -> IndexKeys {
        var keys = webhook(webhookID, in: state)
        keys.deliveries = [deliveryID]
        keys.formerEvents = state.pendingDelivery(deliveryID, of: webhookID).map { [$0.reference.eventID] } ?? []
        return keys
    }
}
