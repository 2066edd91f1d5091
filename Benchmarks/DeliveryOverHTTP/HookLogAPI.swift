import AsyncHTTPClient
import Foundation
import HookLogCore
import NIOCore

/// The calls of HookLog's HTTP API the benchmark makes, as a platform would: create workspaces (admin key), register
/// webhooks and post events (workspace keys).
struct HookLogAPI: Sendable {
    /// A call answered with another status than the one it expects.
    struct UnexpectedAnswer: Error, CustomStringConvertible {
        let description: String
    }

    /// The event data every posted event carries: a message about the size of the platform's own.
    static let eventData = #"{"conversation":{"id":"c_1"},"message":{"text":"Hello from the benchmark"}}"#

    let client: HTTPClient
    let baseURL: String

    /// Creates an `enterprise` workspace with the admin key and returns its API key.
    func createWorkspace(named name: String, adminKey: String) async throws -> String {
        let body = #"{"name": "\#(name)", "plan": "enterprise", "owner_email": "owner@bench.example"}"#
        let answer = try await call("POST", "/v1/workspaces", key: adminKey, body: body, expecting: 201)
        let workspace = try JSONSerialization.jsonObject(with: Data(answer.readableBytesView)) as? [String: Any]
        guard let apiKey = (workspace?["api_key"] as? [String: Any])?["key"] as? String else {
            throw UnexpectedAnswer(description: "POST /v1/workspaces returned no api_key.key")
        }
        return apiKey
    }

    /// Registers a webhook for `type` at `url` in the workspace of `key`.
    func createWebhook(url: String, type: EventType, key: String) async throws {
        let body = #"{"url": "\#(url)", "events": ["\#(type.rawValue)"]}"#
        _ = try await call("POST", "/v1/webhooks", key: key, body: body, expecting: 201)
    }

    /// Posts one batch of events, one per type in `types` (at most 1,000), in the workspace of `key`; returns once
    /// the server has answered 202 (the batch is durable).
    func postEvents(_ types: [EventType], key: String) async throws {
        let events = types.map { #"{"type": "\#($0.rawValue)", "data": \#(Self.eventData)}"# }
        _ = try await call("POST", "/v1/events", key: key, body: #"{"events": [\#(events.joined(separator: ","))]}"#, expecting: 202)
    }

    private func call(_ method: String, _ path: String, key: String, body: String, expecting status: UInt) async throws -> ByteBuffer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .init(rawValue: method)
        request.headers.add(name: "authorization", value: "Bearer \(key)")
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        guard response.status.code == status else {
            throw UnexpectedAnswer(description: "\(method) \(path) answered \(response.status.code), expected \(status): "
                + String(String(buffer: bytes).prefix(500)))
        }
        return bytes
    }
}
