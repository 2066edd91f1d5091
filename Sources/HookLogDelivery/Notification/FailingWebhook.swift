public import HookLogCore

/// A webhook whose failed attempts count in its workspace's error window, as the warning e-mail lists it.
public struct FailingWebhook: Sendable {
    public var webhook: Webhook
    /// Its failed attempts in the window.
    public var failures: Int
    /// Its most recent failed attempt.
    public var lastError: AttemptRecord

    /// A webhook with `failures` failed attempts in the window, the last of them `lastError`.
    public init(webhook: Webhook, failures: Int, lastError: AttemptRecord) {
        self.webhook = webhook
        self.failures = failures
        self.lastError = lastError
    }
}
