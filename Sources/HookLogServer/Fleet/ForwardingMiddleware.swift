import AsyncHTTPClient
import HTTPTypes
import HookLogCore
import HookLogStore
import Hummingbird
import NIOCore
import NIOHTTP1

/// On a fleet's node (docs/postgres.md), sends a workspace's writes to the node that holds the lease of its
/// workspace's partition, and answers with that node's answer: the owner enforces the workspace's limits (its ingest
/// rate, its test sends) in one place. Reads are served here. A forwarded request carries `HookLog-Forwarded` with the
/// fleet's forwarding secret (``EventLog/forwardingToken``), so no client can pass for a node, and is served where it
/// lands, never forwarded again; its answer carries `HookLog-Forwarded-To` with the owner's address; a write whose partition no other node with an address holds (during
/// a failover, say) is served here too, as any node decides on the whole log. An owner that does not answer is a 503
/// the client retries: the write may have landed there, so it is not made again here.
struct ForwardingMiddleware: RouterMiddleware {
    let store: any EventLog

    /// The header that marks a forwarded request.
    static let forwardedHeader = HTTPField.Name("HookLog-Forwarded")!
    /// The header that tells the client which node answered a forwarded request.
    static let forwardedToHeader = HTTPField.Name("HookLog-Forwarded-To")!
    /// How long the owner has to answer a forwarded write.
    private static let timeout: TimeAmount = .seconds(15)
    /// The most of an owner's answer that is passed on.
    private static let answerLimit = 16 << 20
    /// Headers that concern one connection, not the request, which are not passed on.
    private static let hopByHop: Set<String> = [
        "connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection", "host",
        "content-length",
    ]

    func handle(
        _ request: Request, context: HookLogRequestContext,
        next: (Request, HookLogRequestContext) async throws -> Response
    ) async throws -> Response {
        guard request.method != .get, request.method != .head, case .workspace(let workspace)? = context.principal,
              let token = store.forwardingToken, !Self.isForwarded(request, token: token),
              let address = store.forwardingAddress(for: workspace.id)
        else { return try await next(request, context) }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: context.bodyLimit.bytes)
        } catch is NIOTooManyBytesError {
            throw context.bodyLimit.refusal
        }
        return try await Self.forward(request, body: body, to: address, token: token)
    }

    /// Whether another node of the fleet forwarded `request`: it carries the fleet's `token`.
    private static func isForwarded(_ request: Request, token: String) -> Bool {
        guard let carried = request.headers[forwardedHeader] else { return false }
        return ConstantTime.equal(Array(carried.utf8), Array(token.utf8))
    }

    /// Sends `request` with `body` to the node at `address` and returns its answer.
    private static func forward(_ request: Request, body: ByteBuffer, to address: String, token: String) async throws -> Response {
        let base = address.hasSuffix("/") ? String(address.dropLast()) : address
        var outgoing = HTTPClientRequest(url: base + request.uri.description)
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headers where !hopByHop.contains(field.name.canonicalName) && field.name != forwardedHeader {
            outgoing.headers.add(name: field.name.rawName, value: field.value)
        }
        outgoing.headers.replaceOrAdd(name: forwardedHeader.rawName, value: token)
        outgoing.body = .bytes(body)
        let answer: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            answer = try await HTTPClient.shared.execute(outgoing, timeout: timeout)
            bytes = try await answer.body.collect(upTo: answerLimit)
        } catch {
            var refusal = APIError(
                .serviceUnavailable, "unavailable",
                "the node that delivers this workspace (\(base)) did not answer: \(error); retry after the time in Retry-After")
            refusal.headers[.retryAfter] = "1"
            throw refusal
        }
        var headers = HTTPFields()
        for (name, value) in answer.headers where !hopByHop.contains(name.lowercased()) {
            if let name = HTTPField.Name(name) { headers.append(HTTPField(name: name, value: value)) }
        }
        headers[forwardedToHeader] = base
        return Response(status: HTTPResponse.Status(code: Int(answer.status.code)), headers: headers, body: ResponseBody(byteBuffer: bytes))
    }
}
