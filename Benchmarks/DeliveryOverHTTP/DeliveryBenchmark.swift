import AsyncHTTPClient
import Foundation
import HookLogCore
import HookLogStore
import HookLogTestSupport

/// Delivery over HTTP, as issue #5 asks: `hooklog serve` delivering to webhooks on loopback endpoints that answer
/// 204 at once, judged against wrk's rate to the same endpoints. Each run on a fresh server and data directory: a burst
/// (throughput), a paced run at a fixed rate (`--paced-rate`, latency), the paced run again with silent webhooks
/// beside the answering ones (isolation), and again to endpoints over HTTPS.
struct DeliveryBenchmark {
    let options: Options

    /// Makes the runs `--runs` asks for and writes their figures to `figure-delivery.json` and `figure-fairness.json`
    /// (``fairnessFigures(endpoints:client:)``) in the results folder.
    func run() async throws {
        let endpoints = try await LoopbackEndpoints.start(slowDelay: .milliseconds(options.slowDelayMilliseconds))
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let figures: [Figure]
        let fairness: [Figure]
        do {
            figures = options.runs.contains("delivery") ? try await measure(endpoints: endpoints, client: client) : []
            fairness = options.runs.contains("fairness") ? try await fairnessFigures(endpoints: endpoints, client: client) : []
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
        try await endpoints.stop()
        if !figures.isEmpty { try Figure.write(figures, to: options.results + "/figure-delivery.json") }
        if !fairness.isEmpty { try Figure.write(fairness, to: options.results + "/figure-fairness.json") }
    }

    private func measure(endpoints: LoopbackEndpoints, client: HTTPClient) async throws -> [Figure] {
        var figures: [Figure] = []
        let wrk = try wrkBaseline(endpoints: endpoints)
        if let wrk { figures.append(wrk) }
        figures += try await clientStackFigures(endpoints: endpoints, wrk: wrk)
        let timeout = Duration.seconds(options.timeout)

        let (burst, burstLatency) = try await burstAlone("burst", history: nil, endpoints: endpoints, client: client)
        let burstName = "delivered, burst of \(options.events) events to \(options.webhooks) webhooks"
        Self.say("\(burstName): \(Int(burst.deliveredPerSecond))/s (\(burst.delivered) in \(burst.seconds) s)")
        figures.append(Figure(
            name: burstName, value: burst.deliveredPerSecond, unit: "deliveries/s", baseline: wrk?.name,
            baselineValue: wrk?.value, target: ">= 0.5 x baseline", minimumRatio: 0.5,
            note: (burst.complete ? "" : "TIMED OUT: \(burst.delivered) of \(options.events) delivered; ")
                + "from the first POST /v1/events to the last 204; concurrency \(options.concurrency)"
                + (wrk == nil ? "; wrk is not installed, so no baseline" : "")))
        figures += latencyFigures(burstLatency, run: "burst")
        if options.runs.contains("postgres") {
            figures += try await postgresFigures(beside: burst, burstName: burstName, endpoints: endpoints, client: client)
        }

        let rate = Double(options.pacedRate)
        let paced = PacedLoad(rate: rate, duration: .seconds(options.pacedSeconds), timeout: timeout)
        let (alone, aloneLatency) = try await pacedAlone(paced, run: "paced", endpoints: endpoints, client: client)
        let pacedRun = "paced at \(Int(rate))/s"
        figures += latencyFigures(aloneLatency, run: pacedRun, p99Maximum: 10, incomplete: alone)

        let (beside, besideLatency) = try await withServer("isolation", client: client) { api, adminKey in
            let fleet = try await Fleet.create(
                answering: options.webhooks, silent: options.silentWebhooks, endpoints: endpoints, api: api,
                adminKey: adminKey)
            return try await paced.run(fleet: fleet, api: api, endpoints: endpoints)
        }
        let p99Alone = aloneLatency.milliseconds(atPercentile: 99)
        let p99Beside = besideLatency.milliseconds(atPercentile: 99)
        Self.say("isolation: p99 \(p99Beside) ms beside \(options.silentWebhooks) silent webhooks, \(p99Alone) ms without")
        figures.append(Figure(
            name: "append to 2xx p99, \(pacedRun), \(options.silentWebhooks) silent webhooks beside", value: p99Beside,
            unit: "ms", baseline: "append to 2xx p99, \(pacedRun)", baselineValue: p99Alone, target: "<= 2 x baseline",
            maximumRatio: 2,
            note: Self.incompleteNote(beside) + "the answering webhooks only; \(besideLatency.failedAttempts) attempts to "
                + "silent endpoints timed out; \(beside.events) events posted in all"))

        figures.append(try await pacedOverHTTPS(paced, pacedRun: pacedRun, p99Alone: p99Alone, client: client))
        figures += try await compactingFigures(
            paced: paced, pacedRun: pacedRun, firstP99Alone: p99Alone, endpoints: endpoints, client: client)
        // Last: each history run copies several GB, and removing the copy afterwards still costs the disk for a while,
        // which would slow whatever fsyncs next (the paced p99 read 144 ms instead of about 20 when it came next).
        if let history = options.history {
            figures.append(try await burstWithHistory(history, burst: burst, burstName: burstName, endpoints: endpoints, client: client))
        }
        return figures
    }

    /// The burst again on a server started on a copy of the data directory `history`, against the burst on an empty
    /// log: the throughput must hold as history grows. `--history-rounds` rounds, each a burst on a new copy of the
    /// history after a burst on an empty log (but the first, which follows `burst`); medians compared.
    private func burstWithHistory(
        _ history: String, burst: Burst.Outcome, burstName: String, endpoints: LoopbackEndpoints, client: HTTPClient
    ) async throws -> Figure {
        let records = try LogReader(directory: history).lastSequence()
        var empty = [burst]
        var withHistory: [Burst.Outcome] = []
        for round in 1...options.historyRounds {
            if round > 1 {
                empty.append(try await burstAlone("burst-\(round)", history: nil, endpoints: endpoints, client: client).0)
            }
            let (outcome, _) = try await burstAlone(
                "burst-history-\(round)", history: history, endpoints: endpoints, client: client)
            withHistory.append(outcome)
            Self.say("burst, round \(round): \(Int(outcome.deliveredPerSecond))/s with \(records) records of history, "
                + "\(Int(empty[round - 1].deliveredPerSecond))/s on an empty log")
        }
        let pairs = zip(withHistory, empty).map { "\(Int($0.deliveredPerSecond)) vs \(Int($1.deliveredPerSecond))" }
        return Figure(
            name: "\(burstName), \(records) records of history, median of \(withHistory.count)",
            value: Self.median(withHistory.map(\.deliveredPerSecond)), unit: "deliveries/s",
            baseline: "\(burstName), median of \(empty.count)", baselineValue: Self.median(empty.map(\.deliveredPerSecond)),
            target: ">= 0.9 x baseline", minimumRatio: 0.9,
            note: (withHistory + empty).filter { !$0.complete }.map { "TIMED OUT: \($0.delivered) of \(options.events) delivered; " }.joined()
                + "deliveries/s with history vs empty, round by round: \(pairs.joined(separator: ", ")); on a copy of a "
                + "simulated log, kept whole (--retention forever)")
    }

    /// The paced run to endpoints over HTTPS on loopback, beside the paced run over plain HTTP: the server trusts their
    /// certificate through `--extra-ca-certificates` and keeps its connections alive, so each makes one handshake.
    private func pacedOverHTTPS(
        _ paced: PacedLoad, pacedRun: String, p99Alone: Double, client: HTTPClient
    ) async throws -> Figure {
        let certificate = options.results + "/loopback-ca.pem"
        try TestCertificate.certificatePEM.write(toFile: certificate, atomically: true, encoding: .utf8)
        let endpoints = try await LoopbackEndpoints.start(tls: try TestCertificate.serverContext())
        let (outcome, latency) = try await withServer(
            "paced-https", client: client, retentionSeconds: nil, history: nil,
            arguments: ["--extra-ca-certificates", certificate]
        ) { api, adminKey, _ in
            let fleet = try await Fleet.create(
                answering: options.webhooks, silent: 0, endpoints: endpoints, api: api, adminKey: adminKey)
            return try await paced.run(fleet: fleet, api: api, endpoints: endpoints)
        }
        try await endpoints.stop()
        let p99 = latency.milliseconds(atPercentile: 99)
        Self.say("https: append to 2xx p99 \(p99) ms (\(p99Alone) ms over http)")
        return Figure(
            name: "append to 2xx p99, \(pacedRun), https endpoints", value: p99, unit: "ms",
            baseline: "append to 2xx p99, \(pacedRun)", baselineValue: p99Alone,
            note: Self.incompleteNote(outcome) + "\(latency.succeeded) deliveries to \(options.webhooks) endpoints at "
                + "\(endpoints.origin) (TLS, a P-256 certificate), connections kept alive; p50 "
                + "\(latency.milliseconds(atPercentile: 50)) ms, p999 \(latency.milliseconds(atPercentile: 99.9)) ms")
    }

    /// The burst on a fresh server that keeps every record, on a copy of the data directory `history` when given.
    private func burstAlone(
        _ run: String, history: String?, endpoints: LoopbackEndpoints, client: HTTPClient
    ) async throws -> (Burst.Outcome, AppendToSuccessLatency) {
        try await withServer(run, client: client, retentionSeconds: nil, history: history) { api, adminKey, _ in
            let fleet = try await Fleet.create(
                answering: options.webhooks, silent: 0, endpoints: endpoints, api: api, adminKey: adminKey)
            return try await Burst(events: options.events, timeout: .seconds(options.timeout))
                .run(fleet: fleet, api: api, endpoints: endpoints)
        }
    }

    /// The paced run on a fresh server that keeps every record.
    private func pacedAlone(
        _ paced: PacedLoad, run: String, endpoints: LoopbackEndpoints, client: HTTPClient
    ) async throws -> (PacedLoad.Outcome, AppendToSuccessLatency) {
        try await withServer(run, client: client) { api, adminKey in
            let fleet = try await Fleet.create(
                answering: options.webhooks, silent: 0, endpoints: endpoints, api: api, adminKey: adminKey)
            return try await paced.run(fleet: fleet, api: api, endpoints: endpoints)
        }
    }

    /// The paced run again on a server that keeps a retention of a sixth of the run and archives what it compacts:
    /// compaction runs all along, `--compacting-rounds` times, each round after a paced run alone (but the first,
    /// which follows the one `firstP99Alone` comes from). The median of the rounds' append-to-2xx p99s against the
    /// median of the runs alone; and the data file's size over the last third of the run against the middle third
    /// (flat once the retention is reached), of the round where it grew most. A sixth, so that the middle third starts
    /// once twice the retention has passed: the first records only go a pass after they are older than the retention,
    /// and the file is only flat from then on.
    private func compactingFigures(
        paced: PacedLoad, pacedRun: String, firstP99Alone: Double, endpoints: LoopbackEndpoints, client: HTTPClient
    ) async throws -> [Figure] {
        let retention = max(1, options.pacedSeconds / 6)
        var p99sAlone = [firstP99Alone]
        var rounds: [(p99: Double, middle: UInt64, last: UInt64, outcome: PacedLoad.Outcome, succeeded: Int)] = []
        for round in 1...options.compactingRounds {
            if round > 1 {
                let (_, latency) = try await pacedAlone(paced, run: "paced-\(round)", endpoints: endpoints, client: client)
                p99sAlone.append(latency.milliseconds(atPercentile: 99))
            }
            let samples = DataFileSamples()
            let (outcome, latency) = try await withServer(
                "compacting-\(round)", client: client, retentionSeconds: retention, history: nil
            ) { api, adminKey, server in
                let fleet = try await Fleet.create(
                    answering: options.webhooks, silent: 0, endpoints: endpoints, api: api, adminKey: adminKey)
                let directory = server.dataDirectory
                let sampler = Task {
                    while !Task.isCancelled {
                        samples.sample(dataDirectory: directory)
                        try await Task.sleep(for: .milliseconds(250))
                    }
                }
                defer { sampler.cancel() }
                return try await paced.run(fleet: fleet, api: api, endpoints: endpoints)
            }
            let (middle, last) = samples.thirds()
            let p99 = latency.milliseconds(atPercentile: 99)
            Self.say("compacting, round \(round): append to 2xx p99 \(p99) ms (\(p99sAlone[round - 1]) ms alone); "
                + "data file \(middle) then \(last) bytes")
            rounds.append((p99, middle, last, outcome, latency.succeeded))
        }
        let p99 = Self.median(rounds.map(\.p99))
        let p99Alone = Self.median(p99sAlone)
        let grown = rounds.max { Double($0.last) / Double(max($0.middle, 1)) < Double($1.last) / Double(max($1.middle, 1)) }!
        let pairs = zip(rounds, p99sAlone).map { "\(Int($0.p99)) vs \(Int($1))" }.joined(separator: ", ")
        return [
            Figure(
                name: "append to 2xx p99, \(pacedRun), compacting (retention \(retention) s), median of \(rounds.count)",
                value: p99, unit: "ms", baseline: "append to 2xx p99, \(pacedRun), median of \(p99sAlone.count)",
                baselineValue: p99Alone, target: "<= 1.5 x baseline", maximumRatio: 1.5,
                note: rounds.map { Self.incompleteNote($0.outcome) }.joined()
                    + "p99 ms compacting vs alone, round by round: \(pairs); \(rounds[0].succeeded) deliveries in the "
                    + "first round, read from the log and its archive; a pass every second removes what is older than "
                    + "\(retention) s"),
            Figure(
                name: "data file, last third of the compacting run", value: Double(grown.last), unit: "bytes",
                baseline: "data file, middle third of the compacting run", baselineValue: Double(grown.middle),
                target: "<= 1.1 x baseline (flat)", maximumRatio: 1.1,
                note: "the largest size on disk sampled every 250 ms in each third of a \(options.pacedSeconds) s run "
                    + "that keeps \(retention) s of history; of the round where it grew most"),
        ]
    }

    /// The middle value of `values`, or the mean of the two middle ones.
    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// HookLog's sender and AsyncHTTPClient alone (``ClientStacks``), as many loops as wrk has connections, for as
    /// long, to the same endpoint: reported beside wrk, no target.
    private func clientStackFigures(endpoints: LoopbackEndpoints, wrk: Figure?) async throws -> [Figure] {
        let stacks = ClientStacks(concurrency: options.concurrency, duration: .seconds(options.wrkSeconds))
        let sender = try await stacks.hookLogSender(url: endpoints.answeringURL("sender"))
        let asyncHTTPClient = try await stacks.asyncHTTPClient(url: endpoints.answeringURL("async-http-client"))
        Self.say("the sender alone: \(Int(sender)) requests/s; AsyncHTTPClient alone: \(Int(asyncHTTPClient)) requests/s")
        let loops = "\(options.concurrency) loops, \(options.wrkSeconds) s, no log"
        return [
            Figure(
                name: "HookLog's sender alone, \(loops)", value: sender, unit: "requests/s", baseline: wrk?.name,
                baselineValue: wrk?.value,
                note: "HTTPSender as each attempt uses it (its SwiftNIO HTTP/1 client, signing, address check, deadline), "
                    + "without the log or the engine"),
            Figure(
                name: "AsyncHTTPClient alone, \(loops)", value: asyncHTTPClient, unit: "requests/s",
                baseline: "HookLog's sender alone, \(loops)", baselineValue: sender,
                note: "the same request through AsyncHTTPClient 1.37, one connection per loop"),
        ]
    }

    /// wrk's rate to an answering endpoint, or nil (said on stderr) when wrk is not installed.
    private func wrkBaseline(endpoints: LoopbackEndpoints) throws -> Figure? {
        guard let executable = WrkBaseline.executable else {
            Self.say("wrk is not installed (apt-get install wrk): the delivery figure has no baseline")
            return nil
        }
        let wrk = WrkBaseline(script: options.wrkScript, connections: options.concurrency, seconds: options.wrkSeconds)
        let rate = try wrk.requestsPerSecond(
            wrk: executable, url: endpoints.answeringURL("wrk"), reportPath: options.results + "/wrk-delivery.txt")
        Self.say("wrk: \(Int(rate)) requests/s")
        return Figure(
            name: "wrk to the receiver, \(options.concurrency) connections", value: rate, unit: "requests/s",
            note: "baseline: the machine's HTTP limit; wrk -t2 -c\(options.concurrency) -d\(options.wrkSeconds)s "
                + "-s Benchmarks/wrk/webhook-post.lua")
    }

    /// Starts a server, runs `body` with its API and admin key, stops the server and reads the latencies from its log.
    private func withServer<Outcome>(
        _ run: String, client: HTTPClient, _ body: (HookLogAPI, String) async throws -> Outcome
    ) async throws -> (Outcome, AppendToSuccessLatency) {
        try await withServer(run, client: client, retentionSeconds: nil, history: nil) { api, adminKey, _ in
            try await body(api, adminKey)
        }
    }

    /// Starts a server (keeping `retentionSeconds` of history, when given; on a copy of the data directory `history`,
    /// when given; with a cap of `concurrency`, else `--concurrency`'s; with `arguments` besides), runs `body` with its
    /// API, admin key and process, stops the server and reads the latencies from its log and archive: of the events
    /// of `eventType` only, when given.
    func withServer<Outcome>(
        _ run: String, client: HTTPClient, retentionSeconds: Int?, history: String?, concurrency: Int? = nil,
        arguments: [String] = [], eventType: EventType? = nil,
        _ body: (HookLogAPI, String, ServerProcess) async throws -> Outcome
    ) async throws -> (Outcome, AppendToSuccessLatency) {
        Self.say("\(run): starting \(options.hooklog) serve")
        let server = try await ServerProcess(
            binary: options.hooklog, concurrency: concurrency ?? options.concurrency, retentionSeconds: retentionSeconds,
            history: history, arguments: arguments, outputPath: options.results + "/serve-\(run).log", client: client)
        defer { server.removeData() }
        let outcome: Outcome
        do {
            outcome = try await body(HookLogAPI(client: client, baseURL: server.baseURL), server.adminKey, server)
        } catch {
            try await server.stop()
            throw error
        }
        try await server.stop()
        return (outcome, try AppendToSuccessLatency(
            directory: server.dataDirectory, archive: server.archiveDirectory, eventType: eventType))
    }

    private func latencyFigures(
        _ latency: AppendToSuccessLatency, run: String, p99Maximum: Double? = nil, incomplete: PacedLoad.Outcome? = nil
    ) -> [Figure] {
        let note = (incomplete.map(Self.incompleteNote) ?? "")
            + "\(latency.succeeded) deliveries, from the log's EventReceived and AttemptSucceeded times (ms)"
        Self.say("\(run): append to 2xx p50 \(latency.milliseconds(atPercentile: 50)) ms, "
            + "p99 \(latency.milliseconds(atPercentile: 99)) ms, p999 \(latency.milliseconds(atPercentile: 99.9)) ms")
        return [(50.0, "p50"), (99.0, "p99"), (99.9, "p999")].map { percentile, label in
            let judged = label == "p99" ? p99Maximum : nil
            return Figure(
                name: "append to 2xx \(label), \(run)", value: latency.milliseconds(atPercentile: percentile), unit: "ms",
                target: judged.map { "<= \(Int($0)) ms" }, maximum: judged, note: note)
        }
    }

    static func incompleteNote(_ outcome: PacedLoad.Outcome) -> String {
        outcome.delivered >= outcome.answeringEvents
            ? "" : "TIMED OUT: \(outcome.delivered) of \(outcome.answeringEvents) delivered; "
    }

    /// One line of progress on stderr.
    static func say(_ line: String) {
        FileHandle.standardError.write(Data("DeliveryOverHTTP: \(line)\n".utf8))
    }
}
