import HookLogCore
import HookLogDelivery
@testable import HookLogServer
import HookLogStore
import HookLogTestSupport
import Hummingbird
import HummingbirdTesting
import NIOCore

/// The server's router over a real store, driven with HummingbirdTesting's router client: requests go straight to
/// the responder, without sockets. For the refusals every route shares, which need no engine and no receiver.
struct RouterHarness: Sendable {
    static let adminKey = "router-admin-key-0123456789abcdefghij"

    let client: any TestClientProtocol

    /// One request: `method path` with `key` as its bearer token and `body` as JSON (or as `contentType`).
    func call(
        _ method: HTTPRequest.Method, _ path: String, key: String? = nil, body: String? = nil,
        contentType: String = "application/json"
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let key { headers[.authorization] = "Bearer \(key)" }
        if body != nil { headers[.contentType] = contentType }
        return try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// Creates a workspace on `plan` as the admin and returns its id and first API key.
    func workspace(plan: String = "advanced") async throws -> (id: String, key: String) {
        let reply = try await call(
            .post, "/v1/workspaces", key: Self.adminKey, body: #"{"name": "Acme", "plan": "\#(plan)", "owner_email": "ops@acme.example"}"#)
        let json = JSON(String(buffer: reply.body))
        guard reply.status == .created, let id = json["workspace"]["id"].string, let key = json["api_key"]["key"].string else {
            throw TestFailure("creating a workspace answered \(reply.status): \(String(buffer: reply.body))")
        }
        return (id, key)
    }
}

/// Runs `body` with the router of a server over a temporary store; with `reserve`, the server keeps that much free
/// on the store's disk.
func withRouter(reserve: ByteSize? = nil, _ body: @escaping @Sendable (RouterHarness) async throws -> Void) async throws {
    try await withTemporaryDirectory { directory in
        let store = try LogStore(directory: directory + "/data")
        let clock = ManualClock()
        var configuration = ServerConfiguration(adminKey: RouterHarness.adminKey)
        configuration.allowPrivateEndpoints = true
        configuration.diskReserve = reserve.map { DiskReserve(directory: directory + "/data", size: $0) }
        let sender = HTTPSender(
            clock: clock, timeout: .seconds(5), realTimeLimit: ManualClock.senderRealTimeLimit,
            addressPolicy: EndpointAddressPolicy(allowsPrivateAddresses: true))
        do {
            let metrics = ServerMetrics(store: store)
            let router = try HookLogRoutes.router(
                log: LogService(
                    store: store, configuration: configuration, clock: clock, sender: sender,
                    engine: DeliveryEngine(store: store, sender: sender, notifications: configuration.notifications, clock: clock),
                    testSends: TestSendRate(interval: configuration.testInterval), limitMetrics: metrics.limits),
                metrics: metrics, dashboard: try await Dashboard.load(publicURL: "http://hooklog.example"))
            try await Application(router: router).test(.router) { client in try await body(RouterHarness(client: client)) }
        } catch {
            try? await sender.shutdown()
            await store.close()
            throw error
        }
        try await sender.shutdown()
        await store.close()
    }
}
