public import HookLogCore

/// A node's part in a fleet on a shared log, as `/healthz` and `/metrics` show it (docs/postgres.md).
public struct FleetStanding: Sendable, Equatable {
    /// The node's name in the fleet, new at each start.
    public var node: String
    /// Where the other nodes reach it, when it was told (`--node-url`).
    public var url: String?
    /// How many nodes were alive when it last renewed its leases.
    public var nodes: Int
    /// The partitions it holds a lease on, each with the epoch it took it at.
    public var held: [Partition: Int64]
    /// The partitions it delivers now, in order: those it holds, less any it hands over or whose lease could end
    /// before an attempt.
    public var delivering: [Partition]
}
