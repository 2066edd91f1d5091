import HookLogCore
import HookLogStore
import HTTPTypes
import Hummingbird

/// `POST /v1/events` (ingest) and `GET /v1/events/{id}`.
struct EventController<C: Clock<Duration>>: Sendable where C.Instant == Timestamp {
    /// The most events one ingest request may carry.
    static var maxEventsPerRequest: Int { 1000 }

    let log: LogService<C>

    /// Adds the routes to `group`, which is at `/v1/events` and admits workspace keys.
    func addRoutes(to group: RouterGroup<HookLogRequestContext>) {
        group.post(use: ingest)
        group.get("{id}", use: read)
    }

    @Sendable func ingest(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        let workspace = try context.workspace
        let document = try await RequestBodyReader.json(of: request)
        let idempotencyKey = request.headers[.idempotencyKey]
        if let idempotencyKey { try APIError.check { () throws(DecisionError) in try Validation.checkClientID(idempotencyKey, field: "Idempotency-Key") } }
        let body = try JSONObjectReader(document.root)
        let batch = try body.optionalArray("events")
        let elements = batch ?? [document.root]
        guard (1...Self.maxEventsPerRequest).contains(elements.count) else {
            throw APIError.invalidField("events must hold 1 to \(Self.maxEventsPerRequest) events, not \(elements.count)")
        }
        let events = try elements.enumerated().map { index, element throws(APIError) in
            try Self.incomingEvent(
                element, path: batch == nil ? "" : "events[\(index)].", workspace: workspace.id, document: document,
                idempotencyKey: idempotencyKey)
        }
        let results = try await log.execute(events.map(Command.receiveEvent))
        // A replayed Idempotency-Key answers with all the original records in its first result.
        var accepted: [JSONValue] = []
        for result in results {
            for entry in try APIError.check({ () throws(DecisionError) in try result.get() }) {
                if case .eventReceived(let event) = entry.record.fact { accepted.append(event.acceptedJSON(receivedAt: entry.record.at)) }
            }
        }
        guard let first = accepted.first else { throw APIError.unavailable }
        return JSONResponse.make(.accepted, batch == nil ? first : .object([("events", .array(accepted))]))
    }

    @Sendable func read(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let event = try log.store.reader.event(EventID(id), in: try context.workspace.id) else {
            throw APIError.notFound("no event \(id)")
        }
        return JSONResponse.make(.ok, event.event.json(receivedAt: event.receivedAt, deliveries: event.deliveries))
    }

    /// One event of an ingest request, checked against every rule the core applies, so that a batch is refused whole
    /// before anything of it is recorded.
    private static func incomingEvent(
        _ node: JSONNode, path: String, workspace: WorkspaceID, document: JSONDocument, idempotencyKey: String?
    ) throws(APIError) -> IncomingEvent {
        let fields = try JSONObjectReader(node, path: path)
        let id = try fields.optionalString("id")
        if let id { try APIError.check { () throws(DecisionError) in try Validation.checkClientID(id, field: "\(path)id") } }
        guard let type = try fields.optionalEventType("type") else { throw APIError.invalidField("\(path)type is required") }
        guard let data = try fields.optionalObject("data") else { throw APIError.invalidField("\(path)data is required and must be an object") }
        guard data.span.count <= Validation.maxEventDataBytes else {
            throw APIError(
                .contentTooLarge, "payload_too_large",
                "\(path)data is \(data.span.count) bytes; at most \(Validation.maxEventDataBytes) are allowed")
        }
        return IncomingEvent(
            workspaceID: workspace, eventID: id.map(EventID.init), type: type, occurredAt: try fields.optionalTime("occurred_at"),
            data: document.text(of: data.span), idempotencyKey: idempotencyKey)
    }
}

extension HTTPField.Name {
    /// `Idempotency-Key`: a repeated request with the same key gets the first one's answer.
    static var idempotencyKey: Self { Self("Idempotency-Key")! }
}
