import HookLogCore
import HookLogStore
import Hummingbird
import ServiceLifecycle

/// The log's records as Server-Sent Events (`/v1/log/stream`, `/dashboard/stream`): every record after `start`,
/// then, when it follows the log, each new one as it is committed, until the client goes, the server shuts down
/// gracefully, or the log closes. A stream that does not follow ends once it has sent what was committed.
///
/// Each time it has sent everything committed so far, it sends a comment with the last sequence sent (`: 42`); by
/// then it is subscribed to new commits, so a client that has read the first comment misses nothing written after.
/// An idle stream sends the comment again every ``heartbeat``, so that proxies keep it open and a gone client is
/// noticed.
struct RecordStream: Sendable {
    /// How many records one read of the log takes.
    static var batch: Int { 500 }
    /// How often an idle stream sends a comment.
    static var heartbeat: Duration { .seconds(15) }

    let store: any EventLog
    /// The sequence after which the stream starts.
    let start: UInt64
    /// Whose records it sends: nil for all.
    let scope: WorkspaceID?
    /// Whether it goes on with each new commit, or ends once it has caught up.
    let follow: Bool

    /// The stream as a response.
    var response: Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                try await write(to: &writer)
                try await writer.finish(nil)
            })
    }

    /// `json` on one line, as a `data:` field must be: a line break would end the field there, and every client of
    /// the stream (the admin's carries every workspace's records) would read the rest as other fields. A record's
    /// JSON escapes the breaks inside strings; the only raw ones are whitespace between the tokens of an event's
    /// `data`, kept as the client sent it, and a space means the same there. U+2028 and U+2029 end no line in
    /// Server-Sent Events.
    static func oneLine(_ json: String) -> String {
        let isBreak = { (byte: UInt8) in byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") }
        guard json.utf8.contains(where: isBreak) else { return json }
        return String(decoding: json.utf8.map { isBreak($0) ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
    }

    private func write(to writer: inout any ResponseBodyWriter) async throws {
        let (ticks, ticker) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let commits = store.commits()
        let watcher = Task {
            for await _ in commits { ticker.yield() }
            ticker.finish()
        }
        let heartbeat = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: Self.heartbeat)
                ticker.yield()
            }
        }
        defer {
            watcher.cancel()
            heartbeat.cancel()
        }
        try await withGracefulShutdownHandler {
            var cursor = start
            var iterator = ticks.makeAsyncIterator()
            repeat {
                while true {
                    let records = try await store.queries.records(after: cursor, limit: Self.batch, workspace: scope)
                    for entry in records {
                        let event = "id: \(entry.sequence)\nevent: \(entry.record.fact.typeName)\ndata: \(Self.oneLine(entry.json.text))\n\n"
                        try await writer.write(ByteBuffer(string: event))
                        cursor = entry.sequence
                    }
                    if records.count < Self.batch { break }
                }
                try await writer.write(ByteBuffer(string: ": \(cursor)\n\n"))
                guard follow else { break }
            } while await iterator.next() != nil
        } onGracefulShutdown: {
            ticker.finish()
        }
    }
}
