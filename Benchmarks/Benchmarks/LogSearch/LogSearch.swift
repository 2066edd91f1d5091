import Benchmark
import Foundation
import HookLogCore
import HookLogStore
import Support

/// Search: the latency of a `?q=` search of a webhook's deliveries, the first page of 50
/// (``LogReader/deliveries(ofWebhook:matching:)`` with ``DeliveryQuery/text``), on a simulated log of 1,000,000 events
/// (about 3,490,000 records, 10 workspaces, 50 webhooks), its p50 and p99 over many searches:
///
/// - a contact id: for an event picked at random, the id in its data, searched by a webhook it went to (each of the
///   99,999 ids is in about 10 events of the log, one or two of a workspace);
/// - a name every event holds (`Ada`): the page fills from the newest events, or stops at the scan limit.
///
/// The log is simulated once (``SimulatedLog``) and opened for writing once before the searches, which gives a log
/// written by an older build its search index. `HOOKLOG_BENCH_QUICK=1`: 5,600 events and 200 searches.
let benchmarks: @Sendable () -> Void = {
    let quick = ProcessInfo.processInfo.environment["HOOKLOG_BENCH_QUICK"] != nil
    let log = SimulatedLog(events: quick ? 5_600 : 1_000_000)
    let searches = quick ? 200 : 2_000
    let configuration = Benchmark.Configuration(
        metrics: [SearchLatency.metric], warmupIterations: 0, maxDuration: .seconds(quick ? 5 : 120), maxIterations: 1)
    let setup: @Sendable () async throws -> Void = {
        try await log.prepare()
        try await LogStore(directory: log.directory).close()
    }

    Benchmark("search, a contact id", configuration: configuration, closure: { benchmark in
        let reader = try LogReader(directory: log.directory)
        let sample = try SearchSample.contactIDs(in: reader, count: searches)
        try SearchLatency.measure(benchmark, sample, in: reader)
    }, setup: setup)

    Benchmark("search, a value every event holds", configuration: configuration, closure: { benchmark in
        let reader = try LogReader(directory: log.directory)
        let sample = try SearchSample.contactIDs(in: reader, count: searches).map { ($0.webhook, "Ada") }
        try SearchLatency.measure(benchmark, sample, in: reader)
    }, setup: setup)
}

/// Searches to time: a webhook and a text.
enum SearchSample {
    /// `count` searches, each for the contact id of an event picked at random (seeded), by a webhook it went to.
    static func contactIDs(in reader: LogReader, count: Int) throws -> [(webhook: WebhookID, text: String)] {
        var random = SeededGenerator(seed: 14)
        let last = try reader.lastSequence()
        var sample: [(webhook: WebhookID, text: String)] = []
        while sample.count < count {
            for entry in try reader.records(after: UInt64.random(in: 0..<last, using: &random), limit: 8) {
                guard case .eventReceived(let fact) = entry.record.fact, let fanout = fact.deliveries.first,
                      let id = contactID(in: fact.data)
                else { continue }
                sample.append((fanout.webhookID, String(decoding: id, as: UTF8.self)))
                break
            }
        }
        return sample
    }

    /// The first searchable text of `data` that is a contact id (`c_…`).
    private static func contactID(in data: [UInt8]) -> [UInt8]? {
        var found: [UInt8]?
        DataSearch.forEachSearchableText(in: data) { text in
            if found == nil, text.starts(with: Array("c_".utf8)) { found = text }
        }
        return found
    }
}

/// Times searches one by one: each is a measurement of the suite's metric, and their p50 and p99 in milliseconds are
/// noted for the report.
enum SearchLatency {
    /// The suite's metric: a search's latency, in microseconds.
    static let metric = BenchmarkMetric.custom("search µs", polarity: .prefersSmaller, useScalingFactor: false)

    /// Runs each search of `sample` (the first page of 50), then notes the percentiles as `<name> p50` and `<name> p99`.
    static func measure(_ benchmark: Benchmark, _ sample: [(webhook: WebhookID, text: String)], in reader: LogReader) throws {
        var milliseconds: [Double] = []
        var found = 0
        for (webhook, text) in sample {
            let started = ContinuousClock.now
            let page = try reader.deliveries(ofWebhook: webhook, matching: DeliveryQuery(text: text))
            milliseconds.append((ContinuousClock.now - started) / .milliseconds(1))
            found += page.deliveries.count
        }
        precondition(found >= sample.count, "every search finds at least the delivery it was drawn from")
        for value in milliseconds { benchmark.measurement(metric, Int(value * 1000)) }
        milliseconds.sort()
        for (label, fraction) in [("p50", 0.5), ("p99", 0.99)] {
            let value = milliseconds[min(milliseconds.count - 1, Int(Double(milliseconds.count) * fraction))]
            Figures.record("\(benchmark.baseName) \(label)", value, unit: "ms")
        }
    }
}
