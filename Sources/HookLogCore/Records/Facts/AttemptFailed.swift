/// An attempt failed; `nextAttemptAt` is when it will be retried, nil when it was the last attempt.
public struct AttemptFailed: Hashable, Sendable, BinaryCodable {
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
