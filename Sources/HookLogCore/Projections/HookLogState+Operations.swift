import DequeModule

/// The operations webhooks' part of the fold (docs/rules.md §2.8): their settings and attempts, and the messages the
/// records they tell of queue.
extension HookLogState {
    /// Folds what `entry` changes of an operations webhook, given the state before the rest of ``evolve(_:)``:
    /// its own records, the failed attempt its messages may tell of, and the message a record it tells of queues.
    mutating func evolveOperations(_ entry: LoggedRecord) {
        let at = entry.record.at
        switch entry.record.fact {
        case .operationsWebhookSet(let fact):
            if operationsWebhooks[fact.workspaceID] == nil {
                operationsWebhooks[fact.workspaceID] = OperationsWebhook(
                    workspaceID: fact.workspaceID, url: fact.url, secret: fact.secret, at: at)
            } else {
                if operationsWebhooks[fact.workspaceID]?.url != fact.url {
                    operationsWebhooks[fact.workspaceID]?.restartHead(at: at)
                }
                operationsWebhooks[fact.workspaceID]?.url = fact.url
                operationsWebhooks[fact.workspaceID]?.secret = fact.secret
                operationsWebhooks[fact.workspaceID]?.updatedAt = at
            }
        case .operationsWebhookRemoved(let fact):
            operationsWebhooks[fact.workspaceID] = nil
        case .operationsAttemptSucceeded(let fact):
            operationsWebhooks[fact.workspaceID]?.remove(fact.messageID)
            operationsWebhooks[fact.workspaceID]?.lastAttempt = OperationsAttempt(
                messageID: fact.messageID, number: fact.number, startedAt: fact.startedAt,
                durationMilliseconds: fact.durationMilliseconds, statusCode: fact.statusCode, error: nil, succeeded: true)
        case .operationsAttemptFailed(let fact):
            guard var webhook = operationsWebhooks[fact.workspaceID] else { return }
            if let index = webhook.messages.firstIndex(where: { $0.id == fact.messageID }) {
                webhook.messages[index].attempts = fact.number
                webhook.messages[index].nextAttemptAt = fact.nextAttemptAt ?? at
            }
            webhook.lastAttempt = OperationsAttempt(
                messageID: fact.messageID, number: fact.number, startedAt: fact.startedAt,
                durationMilliseconds: fact.durationMilliseconds, statusCode: fact.failure.statusCode,
                error: fact.failure.error?.rawValue, succeeded: false)
            operationsWebhooks[fact.workspaceID] = webhook
        case .operationsMessageDropped(let fact):
            operationsWebhooks[fact.workspaceID]?.remove(fact.messageID)
            operationsWebhooks[fact.workspaceID]?.droppedMessages += 1
        case .attemptFailed(let fact):
            guard let workspaceID = webhooks[fact.webhookID]?.workspaceID, operationsWebhooks[workspaceID] != nil
            else { return }
            operationsWebhooks[workspaceID]?.lastFailure = FailedAttempt(fact)
        default:
            guard let (workspaceID, message) = operationsMessage(for: entry) else { return }
            operationsWebhooks[workspaceID]?.messages.append(message)
        }
    }

    /// The message `entry` queues for its workspace's operations webhook, if it tells of something the webhook is
    /// sent and the workspace has one; its data is taken from the state before `entry` is folded.
    func operationsMessage(for entry: LoggedRecord) -> (WorkspaceID, OperationsMessage)? {
        guard let workspaceID = entry.record.fact.operationsMessageWorkspace(in: self),
              let operations = operationsWebhooks[workspaceID],
              let (type, data) = operationsEvent(entry.record.fact, at: entry.record.at, lastFailure: operations.lastFailure)
        else { return nil }
        return (workspaceID, OperationsMessage(
            sequence: entry.sequence, type: type, workspaceID: workspaceID, at: entry.record.at, data: data))
    }

