import HTTPTypes

/// The most bytes a request body may hold, by route (docs/operations.md, HTTP limits): `POST /v1/events` takes a
/// batch of events, `POST /v1/webhooks/{id}/test` an event whose data may be 256 KiB, and every other route a small
/// JSON object or form. A larger body is refused with 413 `payload_too_large` (``RequestBodyLimit``) before it is
/// read whole.
public struct RequestBodyLimits: Sendable {
    /// `POST /v1/events` (`--max-ingest-body`).
    public var ingest = 4 << 20
    /// `POST /v1/webhooks/{id}/test` (`--max-test-body`).
    public var testEvent = 320 << 10
    /// Every other route (`--max-body`).
    public var standard = 64 << 10

    /// The defaults: 4 MiB, 320 KiB and 64 KiB.
    public init() {}

    /// The limit of `route` (the router's pattern, as `/v1/webhooks/{id}/test`) asked with `method`.
    func limit(method: HTTPRequest.Method, route: String?) -> RequestBodyLimit {
        switch (method, route) {
        case (.post, "/v1/events"): RequestBodyLimit(bytes: ingest, setting: "--max-ingest-body")
        case (.post, "/v1/webhooks/{id}/test"): RequestBodyLimit(bytes: testEvent, setting: "--max-test-body")
        default: RequestBodyLimit(bytes: standard, setting: "--max-body")
        }
    }
}

/// One route's limit on its request body, and the setting that raises it.
struct RequestBodyLimit: Sendable {
    let bytes: Int
    /// The `serve` flag that sets it.
    let setting: String

    /// The refusal of a larger body: 413, naming the limit and its setting.
    var refusal: APIError {
        APIError(
            .contentTooLarge, "payload_too_large",
            "the request body is larger than \(bytes) bytes (\(ByteSize(bytes: UInt64(bytes)))), the most this route "
                + "takes (\(setting))")
    }
}
