import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A Server-Sent Events stream of the server (`/v1/log/stream` or `/dashboard/stream`) as a test reads it, one
/// block at a time. The server sends a comment (`: <sequence>`) each time it has sent everything committed so far and
/// is subscribed to what comes next, so a test that has read the first comment knows a record it writes from then
/// on will be streamed: it waits for that, never for a length of time.
struct EventStream {
    /// One event: the record's sequence, its type and its JSON.
    struct Event {
        let id: UInt64
        let type: String
        let data: String
    }

    private enum Block {
        case event(Event)
        case comment
    }

    private var body: HTTPClientResponse.Body.AsyncIterator
    private var text = ""

    /// Opens the stream at `path` with `headers` (a key, a cookie, `Last-Event-ID`).
    init(_ server: ServerHarness, path: String, headers: [(String, String)]) async throws {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(server.port)\(path)")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await server.client.execute(request, timeout: .seconds(30))
        guard response.headers.first(name: "content-type") == "text/event-stream" else {
            throw TestFailure("\(path) answered \(response.status) without a stream")
        }
        body = response.body.makeAsyncIterator()
    }

    /// The events the server sends before its first comment: everything already committed after where the stream
    /// starts. Once this returns, the stream is live.
    mutating func untilLive() async throws -> [Event] {
        var events: [Event] = []
        while true {
            switch try await nextBlock() {
            case .event(let event): events.append(event)
            case .comment: return events
            }
        }
    }

    /// The next `count` events, comments skipped.
    mutating func events(_ count: Int) async throws -> [Event] {
        var events: [Event] = []
        while events.count < count {
            if case .event(let event) = try await nextBlock() { events.append(event) }
        }
        return events
    }

    private mutating func nextBlock() async throws -> Block {
        while true {
            if let end = text.range(of: "\n\n") {
                let block = text[..<end.lowerBound]
                text = String(text[end.upperBound...])
                var fields: [String: String] = [:]
                for line in block.split(separator: "\n") where !line.hasPrefix(":") {
                    let parts = line.split(separator: ":", maxSplits: 1)
                    if parts.count == 2 { fields[String(parts[0])] = parts[1].trimmingCharacters(in: .whitespaces) }
                }
                guard let id = fields["id"].flatMap(UInt64.init), let type = fields["event"] else { return .comment }
                return .event(Event(id: id, type: type, data: fields["data"] ?? ""))
            }
            guard let chunk = try await body.next() else { throw TestFailure("the stream ended") }
            text += String(buffer: chunk)
        }
    }
}
