/// An attempt failed; `nextAttemptAt` is when it will be retried, nil when it was the last attempt.
public struct AttemptFailed: FactPayload {
    public var deliveryID: DeliveryID
    public var webhookID: WebhookID
    public var number: Int
    public var startedAt: Timestamp
    public var durationMilliseconds: Int
    public var failure: AttemptFailure
    public var responseSnippet: String
    public var nextAttemptAt: Timestamp?

    public init(
        deliveryID: DeliveryID, webhookID: WebhookID, number: Int, startedAt: Timestamp, durationMilliseconds: Int,
        failure: AttemptFailure, responseSnippet: String, nextAttemptAt: Timestamp?
    ) {
        self.deliveryID = deliveryID
        self.webhookID = webhookID
        self.number = number
        self.startedAt = startedAt
        self.durationMilliseconds = durationMilliseconds
        self.failure = failure
        self.responseSnippet = responseSnippet
        self.nextAttemptAt = nextAttemptAt
    }

    public static var tag: FactTag { .attemptFailed }
    public static var name: String { "AttemptFailed" }
    public var fact: Fact { .attemptFailed(self) }

    public var fields: [(String, JSONValue)] {
        [("delivery_id", .id(deliveryID)), ("webhook_id", .id(webhookID)), ("number", .int(Int64(number))),
         ("started_at", .string(startedAt.rfc3339)), ("duration_ms", .int(Int64(durationMilliseconds))),
         ("status_code", failure.statusCode.map { .int(Int64($0)) } ?? .null),
         ("error", failure.error.map { .string($0.rawValue) } ?? .null),
         ("response", .string(responseSnippet)),
         ("next_attempt_at", nextAttemptAt.map { .string($0.rfc3339) } ?? .null)]
    }

    public func indexKeys(in state: HookLogState) -> IndexKeys {
        .delivery(deliveryID, of: webhookID, in: state)
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(deliveryID)
        writer.write(webhookID)
        writer.write(number)
        writer.write(startedAt)
        writer.write(durationMilliseconds)
        writer.write(failure)
        writer.write(responseSnippet)
        writer.write(nextAttemptAt) { $0.write($1) }
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(
            deliveryID: try reader.read(), webhookID: try reader.read(), number: try reader.readInt(),
            startedAt: try reader.read(), durationMilliseconds: try reader.readInt(), failure: try reader.read(),
            responseSnippet: try reader.readString(),
            nextAttemptAt: try reader.readOptional { reader throws(DecodingFailure) in try reader.read() })
    }
}
