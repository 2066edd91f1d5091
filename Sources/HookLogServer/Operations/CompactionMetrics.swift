import HookLogCore
import HookLogStore
import Prometheus

/// What the ``Compactor`` shows operators: where history starts, how far the last cut lags behind the retention's
/// cut-off, and how many records compaction removed.
final class CompactionMetrics: Sendable {
    private let historyStart: Gauge
    private let lag: Gauge
    private let removed: Counter

    /// The gauges and counter, registered in `registry`.
    init(registry: PrometheusCollectorRegistry) {
        historyStart = registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "hooklog", metricName: "history_start", unitName: "timestamp_seconds",
            helpText: "Where the log's history starts: the cut-off of its last compaction (0 while it holds every record)."))
        lag = registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "hooklog", metricName: "compaction_lag", unitName: "seconds",
            helpText: "How far the last compaction's cut-off was behind the retention's when it ran."))
        removed = registry.makeCounter(descriptor: MetricNameDescriptor(
            namespace: "hooklog", metricName: "compacted_records", unitName: "total",
            helpText: "Records compaction removed, with their index entries."))
    }

    /// Shows where history starts when the server starts.
    func start(at historyStart: Timestamp?) {
        self.historyStart.set(Double(historyStart?.milliseconds ?? 0) / 1000)
    }

    /// Counts a pass that ran with the retention's cut-off at `cutoff`; nil when it had nothing new to cut.
    func compacted(_ report: CompactionReport?, cutoff: Timestamp, previousStart: Timestamp?) {
        guard let report else {
            lag.set(Double(cutoff.milliseconds - (previousStart?.milliseconds ?? cutoff.milliseconds)) / 1000)
            return
        }
        historyStart.set(Double(cutoff.milliseconds) / 1000)
        lag.set(Double(0))
        removed.increment(by: Int64(report.removed))
    }
}
