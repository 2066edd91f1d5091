import ArgumentParser
import HookLogCore
import HookLogStore

/// `hooklog audit`: failures per endpoint, error windows, and the disable and enable history.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Print failures per endpoint by class and status code, each workspace's error window, and the disable/enable history.")

    @OptionGroup var data: DataOptions
    @OptionGroup var store: StoreOptions
    @Option(help: "Only this webhook (wh_…).") var webhook: String?
    @Option(help: "Only records at or after this time (RFC 3339 or Unix seconds).", transform: parseTime)
    var since: Timestamp?

    func run() async throws {
        // A log in PostgreSQL keeps no settings: its error windows are folded under the standard policy.
        let inDatabase = try await store.withDatabase { database in
            try await printAudit(of: database.queries, state: try await database.state(policy: .standard), policy: .standard)
        }
        if inDatabase { return }
        let reader = try data.reader()
        let (policy, queueWindow) = try reader.checkpointSettings() ?? (.standard, HookLogState.standardQueueWindow)
        try await printAudit(of: reader, state: try reader.currentState(policy: policy, queueWindow: queueWindow).state, policy: policy)
    }

    /// Prints the audit `queries` answer, with the error windows of `state`, folded under `policy`.
    private func printAudit(of queries: any LogQueries, state: HookLogState, policy: DeliveryPolicy) async throws {
        if let webhook, try await queries.latestRecords(ofWebhook: WebhookID(webhook), limit: 1).isEmpty {
            throw ValidationError("no webhook \(webhook) in the log")
        }
        let report = try await queries.audit(ofWebhook: webhook.map(WebhookID.init), since: since, until: nil)
        let asOf = try await queries.record(at: state.lastSequence)?.record.at ?? Timestamp(milliseconds: 0)
        print("error windows as of \(asOf.rfc3339) (limit \(policy.errorLimit) in \(policy.errorWindow.components.seconds / 60) minutes):")
        for workspace in state.workspaces.values.sorted(by: { $0.id < $1.id })
        where webhook == nil || workspace.webhookIDs.contains(WebhookID(webhook!)) {
            print("  \(workspace.id) \(state.errorCount(of: workspace.id, at: asOf)) of \(policy.errorLimit)")
        }
        print("failures by endpoint:")
        for endpoint in report.endpoints.values.sorted(by: { $0.webhookID < $1.webhookID }) {
            let url = state.webhooks[endpoint.webhookID]?.url ?? "(deleted)"
            let status = state.webhooks[endpoint.webhookID]?.status.rawValue ?? "deleted"
            print("  \(endpoint.webhookID) \(status) \(url) attempts=\(endpoint.attempts) failures=\(endpoint.failures) dropped=\(endpoint.dropped) skipped=\(endpoint.skipped)")
            if !endpoint.failuresByClass.isEmpty {
                print("    by class: " + endpoint.failuresByClass.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
            }
            if !endpoint.failuresByStatus.isEmpty {
                print("    by status: " + endpoint.failuresByStatus.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
            }
        }
        print("disable and enable history:")
        for change in report.statusChanges {
            let text = switch change.kind {
            case .disabled(let reason, _): "disabled: \(reason)"
            case .enabled(let recover): recover ? "enabled, skipped deliveries recovered" : "enabled"
            case .notified(let recipient): "owner notified at \(recipient)"
            case .notificationFailed(let error): "notification failed: \(error)"
            }
            print("  \(change.at.rfc3339) \(change.webhookID) \(text)")
        }
    }
}

/// Parses a time option: RFC 3339 text or Unix seconds.
func parseTime(_ text: String) throws -> Timestamp {
    guard let time = Timestamp(parsing: text) else {
        throw ValidationError("'\(text)' is not a time; use RFC 3339 (2026-11-25T20:00:00Z) or Unix seconds")
    }
    return time
}
