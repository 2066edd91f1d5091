import HookLogCore
import HookLogDelivery

/// What the templates show of the log's values: plain dictionaries of text, flags and lists, computed here so the
/// templates stay logic-less.
enum DashboardView {
    /// A row of the webhooks table.
    static func webhook(_ webhook: Webhook) -> [String: Any] {
        [
            "id": webhook.id.rawValue, "url": webhook.url,
            "eventLabels": webhook.events.map { ["label": $0.entry.label, "name": $0.rawValue] },
            "active": webhook.status == .active, "disabledReason": webhook.disabledReason ?? "",
            "disabledAt": webhook.disabledAt?.rfc3339 ?? "",
            "formatLabel": formatLabel(webhook.format), "platformFormat": webhook.format == .respondio,
            "signingKey": String(WebhookSigner.signingKey(of: webhook.secret)),
            "rateLimit": webhook.rateLimit as Any,
            "formats": formats(selected: webhook.format),
        ]
    }

    /// The choices of a format menu, `selected` chosen.
    static func formats(selected: WebhookFormat) -> [[String: Any]] {
        WebhookFormat.allCases.map { ["value": $0.rawValue, "label": formatLabel($0), "selected": $0 == selected] }
    }

    /// What the dashboard calls a format.
    static func formatLabel(_ format: WebhookFormat) -> String {
        switch format {
        case .standard: "Standard Webhooks"
        case .respondio: "respond.io (flat body, X-Webhook-Signature)"
        }
    }

    /// A row of an event log.
    static func delivery(_ delivery: DeliveryRecord) -> [String: Any] {
        let last = delivery.attempts.last
        return [
            "id": delivery.deliveryID.rawValue, "eventID": delivery.eventID.rawValue,
            "eventType": delivery.eventType.rawValue, "createdAt": delivery.createdAt.rfc3339,
            "state": delivery.state.rawValue, "attempts": delivery.attempts.count,
            "lastResult": last.map(result(of:)) ?? "—", "redelivery": delivery.redeliveryOf != nil,
        ]
    }

    /// A row of a delivery's attempts.
    static func attempt(_ attempt: AttemptRecord) -> [String: Any] {
        [
            "number": attempt.number, "startedAt": attempt.startedAt.rfc3339,
            "duration": "\(attempt.durationMilliseconds) ms", "result": result(of: attempt), "succeeded": attempt.succeeded,
            "snippet": attempt.responseSnippet, "nextAttemptAt": attempt.nextAttemptAt?.rfc3339 as Any,
        ]
    }

    /// An attempt's outcome in a few words: its status code, or the error that stopped it.
    static func result(of attempt: AttemptRecord) -> String {
        if let code = attempt.statusCode { return "HTTP \(code)" }
        return attempt.error.map { "error: \($0.rawValue)" } ?? "—"
    }

    /// The value of a `datetime-local` input for `time` (UTC, to the minute).
    static func localInput(_ time: Timestamp?) -> String {
        time.map { String($0.rfc3339.prefix(16)) } ?? ""
    }

    /// A time a filter was given: RFC 3339, or a `datetime-local` value read as UTC.
    static func parseTime(_ text: String?, field: String) throws(APIError) -> Timestamp? {
        guard let text, !text.isEmpty else { return nil }
        for candidate in [text, text + ":00Z", text + "Z"] {
            if let time = Timestamp(parsing: candidate) { return time }
        }
        throw APIError.invalidField("\(field) must be a time such as 2026-11-25T10:00 (UTC), not '\(text)'")
    }
}

/// Successes and failures of a webhook's attempts per minute over the last hour, drawn as stacked bars in SVG.
struct AttemptChart {
    static let minutes = 60
    private(set) var successes = [Int](repeating: 0, count: AttemptChart.minutes)
    private(set) var failures = [Int](repeating: 0, count: AttemptChart.minutes)
    let end: Timestamp

    /// An empty chart of the hour before `now`, counted in whole minutes ending with the current one.
    init(now: Timestamp) {
        end = Timestamp(milliseconds: (now.milliseconds / 60_000 + 1) * 60_000)
    }

    /// Counts `record` if it is an attempt within the hour.
    mutating func count(_ record: Record) {
        let age = end.milliseconds - record.at.milliseconds
        let minute = Self.minutes - 1 - Int((age - 1) / 60_000)
        guard age > 0, (0..<Self.minutes).contains(minute) else { return }
        switch record.fact {
        case .attemptSucceeded: successes[minute] += 1
        case .attemptFailed: failures[minute] += 1
        default: break
        }
    }

    /// The chart as inline SVG: numbers only, so it is safe to insert as it is.
    var svg: String {
        let highest = max(1, zip(successes, failures).map { $0 + $1 }.max() ?? 1)
        let (width, height) = (10, 100)
        var bars = ""
        for minute in 0..<Self.minutes {
            let ok = successes[minute] * height / highest
            let failed = failures[minute] * height / highest
            let x = minute * width
            if ok > 0 { bars += #"<rect class="ok" x="\#(x)" y="\#(height - ok)" width="\#(width - 2)" height="\#(ok)"/>"# }
            if failed > 0 {
                bars += #"<rect class="failed" x="\#(x)" y="\#(height - ok - failed)" width="\#(width - 2)" height="\#(failed)"/>"#
            }
        }
        let total = (successes.reduce(0, +), failures.reduce(0, +))
        let label = "\(total.0) successful and \(total.1) failed attempts in the last hour; the highest minute had \(highest)"
        return #"<svg class="chart" viewBox="0 0 \#(Self.minutes * width) \#(height + 1)" role="img" aria-label="\#(label)" preserveAspectRatio="none">"#
            + #"<title>\#(label)</title><line x1="0" y1="\#(height)" x2="\#(Self.minutes * width)" y2="\#(height)" class="axis"/>"#
            + bars + "</svg>"
    }

    var successCount: Int { successes.reduce(0, +) }
    var failureCount: Int { failures.reduce(0, +) }
}
