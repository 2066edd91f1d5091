/// An attempt got a 2xx in time: the delivery succeeded.
public struct AttemptSucceeded: FactPayload {
    public var deliveryID: DeliveryID
    public var webhookID: WebhookID
    /// 1 for the first attempt, up to the policy's maximum.
    public var number: Int
    public var startedAt: Timestamp
    public var durationMilliseconds: Int
    public var statusCode: Int
    /// The start of the response body (at most 1 KiB), for the event log.
    public var responseSnippet: String

    public init(
        deliveryID: DeliveryID, webhookID: WebhookID, number: Int, startedAt: Timestamp, durationMilliseconds: Int,
        statusCode: Int, responseSnippet: String
    ) {
        self.deliveryID = deliveryID
        self.webhookID = webhookID
        self.number = number
        self.startedAt = startedAt
        self.durationMilliseconds = durationMilliseconds
        self.statusCode = statusCode
        self.responseSnippet = responseSnippet
    }

    public static var tag: FactTag { .attemptSucceeded }
    public static var name: String { "AttemptSucceeded" }
    public var fact: Fact { .attemptSucceeded(self) }

    public var fields: [(String, JSONValue)] {
        [("delivery_id", .id(deliveryID)), ("webhook_id", .id(webhookID)), ("number", .int(Int64(number))),
         ("started_at", .string(startedAt.rfc3339)), ("duration_ms", .int(Int64(durationMilliseconds))),
         ("status_code", .int(Int64(statusCode))), ("response", .string(responseSnippet))]
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
        writer.write(statusCode)
        writer.write(responseSnippet)
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(
            deliveryID: try reader.read(), webhookID: try reader.read(), number: try reader.readInt(),
            startedAt: try reader.read(), durationMilliseconds: try reader.readInt(), statusCode: try reader.readInt(),
            responseSnippet: try reader.readString())
    }
}
