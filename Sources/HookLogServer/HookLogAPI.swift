import Crypto
import HookLogCore
import HookLogDelivery
import HookLogStore
import Hummingbird

/// What every route handler works with: the log, the clock, the sender for test events, and the rules of access.
///
/// Handlers read the live state and the log's indexes, and write only through ``execute(_:)``, which decides
/// commands in the log's writer, so that what a response reports is durable.
final class HookLogAPI<C: Clock<Duration>>: Sendable where C.Instant == Timestamp {
    let store: LogStore
    let configuration: ServerConfiguration
    let clock: C
    let sender: HTTPSender<C>
    let addressPolicy: EndpointAddressPolicy
    private let adminKeyHash: [UInt8]

    init(store: LogStore, configuration: ServerConfiguration, clock: C, sender: HTTPSender<C>) {
        self.store = store
        self.configuration = configuration
        self.clock = clock
        self.sender = sender
        self.addressPolicy = EndpointAddressPolicy(allowsPrivateAddresses: configuration.allowPrivateEndpoints)
        self.adminKeyHash = Array(SHA256.hash(data: Array(configuration.adminKey.utf8)))
    }

    /// Who the request acts for (401 without a valid key).
    func principal(of request: Request) throws(APIError) -> Principal {
        try Principal.of(request, adminKeyHash: adminKeyHash, keys: store.withState(\.apiKeys))
    }

    /// Refuses a request that does not carry the admin key.
    func requireAdmin(_ request: Request) throws(APIError) {
        guard try principal(of: request) == .admin else {
            throw .forbidden("this route manages workspaces and needs the admin key")
        }
    }

    /// The workspace a request acts for; the admin key is refused on workspace routes.
    func workspace(of request: Request) throws(APIError) -> Workspace {
        guard case .workspace(let id) = try principal(of: request) else {
            throw .forbidden("this route acts for a workspace and needs one of its API keys (hk_…), not the admin key")
        }
        guard let workspace = store.withState({ $0.workspaces[id] }) else { throw .unauthorized }
        return workspace
    }

    /// The workspace of a request to a webhook route: its plan must allow webhooks (403 `plan_required`).
    func webhookWorkspace(of request: Request) throws(APIError) -> Workspace {
        let workspace = try workspace(of: request)
        guard workspace.plan.allowsWebhooks else {
            throw APIError(
                .forbidden, "plan_required",
                "webhooks need the advanced plan or higher; this workspace is on \(workspace.plan.rawValue)")
        }
        return workspace
    }

    /// The webhook `id` if it belongs to `workspace`; 404 otherwise, whoever's it is.
    func webhook(_ id: String, of workspace: Workspace) throws(APIError) -> Webhook {
        guard let webhook = store.withState({ $0.webhooks[WebhookID(id)] }), webhook.workspaceID == workspace.id else {
            throw .notFound("no webhook \(id)")
        }
        return webhook
    }

    /// Decides and appends `commands` as one request, returning each one's records once durable. A saturated write
    /// queue is 429, a closed log 503.
    func execute(_ commands: [Command]) async throws -> [Result<[LoggedRecord], DecisionError>] {
        guard store.backlog < configuration.maxWriteBacklog else { throw APIError.saturated }
        do {
            return try await store.execute(commands, at: clock.now)
        } catch StoreError.closed, StoreError.writerFailed {
            throw APIError.unavailable
        }
    }

    /// Decides and appends one command; its refusal becomes the matching API error.
    func execute(_ command: Command) async throws -> [LoggedRecord] {
        do {
            return try await execute([command])[0].get()
        } catch let refusal as DecisionError {
            throw APIError(refusal)
        }
    }

    /// Refuses a URL that is malformed (the core's rules) or whose host is not allowed (SSRF), before any command.
    func checkEndpointURL(_ url: String) async throws {
        do {
            try Validation.checkEndpointURL(url)
        } catch {
            throw APIError(error)
        }
        do {
            try await addressPolicy.check(url: url)
        } catch {
            throw APIError.invalidField("url: \(error.description)")
        }
    }
}
