/// The shape of the requests a webhook receives (docs/rules.md §2.6).
public enum WebhookFormat: String, CaseIterable, Codable, Sendable {
    /// The Standard Webhooks request: the envelope `{"id", "type", "workspace_id", "occurred_at", "data"}` signed in
    /// `webhook-signature`.
    case standard
    /// The messaging platform's own request, which receivers written for its webhooks expect: a flat body,
    /// `{"event_type", "event_id", <the data's top-level fields>}`, signed in `X-Webhook-Signature` as well as in the
    /// Standard Webhooks headers.
    case respondio

}

extension WebhookFormat: CaseIndexCodable {
    public static var encodedName: String { "webhook format" }
    public static let casesInOrder = allCases
}
