import AsyncHTTPClient
import Foundation
import HookLogCore
import HookLogDelivery
import NIOCore

/// The HTTP clients alone, without the log, each POSTing the webhook wrk posts (`Benchmarks/wrk/webhook-post.lua`)
/// from `concurrency` loops for `duration` to the same receiver: HookLog's sender (its own SwiftNIO HTTP/1 client,
/// signing each request, resolving and checking the address, watching the deadline, as every attempt does) and
/// AsyncHTTPClient, which the sender used before. Beside wrk and the burst they say how much of a delivery's cost is
/// the client stack and how much is the log and the engine around it.
struct ClientStacks {
    let concurrency: Int
    let duration: Duration

    private static let body = Array(
        (#"{"id": "evt_2Vh8wQkz7yQx3mLr9TbN1c", "type": "message.received", "workspace_id": "ws_8KfZr2LqP0sVn4Yd", "#
            + #""occurred_at": "2026-11-26T01:00:00.000Z", "#
            + #""data": {"conversation": {"id": "c_1"}, "message": {"text": "Hello from the benchmark"}}}"#).utf8)
    private static let secret = "whsec_" + Base64.encode(Array(repeating: 7, count: 24))

    /// HookLog's `HTTPSender` to `url`: successful attempts per second.
    func hookLogSender(url: String) async throws -> Double {
        let sender = HTTPSender(clock: WallClock())
        let request = try WebhookRequest(url: url, messageID: "evt_2Vh8wQkz7yQx3mLr9TbN1c", body: Self.body, secret: Self.secret)
        let rate = await requestsPerSecond {
            guard case .status(let status) = await sender.send(request).outcome else { return false }
            return (200..<300).contains(status)
        }
        try await sender.shutdown()
        return rate
    }

    /// AsyncHTTPClient to `url`, with as many connections as loops and the headers HookLog sends: 2xx answers per
    /// second.
    func asyncHTTPClient(url: String) async throws -> Double {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "user-agent", value: "HookLog/1.0")
        request.headers.add(name: "webhook-id", value: "evt_2Vh8wQkz7yQx3mLr9TbN1c")
        request.headers.add(name: "webhook-timestamp", value: "1795654800")
        request.headers.add(name: "webhook-signature", value: "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=")
        request.body = .bytes(ByteBuffer(bytes: Self.body))
        let rate = await requestsPerSecond { [request] in
            guard let response = try? await client.execute(request, timeout: .seconds(5)),
                (try? await response.body.collect(upTo: 1 << 20)) != nil
            else { return false }
            return (200..<300).contains(Int(response.status.code))
        }
        try await client.shutdown()
        return rate
    }

    /// Runs `attempt` in `concurrency` loops until `duration` has passed: the successful ones per second.
    private func requestsPerSecond(_ attempt: @escaping @Sendable () async -> Bool) async -> Double {
        let started = ContinuousClock.now
        let end = started.advanced(by: duration)
        let succeeded = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var count = 0
                    while ContinuousClock.now < end {
                        if await attempt() { count += 1 }
                    }
                    return count
                }
            }
            return await group.reduce(0, +)
        }
        return Double(succeeded) / ((ContinuousClock.now - started) / .seconds(1))
    }
}
