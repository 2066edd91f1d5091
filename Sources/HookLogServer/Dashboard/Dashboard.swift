import Foundation
import HookLogCore
import HookLogStore
import HTTPTypes
import Hummingbird
import Mustache

/// The dashboard's fixed parts: its templates, its two static files and its sessions.
struct Dashboard: Sendable {
    /// The session cookie's name.
    static let sessionCookie = "hooklog_session"
    /// The cookie that ties the sign-in form's CSRF token to a browser before it has a session.
    static let signInCookie = "hooklog_sign_in"

    let templates: MustacheLibrary
    let sessions: DashboardSessions
    /// Whether cookies are marked Secure: the server is reached over https (its public URL says so).
    let secureCookies: Bool
    /// The static files by name, with their content types.
    let assets: [String: (type: String, body: ByteBuffer)]

    /// The templates and files shipped as the server's resources; cookies are Secure when `publicURL` is https; at
    /// most `sessionLimits` sessions, kept in `sharedSessions` on a fleet's node.
    static func load(
        publicURL: String, sessionLimits: DashboardSessions.Limits = .standard, sharedSessions: (any SharedSessions)? = nil
    ) async throws -> Dashboard {
        guard let templates = Bundle.module.url(forResource: "Templates", withExtension: nil),
            let assets = Bundle.module.url(forResource: "Assets", withExtension: nil)
        else {
            throw APIError(.internalServerError, "internal", "the dashboard's templates are missing from the server's resources")
        }
        var files: [String: (type: String, body: ByteBuffer)] = [:]
        for (name, type) in [("dashboard.css", "text/css; charset=utf-8"), ("dashboard.js", "text/javascript; charset=utf-8")] {
            files[name] = (type, ByteBuffer(bytes: try Data(contentsOf: assets.appendingPathComponent(name))))
        }
        return Dashboard(
            templates: try await MustacheLibrary(directory: templates.path), sessions: try await DashboardSessions(limits: sessionLimits, shared: sharedSessions),
            secureCookies: publicURL.lowercased().hasPrefix("https://"), assets: files)
    }

    /// An HTML page: `template` rendered with `values` and what every page shows of the signed-in workspace.
    func page(
        _ template: String, status: HTTPResponse.Status = .ok, title: String, signedIn: SignedIn?, _ values: [String: Any] = [:]
    ) -> Response {
        var context = values
        context["title"] = title
        if let signedIn {
            context["signedIn"] = true
            context["workspaceName"] = signedIn.workspace.name
            context["plan"] = signedIn.workspace.plan.rawValue
            context["csrf"] = signedIn.csrf
        }
        let html = templates.render(Self.present(context) ?? [:], withTemplate: template) ?? "template \(template) is missing"
        return Self.html(status: status, html)
    }

    /// `value` as the templates should see it: an absent optional is left out (a template's section then skips it,
    /// rather than showing "nil"), a present one is unwrapped, in nested dictionaries and lists too.
    static func present(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            return mirror.children.first.flatMap { present($0.value) }
        }
        if let dictionary = value as? [String: Any] { return dictionary.compactMapValues(present) }
        if let list = value as? [[String: Any]] { return list.compactMap(present) }
        return value
    }

    /// A response with `html` and the headers every dashboard page carries: no caching, no framing, and a content
    /// security policy that allows only this server's own files.
    static func html(status: HTTPResponse.Status, _ html: String) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy: "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                    + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
                .xContentTypeOptions: "nosniff", .referrerPolicy: "same-origin",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// A `303 See Other` to `location`, optionally setting cookies.
    static func redirect(to location: String, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: headers)
    }

    /// A `Set-Cookie` value: HttpOnly, SameSite=Strict, for the whole site, and Secure when the server's public URL
    /// is https; a nil value deletes the cookie.
    func setCookie(_ name: String, _ value: String?, maxAge: Duration = DashboardSessions.lifetime) -> String {
        let age = value == nil ? 0 : maxAge.components.seconds
        return "\(name)=\(value ?? ""); Path=/; HttpOnly; SameSite=Strict; Max-Age=\(age)" + (secureCookies ? "; Secure" : "")
    }

    /// The error page for a refused request.
    func errorPage(_ error: APIError, _ signedIn: SignedIn?) -> Response {
        page("error", status: error.status, title: "\(error.status.code) \(error.status.reasonPhrase)", signedIn: signedIn, [
            "status": error.status.code, "code": error.code, "message": error.message,
        ])
    }
}

/// A request from a signed-in browser: its session, its workspace, and the CSRF token its forms carry.
struct SignedIn: Sendable {
    let session: DashboardSessions.Session
    let workspace: Workspace
    let csrf: String
}

extension HTTPField.Name {
    static var contentSecurityPolicy: Self { Self("Content-Security-Policy")! }
    static var xContentTypeOptions: Self { Self("X-Content-Type-Options")! }
    static var referrerPolicy: Self { Self("Referrer-Policy")! }
}
