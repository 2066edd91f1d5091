import HookLogCore
import HookLogStore
import Synchronization

/// Watches the data directory's disk against a ``DiskReserve``: ingest asks it before every request, and `/healthz`
/// and the metrics read it.
///
/// A measure (two system calls) is kept for ``freshness`` of the server's time. Within ``closeRange`` of the reserve
/// every question measures afresh, so that a burst of ingest cannot write past the reserve before the next measure;
/// and a refused request has always just measured, so that ingest resumes on the first request after space is freed.
final class DiskWatch: Sendable {
    /// How long a measure far from the reserve is used before the disk is measured again.
    static var freshness: Duration { .seconds(1) }
    /// How far above the reserve the disk is measured at every question: the reserve's own size, at least 64 MiB.
    var closeRange: UInt64 { max(reserve.size.bytes, 64 << 20) }

    /// The reserve watched.
    let reserve: DiskReserve
    private let now: @Sendable () -> Timestamp
    private let measure: @Sendable () throws -> DiskUsage
    private let latest = Mutex<(usage: DiskUsage, at: Timestamp)?>(nil)

    /// Watches `reserve` at the times `now` tells (the server's clock), measuring the disk with `measure` (its
    /// ``DiskUsage/measure(_:)``, unless a test stands in for the disk).
    init(reserve: DiskReserve, now: @escaping @Sendable () -> Timestamp, measure: (@Sendable () throws -> DiskUsage)? = nil) {
        self.reserve = reserve
        self.now = now
        self.measure = measure ?? { [directory = reserve.directory] in try DiskUsage.measure(directory) }
    }

    /// The disk as last measured, measured again first when that measure is stale or close to the reserve; nil while
    /// the disk cannot be measured at all.
    func status() -> DiskStatus? {
        let time = now()
        let kept = latest.withLock { $0 }
        if let kept, time < kept.at.adding(Self.freshness), isFarAboveReserve(kept.usage) {
            return DiskStatus(usage: kept.usage, reserve: reserve.size)
        }
        guard let usage = try? measure() else { return kept.map { DiskStatus(usage: $0.usage, reserve: reserve.size) } }
        latest.withLock { $0 = (usage, time) }
        return DiskStatus(usage: usage, reserve: reserve.size)
    }

    /// Whether `usage` leaves at least ``closeRange`` free above the reserve.
    private func isFarAboveReserve(_ usage: DiskUsage) -> Bool {
        usage.availableBytes >= reserve.size.bytes && usage.availableBytes - reserve.size.bytes >= closeRange
    }

    /// Refuses a request that adds events with `507 insufficient_storage` while less than the reserve is free.
    func admitIngest() throws(APIError) {
        guard let status = status(), status.isLow else { return }
        throw APIError.insufficientStorage(
            "only \(ByteSize(bytes: status.usage.availableBytes)) is free on the disk of the data directory (inside its data file included), below its "
                + "\(reserve.size) reserve (--min-free-disk): new events are refused until space is freed, and the "
                + "deliveries already owed go on being made")
    }
}
