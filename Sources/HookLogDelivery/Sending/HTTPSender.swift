public import HookLogCore
public import NIOCore
import NIOHTTP1
public import NIOPosix
public import NIOSSL

/// Makes the HTTP attempts of deliveries: one signed `POST` each, judged against the attempt timeout
/// (docs/rules.md §2.1: "Success is a 2xx response, headers and body, within 5 s of the attempt's start (connect
/// included)").
///
/// Each attempt resolves the endpoint's host once, through the address policy's resolver, checks every address it
/// got, and connects to a checked address itself: no second lookup can hand it an address nobody checked (DNS
/// rebinding). The request carries the URL's `Host`; for https the handshake sends the host name as SNI and verifies
/// the certificate against it. Connections are HTTP/1.1, kept alive and reused per checked address, port, host and
/// scheme. Redirects are not followed (a 3xx is a failed attempt) and bodies are not decompressed. The timeout runs on
/// the injected clock; the deadlines of all attempts under way are watched by one task per clock (`AttemptDeadlines`),
/// not a timer each. Call ``shutdown()`` before the sender is released.
public final class HTTPSender<C: Clock<Duration>>: Sendable where C.Instant == Timestamp {
    /// How much longer than the attempt timeout the real-time limit lets an attempt live by default.
    private static var safetyMargin: Duration { .seconds(1) }
    /// How long a kept-alive connection may sit unused before the sender closes it.
    private static var idleTimeout: TimeAmount { .seconds(60) }

    private let clock: C
    private let timeout: Duration
    /// The real-time safety net: how long, in real time, an attempt (and its connect) may last, so that a stuck
    /// connection ends even if the injected clock's deadline never fires.
    private let realTimeLimit: Duration
    private let userAgent: String
    private let addressPolicy: EndpointAddressPolicy
    private let eventLoopGroup: any EventLoopGroup
    /// The TLS context of every https connection, or why it could not be made (every https attempt then fails as
    /// `tls`).
    private let tls: Result<NIOSSLContext, any Error>
    private let pool: ConnectionPool
    /// The attempts' deadlines on `clock`, and their real-time safety net.
    private let deadlines: AttemptDeadlines<C>
    private let safetyNet: AttemptDeadlines<ContinuousClock>
    private let onAddressRefusal: @Sendable () -> Void

    /// A sender whose attempts get `timeout` on `clock`, announcing themselves as `userAgent`, with connections on
    /// `eventLoopGroup`, at most `maxIdleConnections` of them kept alive while unused. Each attempt resolves and
    /// checks the endpoint's host with `addressPolicy`; a host that does not resolve or resolves to a refused
    /// address fails the attempt as `dns`, and a refused address also calls `onAddressRefusal`. https endpoints are
    /// verified with `tlsConfiguration`.
    ///
    /// `realTimeLimit` is a safety net in real time, whatever `clock` says: an attempt (its connect included) still
    /// under way after it ends as a timeout. By default (nil) it is `timeout` plus 1 s, so on the wall clock the
    /// injected clock's deadline comes first. Tests on a manual clock whose attempts must end only when the test moves
    /// that clock pass a long one.
    public init(
        clock: C,
        timeout: Duration = .seconds(5),
        realTimeLimit: Duration? = nil,
        userAgent: String = "HookLog/\(HookLogVersion.current)",
        addressPolicy: EndpointAddressPolicy = EndpointAddressPolicy(allowsPrivateAddresses: true),
        tlsConfiguration: TLSConfiguration = .makeClientConfiguration(),
        maxIdleConnections: Int = 1024,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onAddressRefusal: @escaping @Sendable () -> Void = {}
    ) {
        self.clock = clock
        self.timeout = timeout
        self.realTimeLimit = realTimeLimit ?? timeout + Self.safetyMargin
        self.userAgent = userAgent
        self.addressPolicy = addressPolicy
        self.eventLoopGroup = eventLoopGroup
        tls = Result { try NIOSSLContext(configuration: tlsConfiguration) }
        pool = ConnectionPool(capacity: maxIdleConnections)
        deadlines = AttemptDeadlines(clock: clock)
        safetyNet = AttemptDeadlines(clock: ContinuousClock())
        self.onAddressRefusal = onAddressRefusal
    }

