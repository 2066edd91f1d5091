import HookLogCore

/// A page of a webhook's recoverable deliveries taking shape
/// (``LogQueries/recoverableDeliveries(ofWebhook:since:after:through:examining:)``): a backend asks it, for each
/// sequence its index lists under the webhook, oldest first, whether it ``goesOn(at:creating:)``.
struct RecoverablePaging {
    let since: Timestamp?
    let through: UInt64
    let limit: Int
    private var examined = 0
    /// The page so far.
    private(set) var page = RecoverablePage(deliveries: [], resumeAfter: nil)

    /// A page of the deliveries dropped or skipped at or after `since`, created by records up to `through`, at most
    /// `limit` of them looked at.
    init(since: Timestamp?, through: UInt64, examining limit: Int) {
        self.since = since
        self.through = through
        self.limit = limit
    }

    /// Whether the scan goes on to the record at `sequence`, which `creates` a delivery of the webhook or not: not past
    /// `through`, nor beyond `limit` deliveries looked at (the next page resumes there). The caller folds the delivery
    /// it creates and hands it to ``take(_:)``.
    mutating func goesOn(at sequence: UInt64, creating creates: Bool) -> Bool {
        guard sequence <= through else { return false }
        guard creates else { return true }
        guard examined < limit else {
            page.resumeAfter = sequence - 1
            return false
        }
        examined += 1
        return true
    }

    /// Puts the folded `delivery` on the page when it is dropped or skipped, at or after `since`.
    mutating func take(_ delivery: DeliveryRecord) {
        if delivery.state == .dropped || delivery.state == .skipped, since.map({ delivery.stateSince >= $0 }) ?? true {
            page.deliveries.append(delivery.reference)
        }
    }
}