    /// The type and data of the message `fact` makes, nil for a fact that makes none.
    private func operationsEvent(
        _ fact: Fact, at: Timestamp, lastFailure: FailedAttempt?
    ) -> (OperationsEventType, JSONValue)? {
        switch fact {
        case .webhookDisabled(let fact):
            return (.webhookDisabled, .object([
                ("webhook_id", .id(fact.webhookID)), ("url", url(of: fact.webhookID)), ("reason", .string(fact.reason)),
                ("error_count", .int(Int64(fact.errorCount))),
                ("skipped_deliveries", fact.skippedDeliveries.map { .int(Int64($0)) } ?? .null),
            ]))
        case .webhookEnabled(let fact):
            return (.webhookEnabled, .object([
                ("webhook_id", .id(fact.webhookID)), ("url", url(of: fact.webhookID)), ("recover", .bool(fact.recover)),
                ("recovered_deliveries", fact.recoveredDeliveries.map { .int(Int64($0)) } ?? .null),
            ]))
        case .webhookSecretRotated(let fact):
            return (.webhookSecretRotated, .object([
                ("webhook_id", .id(fact.webhookID)), ("url", url(of: fact.webhookID)),
                ("previous_secret_expires_at",
                 at < fact.previousSecretEndsAt ? .string(fact.previousSecretEndsAt.rfc3339) : .null),
            ]))
        case .deliveryDropped(let fact):
            let pending = pendingDelivery(fact.deliveryID, of: fact.webhookID)
            let failure = lastFailure.flatMap { $0.deliveryID == fact.deliveryID ? $0 : nil }
            return (.deliveryDropped, .object([
                ("delivery_id", .id(fact.deliveryID)),
                ("event_id", pending.map { .id($0.reference.eventID) } ?? .null),
                ("event_type", pending.map { .string($0.reference.eventType.rawValue) } ?? .null),
                ("webhook_id", .id(fact.webhookID)), ("url", url(of: fact.webhookID)),
                ("attempts", pending.map { .int(Int64($0.attempts)) } ?? .null),
                ("last_error", failure.map(\.json) ?? .null),
            ]))
        case .warningThresholdReached(let fact):
            return (.errorBudgetWarning, .object([
                ("error_count", .int(Int64(fact.errorCount))), ("warn_at", .int(Int64(fact.warnAt))),
                ("error_limit", .int(Int64(fact.errorLimit))),
                ("last_failure", lastFailure.map { failure in
                    .object([("webhook_id", .id(failure.webhookID)), ("url", url(of: failure.webhookID))]
                        + [("delivery_id", .id(failure.deliveryID))] + failure.jsonMembers)
                } ?? .null),
            ]))
        default:
            return nil
        }
    }

    private func url(of webhookID: WebhookID) -> JSONValue {
        webhooks[webhookID].map { .string($0.url) } ?? .null
    }
}

extension FailedAttempt {
    /// The attempt's number, start, status or error, and the start of the answer.
    var jsonMembers: [(String, JSONValue)] {
        [("number", .int(Int64(number))), ("started_at", .string(startedAt.rfc3339)),
         ("status_code", failure.statusCode.map { .int(Int64($0)) } ?? .null),
         ("error", failure.error.map { .string($0.rawValue) } ?? .null), ("response", .string(responseSnippet))]
    }

    /// ``jsonMembers`` as an object.
    var json: JSONValue { .object(jsonMembers) }
}

extension Fact {
    /// The workspace whose operations webhook this fact may change: its own records', and
    /// ``operationsMessageWorkspace(in:)``'s; nil for the others.
    public func operationsWorkspace(in state: HookLogState) -> WorkspaceID? {
        switch self {
        case .operationsWebhookSet(let fact): fact.workspaceID
        case .operationsWebhookRemoved(let fact): fact.workspaceID
        case .operationsAttemptSucceeded(let fact): fact.workspaceID
        case .operationsAttemptFailed(let fact): fact.workspaceID
        case .operationsMessageDropped(let fact): fact.workspaceID
        default: operationsMessageWorkspace(in: state)
        }
    }

    /// The workspace of a record an operations message tells of (a disable, an enable, a rotation, a drop, a
    /// warning), given the state before it is folded; nil for any other record.
    public func operationsMessageWorkspace(in state: HookLogState) -> WorkspaceID? {
        switch self {
        case .webhookDisabled(let fact): fact.workspaceID
        case .webhookEnabled(let fact): fact.workspaceID
        case .warningThresholdReached(let fact): fact.workspaceID
        case .webhookSecretRotated(let fact): state.webhooks[fact.webhookID]?.workspaceID
        case .deliveryDropped(let fact): state.webhooks[fact.webhookID]?.workspaceID
        default: nil
        }
    }
}
