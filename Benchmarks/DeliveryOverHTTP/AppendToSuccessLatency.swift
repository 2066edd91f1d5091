import HookLogCore
import HookLogStore
import Histogram

/// The time from each event's durable append to its delivery's 2xx being recorded, read back from a stopped server's
/// log: each `EventReceived` record's time paired with its delivery's `AttemptSucceeded` record's time, in
/// milliseconds (the log's resolution), in an HdrHistogram.
struct AppendToSuccessLatency {
    let histogram: Histogram<UInt64>
    /// Failed attempts in the log (silent endpoints' timeouts among them).
    let failedAttempts: Int

    /// Reads the log of the data directory `directory`, read-only, merged with the records compaction moved to
    /// `archive`, if any; with `eventType`, only the deliveries of events of that type.
    init(directory: String, archive: String? = nil, eventType: EventType? = nil) throws {
        var histogram = Histogram<UInt64>(numberOfSignificantValueDigits: .three)
        var failedAttempts = 0
        var appendedAt: [DeliveryID: Timestamp] = [:]
        let reader = try LogReader(directory: directory)
        let visit: (LoggedRecord) -> Bool = { entry in
            switch entry.record.fact {
            case .eventReceived(let event) where eventType == nil || event.type == eventType:
                for fanout in event.deliveries { appendedAt[fanout.deliveryID] = entry.record.at }
            case .attemptSucceeded(let success):
                if let appended = appendedAt.removeValue(forKey: success.deliveryID) {
                    _ = histogram.record(UInt64(max(0, entry.record.at.milliseconds - appended.milliseconds)))
                }
            case .attemptFailed:
                failedAttempts += 1
            default:
                break
            }
            return true
        }
        if let archive {
            try reader.forEachRecord(mergedWith: try ArchiveReader(directory: archive), visit)
        } else {
            try reader.forEachRecord(visit)
        }
        self.histogram = histogram
        self.failedAttempts = failedAttempts
    }

    /// Deliveries whose success is in the log.
    var succeeded: Int { Int(histogram.totalCount) }

    /// The latency in milliseconds below which `percentile` % of the deliveries fall.
    func milliseconds(atPercentile percentile: Double) -> Double {
        Double(histogram.valueAtPercentile(percentile))
    }
}
