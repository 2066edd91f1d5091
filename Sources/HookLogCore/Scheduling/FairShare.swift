/// How the global concurrency cap is shared between workspaces (docs/rules.md §2.2): "the cap is shared round-robin
/// first across workspaces that have work, then across that workspace's webhooks; an endpoint that answers in 4.9 s
/// holds a slot only within its workspace's share."
///
/// A slot cannot be taken back from an attempt under way, so a workspace that comes with work can only start at once
/// if a slot is free when it comes. The share therefore keeps a ``reserve``: one slot in sixteen of the cap (at least
/// one, none under a cap of 1) that no workspace fills beyond its share. The rest is divided evenly among the
/// workspaces with work (due jobs or attempts in flight): each may hold ``slots(forEachOf:)`` while others wait, and
/// a workspace alone takes all but the reserve.
public struct FairShare: Sendable, Equatable {
    /// The most jobs in flight at once, all workspaces together.
    public let concurrency: Int
    /// Slots kept free for a workspace below its share: a workspace at or beyond its share takes a free slot only
    /// while more than this many are free.
    public let reserve: Int

    /// The share of a cap of `concurrency` jobs in flight.
    public init(concurrency: Int) {
        precondition(concurrency > 0, "concurrency must be positive")
        self.concurrency = concurrency
        reserve = concurrency < 2 ? 0 : max(1, concurrency / 16)
    }

    /// The slots each workspace may hold while others wait, when `workspaces` have work: the cap less the reserve,
    /// divided evenly, and at least one.
    public func slots(forEachOf workspaces: Int) -> Int {
        max(1, (concurrency - reserve) / max(1, workspaces))
    }
}
