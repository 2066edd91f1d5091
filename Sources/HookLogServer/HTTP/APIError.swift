public import HTTPTypes
import HookLogCore
public import Hummingbird

/// A refused request as the API answers it: a status and `{"error": {"code", "message"}}`.
public struct APIError: Error, HTTPResponseError, Sendable {
    /// The HTTP status.
    public let status: HTTPResponse.Status
    /// The machine-readable reason (`invalid_field`, `not_found`, …).
    public let code: String
    /// What was wrong and how to fix it.
    public let message: String
    /// Extra headers, such as `Retry-After` or `Allow`.
    var headers: HTTPFields = [:]
    /// Where the log's history starts, for a 404 about something that may have been compacted away.
    var historyStartsAt: Timestamp?

    /// A refusal with `status`, `code` and a message for a person.
    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// The refusal of a command by the core's rules, with the status docs/rules.md §4 gives its code.
    init(_ refusal: DecisionError) {
        let status: HTTPResponse.Status = switch refusal.code {
        case .invalidField: .badRequest
        case .planRequired: .forbidden
        case .notFound: .notFound
        case .conflict, .limitReached, .notOwner: .conflict
        case .payloadTooLarge: .contentTooLarge
        case .unknownEventType: .unprocessableContent
        }
        self.init(status, refusal.code.rawValue, refusal.message)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let historyStart = historyStartsAt.map { [("history_starts_at", JSONValue.string($0.rfc3339))] } ?? []
        var response = JSONResponse.make(
            status, .object([("error", .object([("code", .string(code)), ("message", .string(message))] + historyStart))]))
        response.headers.append(contentsOf: headers)
        return response
    }

    static func invalidField(_ message: String) -> APIError { APIError(.badRequest, "invalid_field", message) }
    /// A field sent as another JSON type than it takes: `events[3].type must be a string, not a number`.
    static func invalidField(_ field: String, mustBe expected: String, not found: String) -> APIError {
        invalidField("\(field) must be \(expected), not \(found)")
    }
    static func invalidJSON(_ message: String) -> APIError { APIError(.badRequest, "invalid_json", message) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound, "not_found", message) }
    /// A 404 for an id that may have existed once: with history compacted since `historyStart`, the message says
    /// that it may have expired, and the body says where history starts.
    static func notFound(_ what: String, historyStart: Timestamp?) -> APIError {
        guard let historyStart else { return notFound("no \(what)") }
        var error = notFound(
            "no \(what): it never existed, or it is older than the history this server keeps, which starts at \(historyStart.rfc3339)")
        error.historyStartsAt = historyStart
        return error
    }

    static func forbidden(_ message: String) -> APIError { APIError(.forbidden, "forbidden", message) }

    static var unauthorized: APIError {
        var error = APIError(
            .unauthorized, "unauthorized", "send a valid API key as 'Authorization: Bearer <key>'")
        error.headers[.wwwAuthenticate] = "Bearer"
        return error
    }

    /// A 429 while `maxWriteBacklog` commands already wait for the log's writer (`--max-write-backlog`).
    static func saturated(maxWriteBacklog: Int) -> APIError {
        var error = APIError(
            .tooManyRequests, "rate_limited",
            "the log's write queue is full (\(maxWriteBacklog) commands waiting, --max-write-backlog); retry after the "
                + "time in Retry-After")
        error.headers[.retryAfter] = "1"
        return error
    }

    /// Runs a check of the core's rules, turning its refusal into the API's error.
    static func check<T>(_ body: () throws(DecisionError) -> T) throws(APIError) -> T {
        do {
            return try body()
        } catch {
            throw APIError(error)
        }
    }

    /// A 408 for a request whose body did not arrive in full within `timeout` of its head (`--body-timeout`); the
    /// server closes the connection after it.
    static func requestTimeout(after timeout: Duration) -> APIError {
        var error = APIError(
            .requestTimeout, "request_timeout",
            "the request body did not arrive in full within \(timeout.components.seconds) s of its headers "
                + "(--body-timeout); send the whole body at once")
        error.headers[.connection] = "close"
        return error
    }

    /// `507 insufficient_storage`: the disk of the data directory has no room for what the request would add.
    static func insufficientStorage(_ message: String) -> APIError {
        APIError(HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage"), "insufficient_storage", message)
    }

    static var unavailable: APIError {
        APIError(.serviceUnavailable, "unavailable", "the log is closed: the server is stopping or has failed")
    }
}
