import HookLogCore
import HookLogStore
import HTTPTypes
import Hummingbird

/// `POST /v1/events` (ingest) and `GET /v1/events/{id}`.
struct EventController<C: Clock<Duration>>: Sendable where C.Instant == Timestamp {
    let log: LogService<C>

    /// Adds the routes to `group`, which is at `/v1/events` and admits workspace keys.
    func addRoutes(to group: RouterGroup<HookLogRequestContext>) {
        group.post(use: ingest)
        group.get("{id}", use: read)
    }

    @Sendable func ingest(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        let workspace = try context.workspace
        try log.disk?.admitIngest()
        guard let bytes = try await context.requestDecoder.body(of: request) else { throw APIRequestDecoder.missingBody }
        let body = try IngestRequest(bytes)
        try log.limits.admitIngest(body.events.count, from: workspace.id, at: log.clock.now)
        let idempotencyKey = request.headers[.idempotencyKey]
        if let idempotencyKey { try APIError.check { () throws(DecisionError) in try Validation.checkClientID(idempotencyKey, field: "Idempotency-Key") } }
        let results = try await log.execute(body.events.map { event in
            .receiveEvent(IncomingEvent(
                workspaceID: workspace.id, eventID: event.id, type: event.type, occurredAt: event.occurredAt, data: event.data,
                idempotencyKey: idempotencyKey))
        })
        // A replayed Idempotency-Key answers with all the original records in its first result.
        var accepted: [(event: EventReceived, receivedAt: Timestamp)] = []
        for result in results {
            for entry in try APIError.check({ () throws(DecisionError) in try result.get() }) {
                if case .eventReceived(let event) = entry.record.fact { accepted.append((event, entry.record.at)) }
            }
        }
        guard let first = accepted.first else { throw APIError.unavailable }
        var json = JSONWriter(capacity: 256 * accepted.count)
        if body.isBatch {
            json.object { json in
                json.key("events")
                json.array { json in for (event, receivedAt) in accepted { event.writeAccepted(receivedAt: receivedAt, to: &json) } }
            }
        } else {
            first.event.writeAccepted(receivedAt: first.receivedAt, to: &json)
        }
        return JSONResponse.make(.accepted, bytes: json.bytes)
    }

    @Sendable func read(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let event = try await log.store.queries.event(EventID(id), in: try context.workspace.id) else {
            throw APIError.notFound("event \(id)", historyStart: try await log.store.queries.historyStart()?.at)
        }
        var json = JSONWriter()
        event.event.writeEvent(receivedAt: event.receivedAt, deliveries: event.deliveries, to: &json)
        return JSONResponse.make(.ok, bytes: json.bytes)
    }
}

extension HTTPField.Name {
    /// `Idempotency-Key`: a repeated request with the same key gets the first one's answer.
    static var idempotencyKey: Self { Self("Idempotency-Key")! }
}
