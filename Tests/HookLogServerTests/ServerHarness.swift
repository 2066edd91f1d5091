import AsyncHTTPClient
import Foundation
import HookLogCore
import HookLogDelivery
import HookLogServer
import HookLogStore
import HookLogTestSupport
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// A real server on a free loopback port over a real store, with a manual clock, a receiving endpoint and an
/// HTTP client: what the end-to-end tests drive.
final class ServerHarness: Sendable {
    static let adminKey = "test-admin-key-0123456789abcdefghij"

    let store: LogStore
    let clock: ManualClock
    let receiver: TestReceiver
    let client: HTTPClient
    let port: Int
    private let task: Task<Void, any Error>

    /// Starts everything over `directory`; `smtp` is where disable e-mails go; `concurrency` is the delivery cap;
    /// `configure` changes the rest of the server's configuration.
    init(
        directory: String, smtpPort: Int? = nil, allowPrivateEndpoints: Bool = true, maxWriteBacklog: Int = 10_000,
        retention: Duration? = .seconds(30 * 86_400), concurrency: Int = 256, maxWebhooksPerWorkspace: Int = 100,
        ingestRate: Int = 1000, endpointResolver: any EndpointResolver = SystemResolver(),
        configure: (inout ServerConfiguration) -> Void = { _ in }
    ) async throws {
        clock = ManualClock()
        store = try LogStore(directory: directory + "/data")
        receiver = try await TestReceiver.start()
        client = HTTPClient(eventLoopGroupProvider: .singleton)
        var configuration = ServerConfiguration(adminKey: Self.adminKey)
        configuration.port = 0
        configuration.allowPrivateEndpoints = allowPrivateEndpoints
        configuration.maxWriteBacklog = maxWriteBacklog
        configuration.retention = retention
        configuration.maxWebhooksPerWorkspace = maxWebhooksPerWorkspace
        configuration.ingestRate = ingestRate
        configuration.concurrency = concurrency
        configuration.endpointResolver = endpointResolver
        configuration.notifications = NotificationSettings(
            smtp: try smtpPort.map { try SMTPConfiguration(url: "smtp://127.0.0.1:\($0)", sender: "hooklog@example.com") },
            publicURL: "http://hooklog.example")
        configure(&configuration)
        let server = HookLogServer(store: store, configuration: configuration, clock: clock)
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        task = Task { try await server.run { port in portSink.yield(port) } }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestFailure("the server did not start") }
        self.port = port
    }

    /// Stops the server, the client, the receiver and the store.
    func stop() async throws {
        task.cancel()
        _ = await task.result
        try await client.shutdown()
        try await receiver.stop()
        await store.close()
    }

    /// One API call, as ``APIClient/call(_:_:key:body:headers:)`` makes it.
    func call(
        _ method: HTTPMethod, _ path: String, key: String? = nil, body: String? = nil,
        headers: [(String, String)] = []
    ) async throws -> APIClient.Reply {
        try await APIClient(client: client, port: port).call(method, path, key: key, body: body, headers: headers)
    }

    /// Creates a workspace as the admin and returns its id and first API key.
    func workspace(plan: String = "advanced", owner: String = "owner@acme.example") async throws -> (id: String, key: String) {
        let reply = try await call(
            .POST, "/v1/workspaces", key: Self.adminKey,
            body: #"{"name": "Acme", "plan": "\#(plan)", "owner_email": "\#(owner)"}"#)
        try #require(reply.status == 201, "\(reply.text)")
        return (try #require(reply.json["workspace"]["id"].string), try #require(reply.json["api_key"]["key"].string))
    }

    /// Creates a webhook to the receiver's `path` and returns its id.
    func webhook(key: String, path: String, events: [String] = ["contact.created"]) async throws -> String {
        let list = events.map { "\"\($0)\"" }.joined(separator: ",")
        let reply = try await call(.POST, "/v1/webhooks", key: key, body: #"{"url": "\#(receiver.url(path))", "events": [\#(list)]}"#)
        try #require(reply.status == 201, "\(reply.text)")
        return try #require(reply.json["id"].string)
    }

    /// Waits until the engine has done everything due at the clock's time; the state it reads is durable, like what
    /// the API's queries read from the disk.
    func settle() async throws {
        let now = clock.now
        try await eventually("the engine catches up with \(now)") { store.withState { $0.hasNothingDue(at: now) } }
    }

    /// Moves the clock in `step`s, letting the engine catch up after each, until `condition` holds.
    func advance(by step: Duration, until description: String, maxSteps: Int = 500, _ condition: () async throws -> Bool) async throws {
        for _ in 0..<maxSteps {
            try await settle()
            if try await condition() { return }
            clock.advance(by: step)
        }
        throw TestFailure("\(description) did not happen within \(maxSteps) steps of \(step)")
    }
}

/// Runs `body` with a started harness over a temporary directory, and stops it after.
func withServer<T>(
    smtpPort: Int? = nil, allowPrivateEndpoints: Bool = true, concurrency: Int = 256, maxWebhooksPerWorkspace: Int = 100,
    ingestRate: Int = 1000, endpointResolver: any EndpointResolver = SystemResolver(),
    configure: (inout ServerConfiguration) -> Void = { _ in }, _ body: (ServerHarness) async throws -> T
) async throws -> T {
    try await withTemporaryDirectory { directory in
        try await withServer(
            in: directory, smtpPort: smtpPort, allowPrivateEndpoints: allowPrivateEndpoints, concurrency: concurrency,
            maxWebhooksPerWorkspace: maxWebhooksPerWorkspace, ingestRate: ingestRate, endpointResolver: endpointResolver,
            configure: configure, body)
    }
}

/// Runs `body` with a started harness over `directory`, and stops it after: a later harness over the same directory
/// finds what it left.
func withServer<T>(
    in directory: String, smtpPort: Int? = nil, allowPrivateEndpoints: Bool = true, concurrency: Int = 256,
    maxWebhooksPerWorkspace: Int = 100, ingestRate: Int = 1000, endpointResolver: any EndpointResolver = SystemResolver(),
    configure: (inout ServerConfiguration) -> Void = { _ in }, _ body: (ServerHarness) async throws -> T
) async throws -> T {
    let harness = try await ServerHarness(
        directory: directory, smtpPort: smtpPort, allowPrivateEndpoints: allowPrivateEndpoints, concurrency: concurrency,
        maxWebhooksPerWorkspace: maxWebhooksPerWorkspace, ingestRate: ingestRate, endpointResolver: endpointResolver,
        configure: configure)
    do {
        let result = try await body(harness)
        try await harness.stop()
        return result
    } catch {
        try? await harness.stop()
        throw error
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A parsed JSON value for assertions: subscripts that give a missing value rather than trapping.
struct JSON: Sendable, Decodable, CustomStringConvertible {
    private indirect enum Value: Sendable {
        case missing, null, bool(Bool), int(Int), double(Double), string(String), array([JSON]), object([String: JSON])
    }

    private let value: Value

    init(_ text: String) {
        value = (try? JSONDecoder().decode(JSON.self, from: Data(text.utf8)))?.value ?? .missing
    }

    private init(_ value: Value) {
        self.value = value
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { value = .null }
        else if let bool = try? container.decode(Bool.self) { value = .bool(bool) }
        else if let int = try? container.decode(Int.self) { value = .int(int) }
        else if let double = try? container.decode(Double.self) { value = .double(double) }
        else if let string = try? container.decode(String.self) { value = .string(string) }
        else if let array = try? container.decode([JSON].self) { value = .array(array) }
        else { value = .object(try container.decode([String: JSON].self)) }
    }

    subscript(key: String) -> JSON {
        guard case .object(let members) = value else { return JSON(.missing) }
        return members[key] ?? JSON(.missing)
    }

    subscript(index: Int) -> JSON {
        guard case .array(let elements) = value, elements.indices.contains(index) else { return JSON(.missing) }
        return elements[index]
    }

    var string: String? { if case .string(let text) = value { text } else { nil } }
    var int: Int? { if case .int(let number) = value { number } else { nil } }
    var array: [JSON] { if case .array(let elements) = value { elements } else { [] } }
    var count: Int { array.count }
    var description: String { "\(value)" }
}