    /// Makes one attempt: `POST`s the request, signed with the start's Unix seconds, and reads the answer to its end.
    ///
    /// Never throws: every failure is an outcome. If the calling task is cancelled, the attempt ends at once with
    /// the error the cancellation caused; a caller that is shutting down should not record it.
    public func send(_ request: WebhookRequest) async -> AttemptResult {
        let start = clock.now
        let deadline = start.advanced(by: timeout)
        let exchange = Task { await self.exchange(request, timestamp: start.seconds) }
        let attempt = AttemptUnderWay(exchange)
        deadlines.add(attempt, at: deadline)
        safetyNet.add(attempt, at: ContinuousClock.now.advanced(by: realTimeLimit))
        let answer = await withTaskCancellationHandler {
            await exchange.value
        } onCancel: {
            exchange.cancel()
        }
        let (outcome, snippet): (AttemptReport.Outcome, String) =
            attempt.settle() ? (answer.outcome, answer.snippet) : (.error(.timeout), "")
        let duration = Int(start.duration(to: clock.now).wholeMilliseconds)
        return AttemptResult(startedAt: start, durationMilliseconds: duration, outcome: outcome, responseSnippet: snippet)
    }

    /// Closes the kept-alive connections and stops watching deadlines once no attempt under way needs them. The
    /// sender must not be used afterwards.
    public func shutdown() async throws {
        pool.shutDown()
        deadlines.shutDown()
        safetyNet.shutDown()
    }

    /// The request and its whole answer, with no deadline of its own: resolve and check once, connect to a checked
    /// address (or reuse a connection to one), send, and read the body to its end, keeping only its first 1 KiB.
    private func exchange(_ request: WebhookRequest, timestamp: Int64) async -> AttemptUnderWay.Answer {
        let endpoint: EndpointURL
        let addresses: [IPAddress]
        do {
            endpoint = try EndpointURL(request.url)
        } catch {
            return AttemptUnderWay.Answer(outcome: .error(.connection), snippet: Validation.snippet(error.message))
        }
        do {
            addresses = try await addressPolicy.addresses(of: endpoint.host)
        } catch {
            if error.reason == .refusedAddress { onAddressRefusal() }
            return AttemptUnderWay.Answer(outcome: .error(.dns), snippet: Validation.snippet(error.description))
        }
        let connection: HTTPConnection
        let answer: HTTPExchange.Answer
        do {
            connection = try await pooledOrNewConnection(to: endpoint, at: addresses)
        } catch {
            return AttemptUnderWay.Answer(outcome: .error(AttemptError(classifying: error)), snippet: "")
        }
        do {
            answer = try await connection.exchange(
                head(of: request, to: endpoint, timestamp: timestamp), body: ByteBuffer(bytes: request.body))
        } catch {
            connection.close()
            return AttemptUnderWay.Answer(outcome: .error(AttemptError(classifying: error)), snippet: "")
        }
        if answer.keepsAlive {
            pool.putBack(connection)
        } else {
            connection.close()
        }
        return AttemptUnderWay.Answer(
            outcome: .status(answer.status), snippet: Validation.snippet(String(decoding: answer.snippet, as: UTF8.self)))
    }

    /// A kept-alive connection to one of `addresses` (all checked) if the pool has one, else a new connection to the
    /// first of them that accepts one.
    private func pooledOrNewConnection(to endpoint: EndpointURL, at addresses: [IPAddress]) async throws -> HTTPConnection {
        let keys = addresses.map {
            ConnectionKey(address: $0, port: endpoint.port, host: endpoint.host, usesTLS: endpoint.usesTLS)
        }
        for key in keys {
            if let pooled = pool.take(for: key) { return pooled }
        }
        let tlsContext = try endpoint.usesTLS ? tls.get() : nil
        var refusal: (any Error)?
        for key in keys {
            do {
                let connection = try await HTTPConnection.open(
                    key, on: eventLoopGroup, tls: tlsContext, connectTimeout: TimeAmount(realTimeLimit),
                    idleTimeout: Self.idleTimeout)
                connection.whenClosed { [pool] in pool.forget(connection) }
                return connection
            } catch let error as IOError {
                // Refused or unreachable: the next checked address may answer (an IPv6 address on a host without
                // IPv6, say).
                refusal = error
            }
        }
        throw refusal ?? ExchangeHandler.ClosedBeforeAnswer()
    }

    /// The request line and headers: the URL's path and query, its `Host`, and the signed webhook headers (with the
    /// platform's `X-Webhook-Signature` in its format).
    private func head(of request: WebhookRequest, to endpoint: EndpointURL, timestamp: Int64) -> HTTPRequestHead {
        let signature = request.signer.signature(messageID: request.messageID, timestamp: timestamp, body: request.body)
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: endpoint.requestTarget)
        head.headers.add(name: "host", value: endpoint.authority)
        head.headers.add(name: "content-type", value: "application/json")
        head.headers.add(name: "user-agent", value: userAgent)
        head.headers.add(name: "webhook-id", value: request.messageID)
        head.headers.add(name: "webhook-timestamp", value: String(timestamp))
        head.headers.add(name: "webhook-signature", value: signature)
        if request.format == .respondio {
            head.headers.add(name: "x-webhook-signature", value: request.signer.platformSignature(body: request.body))
        }
        head.headers.add(name: "content-length", value: String(request.body.count))
        return head
    }
}
