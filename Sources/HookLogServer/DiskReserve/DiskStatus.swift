import HookLogStore

/// The data directory's disk at one measure, against the reserve: what `/healthz`, the metrics and ingest look at.
struct DiskStatus: Sendable {
    /// The free space and the data file's size when measured.
    var usage: DiskUsage
    /// The reserve, ``DiskReserve/size``.
    var reserve: ByteSize

    /// Whether less than the reserve is free, on the disk and inside the data file together, so that ingest is
    /// refused.
    var isLow: Bool {
        usage.availableBytes < reserve.bytes
    }
}
