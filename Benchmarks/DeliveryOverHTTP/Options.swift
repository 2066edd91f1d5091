/// The command line of `DeliveryOverHTTP`: `--name value` pairs; `--hooklog`, `--results` and `--wrk-script` are
/// required, the sizes default to the full run of issue #5.
struct Options {
    /// An option missing, unknown or not a number.
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    static let usage = """
        usage: DeliveryOverHTTP --hooklog BIN --results DIR --wrk-script LUA [--webhooks 1000] [--silent-webhooks 100]
               [--events 100000] [--paced-rate 2000] [--paced-seconds 20] [--compacting-rounds 5] [--wrk-seconds 10] [--concurrency 256]
               [--timeout 300]
               [--history DIR] [--history-rounds 3] [--slow-webhooks 1000] [--slow-delay-ms 4500] [--fair-rate 50] [--fair-seconds 20]
               [--fair-concurrency 256] [--runs delivery,fairness,postgres]
        """

    /// The `hooklog` executable to serve with.
    let hooklog: String
    /// The folder the figures and the servers' output go to.
    let results: String
    let wrkScript: String
    let webhooks: Int
    let silentWebhooks: Int
    /// Events of the burst.
    let events: Int
    /// Events per second of the paced runs: fixed, so that their latency is comparable from one build to the next
    /// whatever the burst's rate (issue #15 names 2,000).
    let pacedRate: Int
    let pacedSeconds: Int
    /// How many times the paced run is made alone and with compaction, in turn: the p99s of runs of 20 s on a shared
    /// machine differ up to threefold from one run to the next, so the compacting figure compares medians.
    let compactingRounds: Int
    let wrkSeconds: Int
    /// The server's deliveries in flight at once, and wrk's connections.
    let concurrency: Int
    /// The longest wait for a run's deliveries, in seconds.
    let timeout: Int
    /// A data directory holding a long history: the burst runs again on a server started on a copy of it.
    let history: String?
    /// How many times the burst is made on a copy of the history and on an empty log, in turn: one burst's rate moves
    /// by a fifth from one run to the next on a shared machine, so the history figure compares medians.
    let historyRounds: Int
    /// The fairness run: workspace A's webhooks whose endpoints answer after `slowDelayMilliseconds`, workspace B's
    /// events per second to its one webhook, for `fairSeconds`, on a server with a cap of `fairConcurrency`.
    let slowWebhooks: Int
    let slowDelayMilliseconds: Int
    let fairRate: Int
    let fairSeconds: Int
    let fairConcurrency: Int
    /// Which runs to make: `delivery` (burst, paced, isolation, compacting), `fairness`, and `postgres` (the burst again
    /// on a log in a throwaway PostgreSQL cluster, beside the burst of `delivery`, which it needs).
    let runs: Set<String>

    init(_ arguments: [String]) throws {
        guard arguments.count % 2 == 0 else { throw Invalid(description: Self.usage) }
        var values: [String: String] = [:]
        for index in stride(from: 0, to: arguments.count, by: 2) {
            values[arguments[index]] = arguments[index + 1]
        }
        func text(_ name: String) throws -> String {
            guard let value = values.removeValue(forKey: "--\(name)") else { throw Invalid(description: "--\(name) is required\n" + Self.usage) }
            return value
        }
        func number(_ name: String, _ standard: Int) throws -> Int {
            guard let value = values.removeValue(forKey: "--\(name)") else { return standard }
            guard let number = Int(value), number > 0 else { throw Invalid(description: "--\(name) takes a positive number, not \(value)") }
            return number
        }
        hooklog = try text("hooklog")
        results = try text("results")
        wrkScript = try text("wrk-script")
        webhooks = try number("webhooks", 1_000)
        silentWebhooks = try number("silent-webhooks", 100)
        events = try number("events", 100_000)
        pacedRate = try number("paced-rate", 2_000)
        pacedSeconds = try number("paced-seconds", 20)
        compactingRounds = try number("compacting-rounds", 5)
        wrkSeconds = try number("wrk-seconds", 10)
        concurrency = try number("concurrency", 256)
        timeout = try number("timeout", 300)
        history = values.removeValue(forKey: "--history")
        historyRounds = try number("history-rounds", 3)
        slowWebhooks = try number("slow-webhooks", 1_000)
        slowDelayMilliseconds = try number("slow-delay-ms", 4_500)
        fairRate = try number("fair-rate", 50)
        fairSeconds = try number("fair-seconds", 20)
        fairConcurrency = try number("fair-concurrency", 256)
        runs = Set((values.removeValue(forKey: "--runs") ?? "delivery,fairness").split(separator: ",").map(String.init))
        guard runs.isSubset(of: ["delivery", "fairness", "postgres"]), !runs.isEmpty,
              !runs.contains("postgres") || runs.contains("delivery")
        else {
            throw Invalid(description: "--runs takes delivery, fairness and postgres (with delivery), comma-separated\n" + Self.usage)
        }
        guard values.isEmpty else { throw Invalid(description: "unknown option \(values.keys.sorted()[0])\n" + Self.usage) }
    }
}
