import HookLogCore

/// The dashboard pages e-mails link to, under the server's public base URL (`--public-url`).
struct DashboardLinks {
    /// The base URL without a trailing slash.
    let base: String

    /// Links under `publicURL`, with or without its trailing slash.
    init(publicURL: String) {
        base = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
    }

    /// The webhooks page, where each webhook's Enable button is.
    var webhooks: String { "\(base)/webhooks" }

    /// A webhook's event log: every delivery and attempt, and why each failed.
    func eventLog(of webhookID: WebhookID) -> String { "\(base)/webhooks/\(webhookID)" }
}
