import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A browser of the dashboard that goes from node to node of a fleet, as behind a load balancer without sticky
/// sessions: it keeps its cookies, does not follow redirects, and posts forms with the CSRF token of the last page.
final class FleetBrowser {
    private let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
    private var cookies: [String: String] = [:]
    private var csrf = ""

    /// The status, the `Location` header and the text of one answer.
    struct Page {
        let status: Int
        let location: String?
        let text: String
    }

    /// Loads `path` from the node on `port`.
    func get(_ path: String, port: String) async throws -> Page {
        try await send(.GET, path, port: port, form: nil)
    }

    /// Posts `fields` and the last page's CSRF token as a form to the node on `port`.
    func post(_ path: String, port: String, _ fields: [(String, String)] = []) async throws -> Page {
        try await send(.POST, path, port: port, form: [("csrf", csrf)] + fields)
    }

    func shutdown() async throws {
        try await client.shutdown()
    }

    private func send(_ method: HTTPMethod, _ path: String, port: String, form: [(String, String)]?) async throws -> Page {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        if !cookies.isEmpty {
            request.headers.add(name: "cookie", value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        if let form {
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
            let body = form.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
                .joined(separator: "&")
            request.headers.add(name: "content-type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        for cookie in response.headers["set-cookie"] {
            let pair = cookie.prefix { $0 != ";" }.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            cookies[pair[0]] = pair[1].isEmpty ? nil : pair[1]
        }
        let text = String(buffer: try await response.body.collect(upTo: 4 << 20))
        if let token = text.firstMatch(of: #/name="csrf" value="([^"]+)"/#) { csrf = String(token.1) }
        return Page(status: Int(response.status.code), location: response.headers.first(name: "location"), text: text)
    }
}
