/// How the concurrency cap is used at one moment, for the metrics: a few counts, never one per workspace.
public struct DeliveryLoad: Sendable, Equatable {
    /// The cap: the most jobs in flight at once.
    public var concurrency: Int
    /// Jobs in flight now: attempts, disable e-mails and test sends.
    public var slotsInUse: Int
    /// Jobs due and waiting for a slot.
    public var jobsWaiting: Int
    /// Workspaces with due jobs or jobs in flight.
    public var workspacesWithWork: Int
    /// The slots each of those workspaces may hold while others wait (``FairShare/slots(forEachOf:)``).
    public var slotsPerWorkspace: Int

    /// The load of an idle scheduler with a cap of `concurrency`.
    public init(concurrency: Int) {
        self.concurrency = concurrency
        slotsInUse = 0
        jobsWaiting = 0
        workspacesWithWork = 0
        slotsPerWorkspace = FairShare(concurrency: concurrency).slots(forEachOf: 0)
    }
}
