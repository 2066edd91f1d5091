import AsyncHTTPClient
public import HookLogCore
public import NIOCore
import NIOHTTP1
public import NIOPosix

/// Makes the HTTP attempts of deliveries: one signed `POST` each, judged against the attempt timeout
/// (docs/rules.md §2.1: "Success is a 2xx response, headers and body, within 5 s of the attempt's start (connect
/// included)").
///
/// One `HTTPClient` serves every attempt, so connections are pooled and kept alive per host, and HTTP/2 is used
/// when a TLS endpoint offers it. Redirects are not followed (a 3xx is a failed attempt) and bodies are not
/// decompressed. The timeout runs on the injected clock; call ``shutdown()`` before the sender is released.
public final class HTTPSender<C: Clock<Duration>>: Sendable where C.Instant == Timestamp {
    /// How an attempt ended: an answer read to its end, an error, or the deadline.
    private enum Finish: Sendable {
        case answered(AttemptReport.Outcome, snippet: String)
        case deadlinePassed
    }

    /// How much longer than the attempt timeout AsyncHTTPClient's own, real-time deadline lets a request live: a
    /// safety net that ends a stuck connection even if the injected clock's deadline never fires.
    private static var safetyMargin: Duration { .seconds(1) }

    private let clock: C
    private let timeout: Duration
    private let userAgent: String
    private let addressPolicy: EndpointAddressPolicy
    private let client: HTTPClient

    /// A sender whose attempts get `timeout` on `clock`, announcing themselves as `userAgent`, with connections on
    /// `eventLoopGroup`. Before each attempt the endpoint's host is checked against `addressPolicy`; a refused
    /// address fails the attempt as `dns`.
    public init(
        clock: C,
        timeout: Duration = .seconds(5),
        userAgent: String = "HookLog/\(HookLogVersion.current)",
        addressPolicy: EndpointAddressPolicy = EndpointAddressPolicy(allowsPrivateAddresses: true),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.clock = clock
        self.timeout = timeout
        self.userAgent = userAgent
        self.addressPolicy = addressPolicy
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: TimeAmount(timeout + Self.safetyMargin)),
            decompression: .disabled
        )
        // A refused connection fails the attempt at once rather than being retried until the deadline: the
        // delivery rules, not the pool, decide when to try again.
        configuration.connectionPool.retryConnectionEstablishment = false
        // The scheduler's global cap bounds how many attempts are in flight; the pool must not queue them behind
        // a smaller per-host limit, where waiting would eat into their 5 s.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 256
        client = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: configuration)
    }

    /// Makes one attempt: `POST`s the request, signed with the start's Unix seconds, and reads the answer to its end.
    ///
    /// Never throws: every failure is an outcome. If the calling task is cancelled, the attempt ends at once with
    /// the error the cancellation caused; a caller that is shutting down should not record it.
    public func send(_ request: WebhookRequest) async -> AttemptResult {
        let start = clock.now
        let deadline = start.advanced(by: timeout)
        let finish = await withTaskGroup(of: Finish.self) { group in
            group.addTask { await self.exchange(request, timestamp: start.seconds) }
            group.addTask {
                try? await self.clock.sleep(until: deadline, tolerance: nil)
                return .deadlinePassed
            }
            let first = await group.next()!  // two tasks were added, so there is a first to finish
            group.cancelAll()
            return first
        }
        let duration = Int(start.duration(to: clock.now).wholeMilliseconds)
        let (outcome, snippet): (AttemptReport.Outcome, String) =
            switch finish {
            case .answered(let outcome, let snippet): (outcome, snippet)
            case .deadlinePassed: (.error(.timeout), "")
            }
        return AttemptResult(startedAt: start, durationMilliseconds: duration, outcome: outcome, responseSnippet: snippet)
    }

    /// Closes the pooled connections. The sender must not be used afterwards.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// The request and its whole answer, with no deadline of its own but the real-time safety net; the body is
    /// read to its end, keeping only its first 1 KiB.
    private func exchange(_ request: WebhookRequest, timestamp: Int64) async -> Finish {
        do {
            try await addressPolicy.check(url: request.url)
        } catch {
            return .answered(.error(.dns), snippet: Validation.snippet(error.description))
        }
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = .POST
        let signature = request.signer.signature(
            messageID: request.messageID, timestamp: timestamp, body: request.body)
        for (name, value) in [
            ("content-type", "application/json"), ("user-agent", userAgent), ("webhook-id", request.messageID),
            ("webhook-timestamp", String(timestamp)), ("webhook-signature", signature),
        ] {
            outgoing.headers.add(name: name, value: value)
        }
        outgoing.body = .bytes(request.body)
        do {
            let response = try await client.execute(outgoing, deadline: .now() + TimeAmount(timeout + Self.safetyMargin))
            var kept: [UInt8] = []
            // Chunks past the first 1 KiB are still read (success needs the whole body), then dropped.
            for try await chunk in response.body where kept.count < Validation.maxSnippetBytes {
                kept += chunk.readableBytesView.prefix(Validation.maxSnippetBytes - kept.count)
            }
            let snippet = Validation.snippet(String(decoding: kept, as: UTF8.self))
            return .answered(.status(Int(response.status.code)), snippet: snippet)
        } catch {
            return .answered(.error(AttemptError(classifying: error)), snippet: "")
        }
    }
}
