import HookLogCore
import HookLogDelivery
import Hummingbird

/// How an endpoint answered a test event: the API's `TestResult`.
struct TestEventResult: ResponseEncodable {
    let eventID: EventID
    let statusCode: Int?
    let error: AttemptError?
    let durationMilliseconds: Int
    let responseSnippet: String

    /// Whether the endpoint answered with a success.
    var succeeded: Bool { statusCode.map { DeliveryRules.isSuccess(statusCode: $0) } ?? false }

    private enum CodingKeys: String, CodingKey {
        case succeeded, error
        case eventID = "event_id"
        case statusCode = "status_code"
        case durationMilliseconds = "duration_ms"
        case responseSnippet = "response_snippet"
    }

    func encode(to encoder: any Encoder) throws {
        var fields = encoder.container(keyedBy: CodingKeys.self)
        try fields.encode(eventID.rawValue, forKey: .eventID)
        try fields.encode(succeeded, forKey: .succeeded)
        try fields.encode(statusCode, forKey: .statusCode)
        try fields.encode(error?.rawValue, forKey: .error)
        try fields.encode(durationMilliseconds, forKey: .durationMilliseconds)
        try fields.encode(responseSnippet, forKey: .responseSnippet)
    }
}
