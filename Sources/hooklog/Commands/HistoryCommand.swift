import ArgumentParser
import HookLogCore
import HookLogStore

/// `hooklog history`: a webhook's or an event's deliveries with every attempt.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Print the deliveries of a webhook or an event, with their attempts.")

    @OptionGroup var data: DataOptions
    @OptionGroup var store: StoreOptions
    @Option(help: "The webhook (wh_…) whose event log to print.") var webhook: String?
    @Option(help: "The event (evt_…) whose deliveries to print.") var event: String?

    func validate() throws {
        guard (webhook == nil) != (event == nil) else {
            throw ValidationError("give exactly one of --webhook ID and --event ID")
        }
    }

    func run() async throws {
        let subject: DeliveryHistory.Subject = if let webhook { .webhook(WebhookID(webhook)) } else { .event(EventID(event!)) }
        let inDatabase = try await store.withDatabase { database in
            try printHistory(try await database.queries.history(of: subject), start: nil)
        }
        if inDatabase { return }
        let reader = try data.reader()
        try printHistory(try reader.history(of: subject), start: try reader.historyStart())
    }

    /// Prints `history`'s deliveries with their attempts, after where history starts when the log was compacted.
    private func printHistory(_ history: DeliveryHistory, start: HistoryStart?) throws {
        guard !history.deliveries.isEmpty else {
            let expired = start.map { "; history starts at \($0.at.rfc3339), so older ones may have expired" } ?? ""
            throw ValidationError("no deliveries found for \(webhook ?? event!)\(expired)")
        }
        if let start { print("history starts at \(start.at.rfc3339): finished deliveries before it were compacted away") }
        for delivery in history.deliveries {
            var line = "\(delivery.deliveryID) \(delivery.createdAt.rfc3339) \(delivery.state.rawValue) "
                + "event=\(delivery.eventID) type=\(delivery.eventType.rawValue) webhook=\(delivery.webhookID)"
            if let original = delivery.redeliveryOf { line += " redelivery_of=\(original)" }
            print(line)
            for attempt in delivery.attempts {
                let outcome = attempt.statusCode.map { "status=\($0)" } ?? "error=\(attempt.error?.rawValue ?? "unknown")"
                var attemptLine = "  attempt \(attempt.number) \(attempt.startedAt.rfc3339) \(attempt.durationMilliseconds)ms \(outcome)"
                if let next = attempt.nextAttemptAt { attemptLine += " retry_at=\(next.rfc3339)" }
                if !attempt.responseSnippet.isEmpty { attemptLine += " response=\(JSONValue.string(attempt.responseSnippet).text)" }
                print(attemptLine)
            }
        }
    }
}
