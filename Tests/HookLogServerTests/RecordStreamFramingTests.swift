import HookLogTestSupport
import NIOHTTP1
import Testing

@Suite("The record stream's framing")
struct RecordStreamFramingTests {
    @Test("event data with LF, CR, CRLF, U+2028 and U+2029, escaped or between its tokens, stays inside one data: line per record")
    func lineBreaksInEventData() async throws {
        try await withServer { server in
            let (_, key) = try await server.workspace()
            // Escaped breaks inside strings, raw U+2028 and U+2029 inside strings, and raw CRLF, LF and CR as the
            // whitespace between tokens, as a pretty-printing client sends them.
            let data = "{\r\n  \"lf\": \"a\\nb\",\n  \"cr\": \"a\\rb\",\r  \"crlf\": \"a\\r\\nb\",\n"
                + "  \"ls\": \"a\u{2028}b\", \"ps\": \"a\u{2029}b\", \"escaped\": \"a\\u2028b\\u2029c\"\r\n}"
            let posted = try await server.call(
                .POST, "/v1/events", key: key, body: #"{"id": "evt_lines", "type": "contact.created", "data": "# + data + "}")
            #expect(posted.status == 202, "\(posted.text)")

            let stream = try await server.call(.GET, "/v1/log/stream?after=0&follow=false", key: ServerHarness.adminKey)
            #expect(stream.status == 200)
            let events = Self.events(in: stream.text)
            #expect(events.map { $0.map(\.field) }.allSatisfy { $0 == ["id", "event", "data"] }, "\(events)")
            let received = try #require(events.first { $0.count == 3 && $0[1].value == "EventReceived" }, "\(stream.text)")
            let record = JSON(received[2].value)
            #expect(record["event_id"].string == "evt_lines", "the data: line is the whole record: \(received[2].value)")
            let fields = record["data"]
            #expect(fields["lf"].string == "a\nb")
            #expect(fields["cr"].string == "a\rb")
            #expect(fields["crlf"].string == "a\r\nb")
            #expect(fields["ls"].string == "a\u{2028}b")
            #expect(fields["ps"].string == "a\u{2029}b")
            #expect(fields["escaped"].string == "a\u{2028}b\u{2029}c")
        }
    }

    /// The events of a Server-Sent Events text as a client reads them: lines end at CRLF, LF or CR; a blank line ends
    /// an event; comments are left out. Each event is its fields in order.
    private static func events(in text: String) -> [[(field: String, value: String)]] {
        var lines: [String] = []
        var line = String.UnicodeScalarView()
        var afterCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" && afterCR {
                afterCR = false
                continue
            }
            afterCR = scalar == "\r"
            if scalar == "\n" || scalar == "\r" {
                lines.append(String(line))
                line = String.UnicodeScalarView()
            } else {
                line.append(scalar)
            }
        }
        var events: [[(field: String, value: String)]] = []
        var current: [(field: String, value: String)] = []
        for line in lines {
            if line.isEmpty {
                if !current.isEmpty { events.append(current) }
                current = []
            } else if !line.hasPrefix(":") {
                let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                let value = parts.count == 2 ? String(parts[1].drop { $0 == " " }) : ""
                current.append((String(parts[0]), value))
            }
        }
        return events
    }
}
