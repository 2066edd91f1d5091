/// How a node takes part in a fleet on a PostgreSQL log (docs/postgres.md, ``PartitionLeases``).
public struct FleetSettings: Sendable {
    /// Where the other nodes reach this one (`--node-url`), shown beside its partitions.
    public var url: String?
    /// How long a lease lasts without renewal: a node killed holds its partitions this long.
    public var lease: Duration = .seconds(10)
    /// How often a node renews its leases and moves towards its share.
    public var renewal: Duration = .seconds(1)
    /// How long before its leases end a node stops starting attempts: longer than an attempt and its recording take.
    public var sendingMargin: Duration = .seconds(6)

    /// A node reached at `url`, with the standard lease.
    public init(url: String?) {
        self.url = url
    }
}
