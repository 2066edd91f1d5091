import HookLogCore
import HookLogDelivery
import HookLogTestSupport
import Synchronization
import Testing

/// One HTTP attempt against a real loopback receiver (docs/rules.md §2.1: "Success is a 2xx response, headers and body,
/// within 5 s of the attempt's start (connect included). Everything else is a failed attempt: other status,
/// timeout, refused or reset connection, TLS or DNS error."). Time runs on a ``ManualClock``: no test waits 5 s.
@Suite("HTTP sender")
struct HTTPSenderTests {
    static let secret = "whsec_" + Base64.encode((1...24).map(UInt8.init))
    static let event = EventReceived(
        eventID: EventID("evt_2kq9"), workspaceID: WorkspaceID("ws_acme"), type: .contactCreated,
        occurredAt: Timestamp(milliseconds: 1_799_999_000_123), data: Array(#"{"name": "Zoë", "tags": ["vip"]}"#.utf8),
        idempotencyKey: nil, deliveries: [])

    /// The request delivering ``event`` to `url`.
    static func request(to url: String) throws -> WebhookRequest {
        try WebhookRequest(
            url: url, messageID: event.eventID.rawValue, body: WebhookPayload.body(of: event), secret: secret)
    }

    /// Runs `body` with a fresh receiver and a sender on `clock` (with the real-time limit `realTimeLimit`, nil for
    /// the sender's own), and stops both afterwards.
    func withSender<C: Clock<Duration>>(
        clock: C, timeout: Duration = .seconds(5), realTimeLimit: Duration? = ManualClock.senderRealTimeLimit,
        _ body: (HTTPSender<C>, TestReceiver) async throws -> Void
    ) async throws where C.Instant == Timestamp {
        let receiver = try await TestReceiver.start()
        let sender = HTTPSender(clock: clock, timeout: timeout, realTimeLimit: realTimeLimit)
        do {
            try await body(sender, receiver)
        } catch {
            try await sender.shutdown()
            try await receiver.stop()
            throw error
        }
        try await sender.shutdown()
        try await receiver.stop()
    }

    @Test("a 2xx answer in time is its status, with the body's start as the snippet")
    func successfulAttempt() async throws {
        let clock = ManualClock()
        try await withSender(clock: clock) { sender, receiver in
            receiver.setBehaviour(.respond(status: 200, body: "thanks, got it"), forPath: "/hooks")
            let result = await sender.send(try Self.request(to: receiver.url("/hooks")))
            #expect(result == AttemptResult(
                startedAt: clock.now, durationMilliseconds: 0, outcome: .status(200), responseSnippet: "thanks, got it"))
        }
    }

    @Test("the request is a POST with exactly the specified headers, signed, and the event as its body")
    func requestShape() async throws {
        let clock = ManualClock(start: Timestamp(milliseconds: 1_800_000_000_999))
        try await withSender(clock: clock) { sender, receiver in
            _ = await sender.send(try Self.request(to: receiver.url("/hooks?source=hooklog")))
            let received = try #require(receiver.requests(path: "/hooks").only)
            #expect(received.method == "POST")
            #expect(received.body == WebhookPayload.body(of: Self.event))
            let signature = try WebhookSigner(secret: Self.secret)
                .signature(messageID: "evt_2kq9", timestamp: 1_800_000_000, body: received.body)
            #expect(received.headers.filter { !["host", "content-length"].contains($0.0) }.map { "\($0.0): \($0.1)" } == [
                "content-type: application/json",
                "user-agent: HookLog/\(HookLogVersion.current)",
                "webhook-id: evt_2kq9",
                "webhook-timestamp: 1800000000",
                "webhook-signature: \(signature)",
            ])
            #expect(received.header("content-length") == String(received.body.count))
            #expect(received.header("host") == "127.0.0.1:\(receiver.port)")
        }
    }

    @Test("the body is the event as compact JSON, its data embedded as received")
    func payload() {
        let text = String(decoding: WebhookPayload.body(of: Self.event), as: UTF8.self)
        #expect(text == #"{"id":"evt_2kq9","type":"contact.created","workspace_id":"ws_acme","#
            + #""occurred_at":"2027-01-15T07:43:20.123Z","data":{"name": "Zoë", "tags": ["vip"]}}"#)
    }

    @Test(
        "an endpoint that never answers times out at 5 s on the sender's clock, also if the sender shuts down meanwhile",
        .timeLimit(.minutes(1)), arguments: [false, true])
    func hangingEndpointTimesOut(shutsDownMeanwhile: Bool) async throws {
        let clock = ManualClock()
        try await withSender(clock: clock) { sender, receiver in
            receiver.setBehaviour(.hang, forPath: "/slow")
            let start = clock.now
            let request = try Self.request(to: receiver.url("/slow"))
            async let result = sender.send(request)
            _ = try await receiver.waitForRequests(count: 1, path: "/slow")
            if shutsDownMeanwhile { try await sender.shutdown() }
            clock.advance(by: .seconds(5))
            #expect(await result == AttemptResult(
                startedAt: start, durationMilliseconds: 5000, outcome: .error(.timeout), responseSnippet: ""))
        }
    }

    @Test("attempts started at different times each time out 5 s after their own start, not before")
    func staggeredAttemptsTimeOutAtTheirOwnDeadlines() async throws {
        let clock = ManualClock()
        try await withSender(clock: clock) { sender, receiver in
            receiver.setBehaviour(.hang, forPath: "/slow")
            let request = try Self.request(to: receiver.url("/slow"))
            let start = clock.now
            async let first = sender.send(request)
            _ = try await receiver.waitForRequests(count: 1, path: "/slow")
            clock.advance(by: .seconds(2))
            let secondReturned = Mutex(false)
            let second = Task {
                let result = await sender.send(request)
                secondReturned.withLock { $0 = true }
                return result
            }
            _ = try await receiver.waitForRequests(count: 2, path: "/slow")
            clock.advance(by: .seconds(3))
            #expect(await first == AttemptResult(
                startedAt: start, durationMilliseconds: 5000, outcome: .error(.timeout), responseSnippet: ""))
            clock.advance(by: .milliseconds(1999))
            try await Task.sleep(for: .milliseconds(200))
            #expect(!secondReturned.withLock { $0 }, "the second attempt's deadline has not come")
            clock.advance(by: .milliseconds(1))
            #expect(await second.value == AttemptResult(
                startedAt: start.adding(.seconds(2)), durationMilliseconds: 5000, outcome: .error(.timeout),
                responseSnippet: ""))
        }
    }

    @Test("on the wall clock, a hanging endpoint times out in real time")
    func wallClockTimeout() async throws {
        try await withSender(clock: WallClock(), timeout: .milliseconds(200)) { sender, receiver in
            receiver.setBehaviour(.hang, forPath: "/slow")
            let result = await sender.send(try Self.request(to: receiver.url("/slow")))
            #expect(result.outcome == .error(.timeout))
            #expect(result.durationMilliseconds >= 200, "the deadline is measured on the wall clock")
        }
    }

    @Test("if the sender's clock never reaches the deadline, a real-time safety net 1 s later still ends the attempt")
    func realTimeSafetyNet() async throws {
        let clock = ManualClock()
        try await withSender(clock: clock, timeout: .milliseconds(100), realTimeLimit: nil) { sender, receiver in
            receiver.setBehaviour(.hang, forPath: "/slow")
            let result = await sender.send(try Self.request(to: receiver.url("/slow")))
            #expect(result.outcome == .error(.timeout))
            #expect(result.durationMilliseconds == 0, "the manual clock did not move")
        }
    }

    @Test("the deadline covers the body: headers in time but a body that stalls is a timeout")
    func stalledBodyTimesOut() async throws {
        let clock = ManualClock()
        try await withSender(clock: clock) { sender, receiver in
            receiver.setBehaviour(.stallMidBody, forPath: "/slow-body")
            let request = try Self.request(to: receiver.url("/slow-body"))
            async let result = sender.send(request)
            _ = try await receiver.waitForRequests(count: 1, path: "/slow-body")
            clock.advance(by: .seconds(5))
            let finished = await result
            #expect(finished.outcome == .error(.timeout))
            #expect(finished.durationMilliseconds == 5000)
        }
    }

    @Test("any other status is reported as it is, with its snippet", arguments: [400, 404, 410, 500, 503])
    func otherStatuses(status: Int) async throws {
        try await withSender(clock: ManualClock()) { sender, receiver in
            receiver.setBehaviour(.respond(status: status, body: #"{"error":"nope"}"#), forPath: "/hooks")
            let result = await sender.send(try Self.request(to: receiver.url("/hooks")))
            #expect(result.outcome == .status(status))
            #expect(result.responseSnippet == #"{"error":"nope"}"#)
        }
    }

    @Test("a redirect is a 3xx answer and is not followed")
    func redirectIsNotFollowed() async throws {
        try await withSender(clock: ManualClock()) { sender, receiver in
            receiver.setBehaviour(
                .respond(status: 301, headers: [("location", receiver.url("/moved"))]), forPath: "/hooks")
            let result = await sender.send(try Self.request(to: receiver.url("/hooks")))
            #expect(result.outcome == .status(301))
            #expect(receiver.requests().map(\.path) == ["/hooks"])
        }
    }

    @Test("a refused connection is a connection error, at once", arguments: ["127.0.0.1", "localhost"])
    func refusedConnection(host: String) async throws {
        try await withSender(clock: ManualClock()) { sender, _ in
            let refusing = RefusingPort()
            defer { refusing.close() }
            let result = await sender.send(try Self.request(to: "http://\(host):\(refusing.port)/hooks"))
            #expect(result.outcome == .error(.connection))
            #expect(result.responseSnippet == "")
        }
    }

    @Test("a connection reset in the middle of the body is a connection error")
    func resetMidBody() async throws {
        try await withSender(clock: ManualClock()) { sender, receiver in
            receiver.setBehaviour(.resetMidBody, forPath: "/hooks")
            let result = await sender.send(try Self.request(to: receiver.url("/hooks")))
            #expect(result.outcome == .error(.connection))
        }
    }

    @Test("a connection closed without an answer is a connection error")
    func closedWithoutAnswer() async throws {
        try await withSender(clock: ManualClock()) { sender, receiver in
            receiver.setBehaviour(.closeWithoutAnswer, forPath: "/hooks")
            let result = await sender.send(try Self.request(to: receiver.url("/hooks")))
            #expect(result.outcome == .error(.connection))
        }
    }

    @Test("a host name that does not resolve is a DNS error")
    func unresolvableHost() async throws {
        try await withSender(clock: ManualClock()) { sender, _ in
            let result = await sender.send(try Self.request(to: "http://nonexistent.invalid/hooks"))
            #expect(result.outcome == .error(.dns))
        }
    }

    @Test("an https endpoint whose TLS handshake fails is a TLS error")
    func failedTLSHandshake() async throws {
        try await withSender(clock: ManualClock()) { sender, receiver in
            // The receiver speaks plain HTTP, so the client's handshake gets an answer that is not TLS.
            let result = await sender.send(try Self.request(to: "https://127.0.0.1:\(receiver.port)/hooks"))
            #expect(result.outcome == .error(.tls))
        }
    }

    @Test("a 1 MiB answer is read to its end and succeeds, keeping 1 KiB as the snippet")
    func largeBody() async throws {
        try await withSender(clock: ManualClock()) { sender, receiver in
            let body = String((0..<(1 << 20)).map { _ in "abcdefghij".randomElement()! })
            receiver.setBehaviour(.respond(status: 200, body: body), forPath: "/hooks")
            let result = await sender.send(try Self.request(to: receiver.url("/hooks")))
            #expect(result.outcome == .status(200))
            #expect(result.responseSnippet == String(body.prefix(1024)))
        }
    }

    @Test("the snippet is cut at a character boundary")
    func snippetKeepsWholeCharacters() async throws {
        try await withSender(clock: ManualClock()) { sender, receiver in
            receiver.setBehaviour(.respond(status: 200, body: String(repeating: "€", count: 400)), forPath: "/hooks")
            let result = await sender.send(try Self.request(to: receiver.url("/hooks")))
            #expect(result.responseSnippet == String(repeating: "€", count: 341), "341 × 3 bytes fit in 1,024")
        }
    }

    @Test("attempts to one host reuse a kept-alive connection")
    func keepAlive() async throws {
        try await withSender(clock: ManualClock()) { sender, receiver in
            let request = try Self.request(to: receiver.url("/hooks"))
            for _ in 0..<3 {
                #expect(await sender.send(request).outcome == .status(204))
            }
            #expect(receiver.acceptedConnectionCount == 1)
        }
    }

    @Test("with more endpoints than idle connections allowed, the one idle the longest is closed, the others kept")
    func idleConnectionsAreCappedLeastRecentlyUsedFirst() async throws {
        let receivers = [try await TestReceiver.start(), try await TestReceiver.start(), try await TestReceiver.start()]
        let sender = HTTPSender(clock: ManualClock(), realTimeLimit: ManualClock.senderRealTimeLimit, maxIdleConnections: 2)
        let requests = try receivers.map { try Self.request(to: $0.url("/hooks")) }
        for index in [0, 1, 2, 1, 2, 0] {
            #expect(await sender.send(requests[index]).outcome == .status(204))
        }
        #expect(receivers.map(\.acceptedConnectionCount) == [2, 1, 1], "the first endpoint's connection made room")
        try await sender.shutdown()
        for receiver in receivers { try await receiver.stop() }
    }

    @Test("hanging endpoints do not hold up an attempt to a fast one on the same host")
    func hangingAttemptsDoNotBlockOthers() async throws {
        let clock = ManualClock()
        try await withSender(clock: clock) { sender, receiver in
            receiver.setBehaviour(.hang, forPath: "/slow")
            let request = try Self.request(to: receiver.url("/slow"))
            try await withThrowingTaskGroup(of: AttemptResult.self) { group in
                for _ in 0..<12 { group.addTask { await sender.send(request) } }
                _ = try await receiver.waitForRequests(count: 12, path: "/slow")
                let fast = try Self.request(to: receiver.url("/fast"))
                #expect(await sender.send(fast).outcome == .status(204))
                clock.advance(by: .seconds(5))
                for try await result in group { #expect(result.outcome == .error(.timeout)) }
            }
        }
    }

    @Test("the receiver plays a sequence of behaviours in turn, repeating the last")
    func receiverSequence() async throws {
        try await withSender(clock: ManualClock()) { sender, receiver in
            receiver.setBehaviour(
                .sequence([.respond(status: 503), .closeWithoutAnswer, .respond(status: 200)]), forPath: "/hooks")
            var outcomes: [AttemptReport.Outcome] = []
            for _ in 0..<4 { outcomes.append(await sender.send(try Self.request(to: receiver.url("/hooks"))).outcome) }
            #expect(outcomes == [.status(503), .error(.connection), .status(200), .status(200)])
        }
    }

    /// A manual clock that starts at the real time: the reference library's timestamp check compares
    /// `webhook-timestamp` with the real time. The signature tests pair it with a long real-time limit, so that no
    /// attempt of theirs times out however loaded the machine is: they are about signatures, not time.
    static func signingClock() -> ManualClock { ManualClock(start: WallClock().now) }

    @Test("the Standard Webhooks reference library accepts HookLog's requests, and only with the right secret")
    func referenceLibraryVerifiesTheSignature() async throws {
        try await withSender(clock: Self.signingClock()) { sender, receiver in
            for path in ["/a", "/b"] {
                _ = await sender.send(try Self.request(to: receiver.url(path)))
            }
            #expect(receiver.requests().count == 2, "both requests reached the receiver")
            for received in receiver.requests() {
                let verdict = try ReferenceSignatureVerifier.verify(
                    secret: Self.secret, headers: received.headers, body: received.body)
                #expect(verdict == .accepted)
                let wrongSecret = "whsec_" + Base64.encode(Array(repeating: 42, count: 24))
                let rejected = try ReferenceSignatureVerifier.verify(
                    secret: wrongSecret, headers: received.headers, body: received.body)
                #expect(rejected == .rejected("signature rejected: No matching signature found"))
            }
        }
    }

    @Test("during a secret's rotation the reference library accepts the request with the new secret and with the old")
    func referenceLibraryVerifiesEitherSecret() async throws {
        let old = "whsec_" + Base64.encode(Array(repeating: 42, count: 24))
        try await withSender(clock: Self.signingClock()) { sender, receiver in
            _ = await sender.send(try WebhookRequest(
                url: receiver.url("/rotating"), messageID: Self.event.eventID.rawValue, body: WebhookPayload.body(of: Self.event),
                secrets: [Self.secret, old]))
            let received = try #require(receiver.requests().only)
            let signatures = try #require(received.headers.first { $0.0.lowercased() == "webhook-signature" }?.1)
            #expect(signatures.split(separator: " ").count == 2 && signatures.split(separator: " ").allSatisfy { $0.hasPrefix("v1,") })
            for secret in [Self.secret, old] {
                #expect(try ReferenceSignatureVerifier.verify(secret: secret, headers: received.headers, body: received.body) == .accepted)
            }
            let other = "whsec_" + Base64.encode(Array(repeating: 7, count: 24))
            #expect(try ReferenceSignatureVerifier.verify(secret: other, headers: received.headers, body: received.body)
                == .rejected("signature rejected: No matching signature found"))
        }
    }

    @Test("a request in the platform's format carries X-Webhook-Signature as its receivers check it, and the Standard headers too")
    func platformFormatIsSignedBothWays() async throws {
        // The reference library wants a webhook-timestamp near the real time; the manual clock never times out.
        try await withSender(clock: ManualClock(start: WallClock().now)) { sender, receiver in
            for (path, format) in [("/platform", WebhookFormat.respondio), ("/standard", .standard)] {
                let sent = await sender.send(try WebhookRequest(
                    url: receiver.url(path), messageID: Self.event.eventID.rawValue,
                    body: WebhookPayload.body(of: Self.event, format: format), secret: Self.secret, format: format))
                #expect(sent.outcome == .status(204))
            }
            let platform = try #require(receiver.requests(path: "/platform").only)
            let signingKey = String(WebhookSigner.signingKey(of: Self.secret))
            #expect("whsec_" + signingKey == Self.secret)
            #expect(try ReferenceSignatureVerifier.verifyPlatformSignature(
                signingKey: signingKey, headers: platform.headers, body: platform.body) == .accepted)
            #expect(try ReferenceSignatureVerifier.verify(secret: Self.secret, headers: platform.headers, body: platform.body)
                == .accepted, "the Standard Webhooks headers verify on the same request")
            let otherKey = String(WebhookSigner.signingKey(of: "whsec_" + Base64.encode(Array(repeating: 7, count: 24))))
            #expect(try ReferenceSignatureVerifier.verifyPlatformSignature(
                signingKey: otherKey, headers: platform.headers, body: platform.body)
                == .rejected("signature rejected: X-Webhook-Signature does not match"))
            #expect(try ReferenceSignatureVerifier.verifyPlatformSignature(
                signingKey: Self.secret, headers: platform.headers, body: platform.body) != .accepted,
                "the key is the text after whsec_, not the whole secret")

            let plain = try #require(receiver.requests(path: "/standard").only)
            #expect(!plain.headers.contains { $0.0.lowercased() == "x-webhook-signature" }, "the standard format has no platform header")
            #expect(try ReferenceSignatureVerifier.verify(secret: Self.secret, headers: plain.headers, body: plain.body) == .accepted)
        }
    }

    @Test("during a rotation's overlap X-Webhook-Signature stays keyed with the secret being replaced, which receivers have")
    func platformSignatureDuringRotation() async throws {
        let old = "whsec_" + Base64.encode(Array(repeating: 42, count: 24))
        try await withSender(clock: ManualClock()) { sender, receiver in
            _ = await sender.send(try WebhookRequest(
                url: receiver.url("/rotating"), messageID: Self.event.eventID.rawValue,
                body: WebhookPayload.body(of: Self.event, format: .respondio), secrets: [Self.secret, old], format: .respondio))
            let received = try #require(receiver.requests(path: "/rotating").only)
            let oldKey = String(WebhookSigner.signingKey(of: old))
            let newKey = String(WebhookSigner.signingKey(of: Self.secret))
            #expect(try ReferenceSignatureVerifier.verifyPlatformSignature(
                signingKey: oldKey, headers: received.headers, body: received.body) == .accepted)
            #expect(try ReferenceSignatureVerifier.verifyPlatformSignature(
                signingKey: newKey, headers: received.headers, body: received.body) != .accepted)
        }
    }
}

extension Array {
    /// The one element, or nil if there are none or several.
    fileprivate var only: Element? { count == 1 ? first : nil }
}
