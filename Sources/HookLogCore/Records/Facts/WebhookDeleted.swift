/// A webhook was deleted: its queue is discarded, its history stays in the log.
public struct WebhookDeleted: Hashable, Sendable, BinaryCodable {
    public var webhookID: WebhookID

    public init(webhookID: WebhookID) {
        self.webhookID = webhookID
    }

    public func encode(to writer: inout BinaryWriter) { writer.write(webhookID) }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) { self.init(webhookID: try reader.read()) }
}
