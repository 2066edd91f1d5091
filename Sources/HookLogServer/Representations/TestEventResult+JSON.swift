import HookLogCore

extension TestEventResult {
    /// The API's `TestResult`.
    var json: JSONValue {
        .object([
            ("event_id", .string(eventID.rawValue)), ("succeeded", .bool(succeeded)),
            ("status_code", statusCode.map { .int(Int64($0)) } ?? .null), ("error", error.map { .string($0.rawValue) } ?? .null),
            ("duration_ms", .int(Int64(durationMilliseconds))), ("response_snippet", .string(responseSnippet)),
        ])
    }
}
