import HookLogCore
import Hummingbird

/// Responses whose body is one `JSONValue`, or JSON text a `JSONWriter` wrote: events and the log's records, which
/// carry an event's `data` exactly as it was sent (`JSONEncoder` cannot write a JSON text as it is), the deliveries an
/// event nests, and errors. Every other answer is a `ResponseEncodable`.
enum JSONResponse {
    /// `value` as compact JSON with `status`.
    static func make(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        make(status, bytes: value.bytes)
    }

    /// The JSON text `bytes` with `status`.
    static func make(_ status: HTTPResponse.Status, bytes: [UInt8]) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A page of a list, `{"data": [...], "next_cursor": ...}`: a page of `items`, and where history starts when the
    /// page's range reaches before it (docs/rules.md §3.7).
    static func page(_ items: [JSONValue], nextCursor: String?, historyStartsAt: Timestamp? = nil) -> Response {
        let start = historyStartsAt.map { [("history_starts_at", JSONValue.string($0.rfc3339))] } ?? []
        return make(.ok, .object([("data", .array(items)), ("next_cursor", nextCursor.map(JSONValue.string) ?? .null)] + start))
    }
}
