import HookLogCore

/// A unit of work the engine schedules: the head of one webhook's queue, or one webhook's disable e-mail.
public enum DeliveryJob: Hashable, Sendable {
    /// Attempt the head of this webhook's queue.
    case delivery(WebhookID)
    /// Send the e-mail telling the owner this webhook was disabled.
    case notification(WebhookID)
}
