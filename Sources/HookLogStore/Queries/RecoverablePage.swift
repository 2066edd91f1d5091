public import HookLogCore

/// One page of a webhook's recoverable deliveries (``LogQueries/recoverableDeliveries(ofWebhook:since:after:through:examining:)``).
public struct RecoverablePage: Hashable, Sendable {
    /// The dropped and skipped deliveries the page found, in the order they were created.
    public var deliveries: [DeliveryReference]
    /// The sequence after which the next page starts; nil when this page was the last.
    public var resumeAfter: UInt64?

    public init(deliveries: [DeliveryReference], resumeAfter: UInt64?) {
        self.deliveries = deliveries
        self.resumeAfter = resumeAfter
    }
}
