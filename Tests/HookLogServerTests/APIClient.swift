import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Calls a HookLog server on a loopback port as an API client would: what the end-to-end tests send.
struct APIClient: Sendable {
    let client: HTTPClient
    let port: Int

    /// One API call: the status, the headers and the body (parsed when it is JSON).
    struct Reply: Sendable {
        let status: Int
        let headers: [(String, String)]
        let text: String

        /// The body as JSON.
        var json: JSON { JSON(text) }

        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }

        /// The error code of an error reply.
        var errorCode: String? { json["error"]["code"].string }
    }

    /// Sends `method path` with `key` as its bearer token and `body` as JSON, and reads the whole answer.
    func call(
        _ method: HTTPMethod, _ path: String, key: String? = nil, body: String? = nil,
        headers: [(String, String)] = []
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        if let key { request.headers.add(name: "authorization", value: "Bearer \(key)") }
        if let body {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return Reply(
            status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
            text: String(buffer: bytes))
    }
}
