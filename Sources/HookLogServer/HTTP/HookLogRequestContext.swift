import HTTPTypes
import HookLogCore
import Hummingbird
import NIOCore

/// What a request carries from middleware to handler: Hummingbird's core context and who the request acts for,
/// which ``AuthenticationMiddleware`` sets from an API key and ``DashboardSessionMiddleware`` from a browser's
/// session.
struct HookLogRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Who the request acts for; nil until a middleware has authenticated it.
    var principal: Principal?
    /// The signed-in browser, on the dashboard's pages and forms.
    var signedIn: SignedIn?
    /// The address of the connection's other end (a client, or a proxy in front of it); nil without a socket.
    let peerAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        peerAddress = source.channel.remoteAddress
    }

    /// The most the request's body may hold, which ``RequestBodyLimitMiddleware`` sets from its route.
    var bodyLimit = RequestBodyLimits().limit(method: .get, route: nil)

    /// Request bodies are strict JSON within ``bodyLimit``, refused with the API's errors.
    var requestDecoder: APIRequestDecoder { APIRequestDecoder(limit: bodyLimit) }
    /// Answers are compact JSON with sorted keys.
    var responseEncoder: APIResponseEncoder { APIResponseEncoder() }

    /// The workspace the request acts for: on routes behind ``AccessMiddleware`` with a workspace rule it is there.
    var workspace: Workspace {
        get throws(APIError) {
            guard case .workspace(let workspace) = principal else { throw .unauthorized }
            return workspace
        }
    }

    /// The signed-in browser: on routes behind ``DashboardSessionMiddleware`` it is there.
    var browser: SignedIn {
        get throws(APIError) {
            guard let signedIn else { throw .unauthorized }
            return signedIn
        }
    }
}
