import HookLogCore
import HookLogStore
import HTTPTypes
import Hummingbird

/// `GET /v1/log` and `GET /v1/log/stream`: the raw records, all of them for the admin, a workspace's own for its
/// keys.
struct LogController<C: Clock<Duration>>: Sendable where C.Instant == Timestamp {
    let log: LogService<C>

    /// Adds the routes to `group`, which is at `/v1/log` and admits any key.
    func addRoutes(to group: RouterGroup<HookLogRequestContext>) {
        group.get(use: page)
        group.get("stream", use: stream)
    }

    @Sendable func page(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        let query = QueryReader(request)
        let limit = try query.limit()
        let after = try query.cursor("after") ?? 0
        let records = try await log.store.queries.records(after: after, limit: limit, workspace: try Self.scope(of: context))
        let next = records.count == limit ? records.last.map { String($0.sequence) } : nil
        let start = try await log.store.queries.historyStart().flatMap { $0.through > after ? $0.at : nil }
        return JSONResponse.page(records.map(\.json), nextCursor: next, historyStartsAt: start)
    }

    @Sendable func stream(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        let scope = try Self.scope(of: context)
        let query = QueryReader(request)
        let follow = try query.bool("follow") ?? true
        let resume = request.headers[.lastEventID] ?? query.string("after")
        let start = try resume.map { text throws(APIError) in
            guard let sequence = UInt64(text) else { throw APIError.invalidField("Last-Event-ID '\(text)' is not a sequence") }
            return sequence
        } ?? log.store.withState(\.lastSequence)
        return RecordStream(store: log.store, start: start, scope: scope, follow: follow).response
    }

    /// Whose records a request may read: nil (all) for the admin, its workspace's for a workspace key.
    private static func scope(of context: HookLogRequestContext) throws(APIError) -> WorkspaceID? {
        switch context.principal {
        case .admin: nil
        case .workspace(let workspace): workspace.id
        case nil: throw .unauthorized
        }
    }
}

extension HTTPField.Name {
    /// `Last-Event-ID`: where a reconnecting Server-Sent Events client resumes.
    static var lastEventID: Self { Self("Last-Event-ID")! }
}
