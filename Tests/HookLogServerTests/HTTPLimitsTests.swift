import AsyncHTTPClient
import HookLogServer
import HookLogTestSupport
import NIOCore
import NIOHTTP1
import Testing

@Suite("HTTP limits")
struct HTTPLimitsTests {
    @Test("a connection that sends half a request line and then nothing is closed after the header timeout, and counted")
    func slowRequestHeadIsCutOff() async throws {
        try await withLimitedServer(headerTimeout: .seconds(1), idleTimeout: .seconds(60)) { server in
            let connection = try RawConnection(port: server.port)
            defer { connection.close() }
            let opened = ContinuousClock.now
            connection.send("GET /healthz HT")
            let (text, closedAt) = await connection.readUntilClosed()
            let closed = try #require(closedAt, "the server still held the connection after 10 s")
            #expect(text.isEmpty, "\(text)")
            #expect(closed - opened >= .milliseconds(900) && closed - opened < .seconds(5), "closed after \(closed - opened)")
            let metrics = try await server.call(.GET, "/metrics")
            #expect(metrics.text.contains(#"hooklog_http_connections_closed_total{reason="header_timeout"} 1"#), "\(metrics.text)")
        }
    }

    @Test("a kept-alive connection with no request under way is closed after the idle timeout, and not by the header timeout")
    func idleConnectionIsClosed() async throws {
        try await withLimitedServer(headerTimeout: .seconds(1), idleTimeout: .seconds(2)) { server in
            let connection = try RawConnection(port: server.port)
            defer { connection.close() }
            let opened = ContinuousClock.now
            connection.send("GET /healthz HTTP/1.1\r\nHost: hooklog.example\r\n\r\n")
            let (text, closedAt) = await connection.readUntilClosed()
            let closed = try #require(closedAt, "the server still held the idle connection after 10 s")
            #expect(text.hasPrefix("HTTP/1.1 200"), "\(text)")
            #expect(closed - opened >= .milliseconds(1800) && closed - opened < .seconds(6), "closed after \(closed - opened)")
        }
    }

    @Test("a request whose body trickles slower than the body timeout is answered 408 request_timeout, closed, and counted")
    func slowRequestBodyIsCutOff() async throws {
        try await withLimitedServer(headerTimeout: .seconds(10), idleTimeout: .seconds(60), bodyTimeout: .seconds(1)) { server in
            let (_, key) = try await server.workspace()
            let connection = try RawConnection(port: server.port)
            defer { connection.close() }
            let (text, closedAfter) = try await Self.trickleEvent(after: Self.eventHead(key: key), on: connection)
            #expect(text.hasPrefix("HTTP/1.1 408"), "\(text)")
            #expect(text.contains(#""code":"request_timeout""#) && text.contains("--body-timeout"), "\(text)")
            #expect(closedAfter >= .milliseconds(900) && closedAfter < .seconds(8), "closed after \(closedAfter)")
            let metrics = try await server.call(.GET, "/metrics")
            #expect(metrics.text.contains(#"hooklog_http_connections_closed_total{reason="body_timeout"} 1"#), "\(metrics.text)")
            #expect(metrics.text.contains(#"hooklog_http_requests_total{method="POST",route="/v1/events",status="408"} 1"#), "\(metrics.text)")
        }
    }

    @Test("on a kept-alive connection a body sent within the body timeout is answered as usual, and the next request's slow body is cut off too")
    func everyRequestBodyIsBounded() async throws {
        try await withLimitedServer(headerTimeout: .seconds(10), idleTimeout: .seconds(60), bodyTimeout: .seconds(1)) { server in
            let (_, key) = try await server.workspace()
            let connection = try RawConnection(port: server.port)
            defer { connection.close() }
            connection.send(Self.eventHead(key: key) + Self.event)
            // A deadline left running after the first body's end would close the connection during this pause, a
            // second after the first head.
            try await Task.sleep(for: .milliseconds(1_500))
            let (text, closedAfter) = try await Self.trickleEvent(after: Self.eventHead(key: key), on: connection)
            #expect(text.hasPrefix("HTTP/1.1 202"), "\(text)")
            #expect(text.contains("HTTP/1.1 408") && text.contains("request_timeout"), "\(text)")
            #expect(closedAfter >= .milliseconds(900) && closedAfter < .seconds(8), "closed \(closedAfter) after the second head")
        }
    }

    @Test("a request answered before its body is read (401, no key) whose body then trickles is closed at the body timeout, answered once")
    func answeredRequestWithSlowBodyIsClosed() async throws {
        try await withLimitedServer(headerTimeout: .seconds(10), idleTimeout: .seconds(60), bodyTimeout: .seconds(1)) { server in
            let connection = try RawConnection(port: server.port)
            defer { connection.close() }
            let (text, closedAfter) = try await Self.trickleEvent(after: Self.eventHead(key: nil), on: connection)
            #expect(text.hasPrefix("HTTP/1.1 401") && !text.contains("408"), "\(text)")
            #expect(closedAfter >= .milliseconds(900) && closedAfter < .seconds(8), "closed after \(closedAfter)")
            let metrics = try await server.call(.GET, "/metrics")
            #expect(metrics.text.contains(#"hooklog_http_connections_closed_total{reason="body_timeout"} 1"#), "\(metrics.text)")
        }
    }

