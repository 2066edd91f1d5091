import Foundation
import HookLogCore
import Hummingbird

extension HookLogAPI {
    /// `GET /healthz`, `GET /metrics` and `GET /openapi.yaml`: no key needed. The health check is 503 once the log's
    /// writer has failed, since the server then takes no more writes.
    func addOperationsRoutes(to router: APIRouter<BasicRequestContext>, metrics: ServerMetrics, specification: ByteBuffer) {
        router.on(.get, "/healthz") { _, _ in
            guard self.store.writerFailure == nil else {
                return JSONResponse.make(
                    .serviceUnavailable, .object([("status", .string("unavailable")), ("reason", .string("writer_failed"))]))
            }
            let sequence = self.store.withState(\.lastSequence)
            return JSONResponse.make(.ok, .object([("status", .string("ok")), ("last_sequence", .int(Int64(sequence)))]))
        }
        router.on(.get, "/metrics") { _, _ in
            let text = self.store.withState { metrics.exposition(of: $0) }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
        }
        router.on(.get, "/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"], body: ResponseBody(byteBuffer: specification))
        }
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
