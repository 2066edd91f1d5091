import HookLogCore
import HookLogDelivery
import HookLogTestSupport
import Testing

/// The address an attempt connects to is the address that was checked (DNS rebinding): the endpoint's name is
/// resolved once per attempt, through a scripted resolver here, every answer is checked, and the connection goes to
/// the checked answer. Every listener is on loopback; no test connects anywhere else.
@Suite("Connect-time address check")
struct ConnectTimeAddressCheckTests {
    /// A sender whose attempts resolve with `resolver` and refuse special-purpose addresses except `exempt` (all of
    /// them allowed with `allowsPrivate`), counting refusals into `refusals`.
    static func sender(
        resolver: ScriptedResolver, allowsPrivate: Bool = false, exempt: Set<IPAddress> = [],
        refusals: CallCounter = CallCounter()
    ) throws -> HTTPSender<ManualClock> {
        HTTPSender(
            clock: ManualClock(), realTimeLimit: ManualClock.senderRealTimeLimit,
            addressPolicy: EndpointAddressPolicy(
                allowsPrivateAddresses: allowsPrivate, exemptAddresses: exempt, resolver: resolver),
            tlsConfiguration: try TestCertificate.clientConfiguration(),
            onAddressRefusal: { refusals.increment() })
    }

    static func request(to url: String) throws -> WebhookRequest {
        try HTTPSenderTests.request(to: url)
    }

    @Test("a name that resolves to loopback is refused before a byte is sent, after one resolution, and counted")
    func rebindingToLoopbackIsRefused() async throws {
        let receiver = try await TestReceiver.start()
        let resolver = ScriptedResolver(["127.0.0.1"])
        let refusals = CallCounter()
        let sender = try Self.sender(resolver: resolver, refusals: refusals)
        let result = await sender.send(try Self.request(to: "http://rebind.example:\(receiver.port)/hooks"))
        #expect(result.outcome == .error(.dns))
        #expect(result.responseSnippet.contains("127.0.0.0/8 (Loopback, RFC 1122)"), "\(result.responseSnippet)")
        #expect(!result.responseSnippet.contains("127.0.0.1"), "the refusal does not tell what the name resolved to")
        #expect(receiver.acceptedConnectionCount == 0)
        #expect(resolver.calls == 1)
        #expect(refusals.value == 1)
        try await sender.shutdown()
        try await receiver.stop()
    }

    @Test("one resolution per attempt: the connection goes to the checked answer, never to a second lookup's")
    func connectionGoesToTheCheckedAddress() async throws {
        let checked = try await TestReceiver.start(host: "127.0.0.1")
        let rebound = try await TestReceiver.start(host: "127.0.0.2", port: checked.port)
        // The first answer is the one the policy allows; a second lookup would answer the other listener.
        let resolver = ScriptedResolver(["127.0.0.1"], ["127.0.0.2"])
        let sender = try Self.sender(resolver: resolver, exempt: [IPAddress("127.0.0.1")!])
        let url = "http://rebind.example:\(checked.port)/hooks"
        #expect(await sender.send(try Self.request(to: url)).outcome == .status(204))
        #expect(resolver.calls == 1)
        #expect(checked.requests().count == 1)
        #expect(rebound.acceptedConnectionCount == 0)
        // The next attempt resolves again, gets the address the policy refuses, and reaches nobody.
        #expect(await sender.send(try Self.request(to: url)).outcome == .error(.dns))
        #expect(resolver.calls == 2)
        #expect(checked.requests().count == 1)
        #expect(rebound.acceptedConnectionCount == 0)
        try await sender.shutdown()
        try await checked.stop()
        try await rebound.stop()
    }

    @Test("every address a name resolves to must pass, not only the first")
    func everyAddressIsChecked() async throws {
        let receiver = try await TestReceiver.start()
        let resolver = ScriptedResolver(["127.0.0.1", "127.0.0.3"])
        let sender = try Self.sender(resolver: resolver, exempt: [IPAddress("127.0.0.1")!])
        let result = await sender.send(try Self.request(to: "http://rebind.example:\(receiver.port)/hooks"))
        #expect(result.outcome == .error(.dns))
        #expect(receiver.acceptedConnectionCount == 0)
        try await sender.shutdown()
        try await receiver.stop()
    }

    @Test("a kept-alive connection is reused only for the same checked address")
    func pooledConnectionsFollowTheCheckedAddress() async throws {
        let first = try await TestReceiver.start(host: "127.0.0.1")
        let second = try await TestReceiver.start(host: "127.0.0.2", port: first.port)
        let resolver = ScriptedResolver(["127.0.0.1"], ["127.0.0.2"], ["127.0.0.1"])
        let sender = try Self.sender(resolver: resolver, allowsPrivate: true)
        let url = "http://hooks.example:\(first.port)/hooks"
        for _ in 0..<3 {
            #expect(await sender.send(try Self.request(to: url)).outcome == .status(204))
        }
        #expect(first.requests().count == 2)
        #expect(first.acceptedConnectionCount == 1, "the second attempt to 127.0.0.1 reused the first's connection")
        #expect(second.requests().count == 1)
        #expect(second.requests().first?.header("host") == "hooks.example:\(first.port)")
        try await sender.shutdown()
        try await first.stop()
        try await second.stop()
    }

    @Test("https to a checked address sends the name as SNI and verifies the certificate against the name")
    func httpsVerifiesTheHostName() async throws {
        let receiver = try await TestReceiver.start(usesTLS: true)
        let sender = try Self.sender(resolver: ScriptedResolver(["127.0.0.1"]), allowsPrivate: true)
        let trusted = await sender.send(try Self.request(to: "https://\(TestCertificate.host):\(receiver.port)/hooks"))
        #expect(trusted.outcome == .status(204))
        #expect(receiver.requests().first?.header("host") == "\(TestCertificate.host):\(receiver.port)")
        // The same listener, named otherwise: its certificate is not valid for that name or for its address.
        for url in ["https://other.example:\(receiver.port)/hooks", "https://127.0.0.1:\(receiver.port)/hooks"] {
            #expect(await sender.send(try Self.request(to: url)).outcome == .error(.tls), "\(url)")
        }
        #expect(receiver.requests().count == 1)
        try await sender.shutdown()
        try await receiver.stop()
    }
}
