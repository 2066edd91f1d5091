import HookLogCore
import HookLogStore
import HTTPTypes
import Hummingbird
import ServiceLifecycle

extension HookLogAPI {
    /// How many records one read of the stream takes from the log.
    static var streamBatch: Int { 500 }
    /// How often an idle stream sends a comment, so that proxies keep it open and a gone client is noticed.
    static var streamHeartbeat: Duration { .seconds(15) }

    /// `GET /v1/log` and `GET /v1/log/stream`: the raw records, all of them for the admin, a workspace's own for its
    /// keys.
    func addLogRoutes(to router: APIRouter<BasicRequestContext>) {
        router.on(.get, "/v1/log") { request, _ in
            let scope = try self.logScope(of: request)
            let query = QueryReader(request)
            let limit = try query.limit()
            let records = try self.store.reader.records(after: try query.cursor("after") ?? 0, limit: limit, workspace: scope)
            let next = records.count == limit ? records.last.map { String($0.sequence) } : nil
            return JSONResponse.page(records.map(\.json), nextCursor: next)
        }
        router.on(.get, "/v1/log/stream") { request, _ in
            let scope = try self.logScope(of: request)
            let resume = request.headers[.lastEventID] ?? QueryReader(request).string("after")
            let start = try resume.map { text throws(APIError) in
                guard let sequence = UInt64(text) else { throw APIError.invalidField("Last-Event-ID '\(text)' is not a sequence") }
                return sequence
            } ?? self.store.withState(\.lastSequence)
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                body: ResponseBody { writer in
                    try await self.stream(after: start, scope: scope, to: &writer)
                    try await writer.finish(nil)
                })
        }
    }

    /// Whose records a request may read: nil (all) for the admin, its workspace for a workspace key.
    private func logScope(of request: Request) throws(APIError) -> WorkspaceID? {
        switch try principal(of: request) {
        case .admin: nil
        case .workspace(let id): id
        }
    }

    /// Writes every record after `start` as a Server-Sent Event, then each new one as it is committed, until the
    /// client goes, the server shuts down gracefully, or the log closes.
    func stream(after start: UInt64, scope: WorkspaceID?, to writer: inout any ResponseBodyWriter) async throws {
        let (ticks, ticker) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let commits = store.commits()
        let watcher = Task {
            for await _ in commits { ticker.yield() }
            ticker.finish()
        }
        let heartbeat = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: Self.streamHeartbeat)
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
                    let records = try store.reader.records(after: cursor, limit: Self.streamBatch, workspace: scope)
                    for entry in records {
                        let event = "id: \(entry.sequence)\nevent: \(entry.record.fact.typeName)\ndata: \(entry.json.text)\n\n"
                        try await writer.write(ByteBuffer(string: event))
                        cursor = entry.sequence
                    }
                    if records.count < Self.streamBatch { break }
                }
                try await writer.write(ByteBuffer(string: ": \(cursor)\n\n"))
            } while await iterator.next() != nil
        } onGracefulShutdown: {
            ticker.finish()
        }
    }
}

extension HTTPField.Name {
    /// `Last-Event-ID`: where a reconnecting Server-Sent Events client resumes.
    static var lastEventID: Self { Self("Last-Event-ID")! }
}
