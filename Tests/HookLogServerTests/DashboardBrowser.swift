import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A browser for the dashboard's handler tests: it keeps cookies, does not follow redirects (so tests see them), and
/// posts forms with the CSRF token of the last page it loaded.
final class DashboardBrowser {
    let server: ServerHarness
    private let client = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
    private(set) var cookies: [String: String] = [:]
    /// The `Set-Cookie` values of the last reply.
    private(set) var lastSetCookies: [String] = []
    /// The CSRF token of the last page loaded.
    private(set) var csrf: String?

    init(_ server: ServerHarness) {
        self.server = server
    }

    func shutdown() async throws {
        try await client.shutdown()
    }

    /// Loads `path`.
    func get(_ path: String) async throws -> APIClient.Reply {
        try await send(.GET, path, body: nil)
    }

    /// Posts `fields` as a form; the CSRF token is the last page's unless `csrf` is given.
    func post(
        _ path: String, _ fields: [(String, String)] = [], csrf: String? = nil, headers: [(String, String)] = []
    ) async throws -> APIClient.Reply {
        let token = csrf ?? self.csrf ?? ""
        let body = ([("csrf", token)] + fields).map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(.POST, path, body: body, headers: headers)
    }

    /// Opens the sign-in form and signs in with `key`; returns the reply to the sign-in.
    @discardableResult
    func signIn(_ key: String) async throws -> APIClient.Reply {
        _ = try await get("/")
        return try await post("/sign-in", [("key", key)])
    }

    private func send(
        _ method: HTTPMethod, _ path: String, body: String?, headers: [(String, String)] = []
    ) async throws -> APIClient.Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(server.port)\(path)")
        request.method = method
        if !cookies.isEmpty {
            request.headers.add(name: "cookie", value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        if let body {
            request.headers.add(name: "content-type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: body))
        }
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        let response = try await client.execute(request, timeout: .seconds(30))
        let text = String(buffer: try await response.body.collect(upTo: 16 << 20))
        lastSetCookies = response.headers["set-cookie"]
        for cookie in lastSetCookies {
            let pair = cookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let (name, value) = (String(pair[0]), pair.count > 1 ? String(pair[1]) : "")
            if value.isEmpty || cookie.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        if let range = text.range(of: #"name="csrf" value="([^"]+)""#, options: .regularExpression) {
            csrf = String(text[range].dropFirst(#"name="csrf" value=""#.count).dropLast())
        }
        return APIClient.Reply(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, text: text)
    }

    private static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// Runs `body` with a server and a browser on it.
func withDashboard<T>(
    allowPrivateEndpoints: Bool = true, _ body: (ServerHarness, DashboardBrowser) async throws -> T
) async throws -> T {
    try await withServer(allowPrivateEndpoints: allowPrivateEndpoints) { server in
        let browser = DashboardBrowser(server)
        do {
            let result = try await body(server, browser)
            try await browser.shutdown()
            return result
        } catch {
            try? await browser.shutdown()
            throw error
        }
    }
}
