/// A webhook's signing secret was replaced by `secret`. The secret it had until then keeps signing requests beside the
/// new one until `previousSecretEndsAt` (docs/rules.md, "Secret rotation"), so that receivers can switch over; a
/// rotation at that same instant (`?overlap=0`, for a leaked secret) ends the old secret at once.
///
/// A secret the webhook held before the previous one (a second rotation within an overlap) ends with this record.
public struct WebhookSecretRotated: FactPayload {
    public var webhookID: WebhookID
    /// The new secret (`whsec_…`), which signs every request from now on.
    public var secret: String
    /// Until when the secret being replaced still signs requests too.
    public var previousSecretEndsAt: Timestamp

    public init(webhookID: WebhookID, secret: String, previousSecretEndsAt: Timestamp) {
        self.webhookID = webhookID
        self.secret = secret
        self.previousSecretEndsAt = previousSecretEndsAt
    }

    public static var tag: FactTag { .webhookSecretRotated }
    public static var name: String { "WebhookSecretRotated" }
    public var fact: Fact { .webhookSecretRotated(self) }

    /// The JSON view leaves the secret out, as ``WebhookCreated``'s does: `/v1/log` is not where secrets are read.
    public var fields: [(String, JSONValue)] {
        [("webhook_id", .id(webhookID)), ("previous_secret_expires_at", .string(previousSecretEndsAt.rfc3339))]
    }

    public func indexKeys(in state: HookLogState) -> IndexKeys {
        .webhook(webhookID, in: state)
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(webhookID)
        writer.write(secret)
        writer.write(previousSecretEndsAt)
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(webhookID: try reader.read(), secret: try reader.readString(), previousSecretEndsAt: try reader.read())
    }
}
