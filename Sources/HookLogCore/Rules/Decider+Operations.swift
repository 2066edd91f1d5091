import DequeModule

/// The decisions about operations webhooks (docs/rules.md §2.8): setting and removing one, recording its attempts,
/// and keeping its queue within ``OperationsWebhook/maxQueuedMessages``.
extension Decider {
    /// §2.8: a workspace on a plan with webhooks may set one operations webhook, whose URL passes the webhooks'
    /// checks. The first gets a new secret; a later one keeps it. Setting the URL it already has records nothing.
    static func setOperationsWebhook<G: RandomNumberGenerator>(
        of workspaceID: WorkspaceID, to url: String, state: HookLogState, ids: inout IdentifierSource<G>
    ) throws(DecisionError) -> [Fact] {
        let workspace = try state.workspace(workspaceID)
        guard workspace.plan.allowsWebhooks else {
            throw DecisionError(
                .planRequired,
                "an operations webhook needs the advanced plan or higher; workspace \(workspaceID) is on "
                    + workspace.plan.rawValue)
        }
        try Validation.checkEndpointURL(url)
        let existing = state.operationsWebhooks[workspaceID]
        guard existing?.url != url else { return [] }
        return [.operationsWebhookSet(OperationsWebhookSet(
            workspaceID: workspaceID, url: url, secret: existing?.secret ?? ids.nextSecret()))]
    }

    /// §2.8: removing the operations webhook discards the messages it was not sent.
    static func removeOperationsWebhook(of workspaceID: WorkspaceID, state: HookLogState) throws(DecisionError) -> [Fact] {
        guard let webhook = state.operationsWebhooks[workspaceID] else {
            throw DecisionError(.notFound, "workspace \(workspaceID) has no operations webhook")
        }
        return [.operationsWebhookRemoved(OperationsWebhookRemoved(
            workspaceID: workspaceID, discardedMessages: webhook.messages.count))]
    }

    /// §2.8: an attempt at the head of the operations queue succeeds on a 2xx (§2.1); any other outcome, 410 included,
    /// is retried on the deliveries' schedule (§2.3), then the message is dropped. Nothing of it counts against the
    /// error budget or disables anything.
    static func recordOperations(
        _ report: OperationsAttemptReport, state: HookLogState, now: Timestamp
    ) throws(DecisionError) -> [Fact] {
        guard let head = state.operationsWebhooks[report.workspaceID]?.head, head.id == report.messageID else {
            throw DecisionError(
                .conflict,
                "message \(report.messageID) is not the head of workspace \(report.workspaceID)'s operations queue")
        }
        let number = head.attempts + 1
        let snippet = Validation.snippet(report.responseSnippet)
        let failure: AttemptFailure
        switch report.outcome {
        case .status(let code) where DeliveryRules.isSuccess(statusCode: code):
            return [.operationsAttemptSucceeded(OperationsAttemptSucceeded(
                workspaceID: report.workspaceID, messageID: head.id, number: number, startedAt: report.startedAt,
                durationMilliseconds: report.durationMilliseconds, statusCode: code, responseSnippet: snippet))]
        case .status(let code):
            failure = .status(code)
        case .error(let error):
            failure = .error(error)
        }
        let retryAt = DeliveryRules.retryTime(afterFailedAttempt: number, at: now, policy: state.policy)
        let failed = Fact.operationsAttemptFailed(OperationsAttemptFailed(
            workspaceID: report.workspaceID, messageID: head.id, number: number, startedAt: report.startedAt,
            durationMilliseconds: report.durationMilliseconds, failure: failure, responseSnippet: snippet,
            nextAttemptAt: retryAt))
        guard retryAt == nil else { return [failed] }
        return [failed, .operationsMessageDropped(OperationsMessageDropped(
            workspaceID: report.workspaceID, messageID: head.id, reason: .attemptsFailed))]
    }

    /// §2.8, the queue's bound: before each of `facts` that queues a message for an operations queue already holding
    /// ``OperationsWebhook/maxQueuedMessages``, the oldest message waiting behind the head (which may be in flight)
    /// is dropped, so the new one fits.
    static func makingRoomForOperationsMessages(_ facts: [Fact], state: HookLogState) -> [Fact] {
        var queues: [WorkspaceID: (count: Int, dropped: Int)] = [:]
        var result: [Fact] = []
        for fact in facts {
            if let workspaceID = fact.operationsMessageWorkspace(in: state),
               let messages = state.operationsWebhooks[workspaceID]?.messages {
                let (count, dropped) = queues[workspaceID] ?? (messages.count, 0)
                if count >= OperationsWebhook.maxQueuedMessages, dropped + 1 < messages.count {
                    result.append(.operationsMessageDropped(OperationsMessageDropped(
                        workspaceID: workspaceID, messageID: messages[dropped + 1].id, reason: .queueFull)))
                    queues[workspaceID] = (count, dropped + 1)
                } else {
                    queues[workspaceID] = (count + 1, dropped)
                }
            }
            result.append(fact)
        }
        return result
    }
}