    @Test("a body at its route's limit passes; one byte more is 413 payload_too_large naming the limit, declared or streamed")
    func bodyLimitsByRoute() async throws {
        try await withServer { server in
            let (_, key) = try await server.workspace()
            let webhook = try await server.webhook(key: key, path: "/hook")
            let routes: [(path: String, body: String, limit: Int, accepted: Int, setting: String)] = [
                ("/v1/events", #"{"type": "contact.created", "data": {}}"#, 4 << 20, 202, "--max-ingest-body"),
                ("/v1/webhooks/\(webhook)/test", #"{"type": "contact.created"}"#, 320 << 10, 200, "--max-test-body"),
                ("/v1/webhooks", #"{"url": "\#(server.receiver.url("/other"))", "events": ["contact.created"]}"#, 64 << 10, 201, "--max-body"),
            ]
            for route in routes {
                let atLimit = try await server.call(.POST, route.path, key: key, body: Self.padded(route.body, to: route.limit))
                #expect(atLimit.status == route.accepted, "\(route.path) with \(route.limit) bytes: \(atLimit.text)")
                let over = try await server.call(.POST, route.path, key: key, body: Self.padded(route.body, to: route.limit + 1))
                #expect(over.status == 413, "\(route.path) with \(route.limit + 1) bytes: \(over.text)")
                #expect(over.errorCode == "payload_too_large")
                let message = over.json["error"]["message"].string ?? ""
                #expect(message.contains("\(route.limit) bytes") && message.contains(route.setting), "\(message)")
            }

            var streamed = HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/v1/webhooks")
            streamed.method = .POST
            streamed.headers.add(name: "authorization", value: "Bearer \(key)")
            streamed.headers.add(name: "content-type", value: "application/json")
            let chunks = AsyncStream<ByteBuffer> { continuation in
                continuation.yield(ByteBuffer(string: Self.padded("{}", to: 40 << 10)))
                continuation.yield(ByteBuffer(string: String(repeating: " ", count: 40 << 10)))
                continuation.finish()
            }
            streamed.body = .stream(chunks, length: .unknown)
            let response = try await server.client.execute(streamed, timeout: .seconds(30))
            #expect(response.status.code == 413, "a body without Content-Length is cut off at the limit too")

            let metrics = try await server.call(.GET, "/metrics")
            #expect(metrics.text.contains(#"hooklog_http_requests_total{method="POST",route="/v1/webhooks",status="413"} 2"#), "\(metrics.text)")
        }
    }

    /// An event for `POST /v1/events`.
    private static let event = #"{"type": "contact.created", "data": {"name": "Ada Lovelace"}}"#

    /// The head of a `POST /v1/events` of ``event``, with `key` if there is one.
    private static func eventHead(key: String?) -> String {
        let authorization = key.map { "Authorization: Bearer \($0)\r\n" } ?? ""
        return "POST /v1/events HTTP/1.1\r\nHost: hooklog.example\r\n\(authorization)Content-Type: application/json\r\n"
            + "Content-Length: \(event.utf8.count)\r\n\r\n"
    }

    /// Sends `head` on `connection`, then ``event`` a byte every 300 ms until the server closes the connection, and
    /// returns everything the server sent on it and how long after `head` it closed.
    private static func trickleEvent(after head: String, on connection: RawConnection) async throws -> (text: String, closedAfter: Duration) {
        connection.send(head)
        let headSent = ContinuousClock.now
        let trickle = Task {
            for byte in event.utf8 {
                guard (try? await Task.sleep(for: .milliseconds(300))) != nil else { return }
                connection.send(String(decoding: [byte], as: UTF8.self))
            }
        }
        let (text, closedAt) = await connection.readUntilClosed()
        trickle.cancel()
        let closed = try #require(closedAt, "the server still held the connection after 10 s")
        return (text, closed - headSent)
    }

    /// `json` followed by spaces, `size` bytes in all: the same JSON, of exactly that size.
    private static func padded(_ json: String, to size: Int) -> String {
        json + String(repeating: " ", count: size - json.utf8.count)
    }

    /// Runs `body` with a started server whose connections and request bodies have these timeouts, and stops it after.
    private func withLimitedServer(
        headerTimeout: Duration, idleTimeout: Duration, bodyTimeout: Duration = .seconds(30),
        _ body: (ServerHarness) async throws -> Void
    ) async throws {
        try await withTemporaryDirectory { directory in
            let server = try await ServerHarness(directory: directory) { configuration in
                configuration.headerTimeout = headerTimeout
                configuration.idleTimeout = idleTimeout
                configuration.bodyTimeout = bodyTimeout
            }
            do {
                try await body(server)
                try await server.stop()
            } catch {
                try? await server.stop()
                throw error
            }
        }
    }
}
