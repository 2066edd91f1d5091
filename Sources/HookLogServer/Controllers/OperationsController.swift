import Foundation
import HookLogCore
import HookLogStore
import Hummingbird

/// `GET /healthz`, `GET /metrics` and `GET /openapi.yaml`: no key needed.
struct OperationsController: Sendable {
    let store: any EventLog
    /// The data directory's disk against its reserve, if watched.
    let disk: DiskWatch?
    /// Commands waiting for the writer at which writes are refused (``ServerConfiguration/maxWriteBacklog``).
    let maxWriteBacklog: Int
    let metrics: ServerMetrics
    /// The text of `openapi.yaml`.
    let specification: ByteBuffer

    /// Adds the routes to `group`, which admits anyone.
    func addRoutes(to group: RouterGroup<HookLogRequestContext>) {
        group.get("/healthz", use: health)
        group.get("/metrics", use: exposition)
        group.get("/openapi.yaml", use: openAPI)
    }

    /// 200 while the log can be written; 503 once its writer has failed, since the server then takes no more writes,
    /// while the log's storage does not answer a read (a PostgreSQL database that went away), since writes then fail,
    /// while the disk is below its reserve, since the server then takes no more events, and while the write queue is
    /// full, since writes are then refused with 429.
    @Sendable func health(_ request: Request, context: HookLogRequestContext) async throws -> EditedResponse<HealthJSON> {
        guard store.writerFailure == nil else { return EditedResponse(status: .serviceUnavailable, response: .writerFailed) }
        do {
            _ = try await store.queries.lastSequence()
        } catch StoreError.unavailable {
            return EditedResponse(status: .serviceUnavailable, response: .storeUnavailable)
        }
        guard disk?.status()?.isLow != true else { return EditedResponse(status: .serviceUnavailable, response: .diskLow) }
        guard store.backlog < maxWriteBacklog else { return EditedResponse(status: .serviceUnavailable, response: .backlogFull) }
        return EditedResponse(status: .ok, response: .ok(lastSequence: store.withState(\.lastSequence), fleet: store.fleet))
    }

    @Sendable func exposition(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        let disk = disk?.status()
        let text = store.withState { metrics.exposition(of: $0, disk: disk) }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
    }

    @Sendable func openAPI(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/yaml"], body: ResponseBody(byteBuffer: specification))
    }
}

/// The OpenAPI 3.1 description of the API, shipped with the server.
enum OpenAPISpecification {
    /// The text of `openapi.yaml`.
    static func load() throws -> ByteBuffer {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw APIError(.internalServerError, "internal", "openapi.yaml is missing from the server's resources")
        }
        return ByteBuffer(bytes: try Data(contentsOf: url))
    }
}
