/// A webhook was disabled because its workspace's error budget was exceeded; every delivery still in its queue is
/// skipped with it (docs/rules.md §2.5), in this one record.
///
/// Records written before skips were part of the disable have no `skippedDeliveries`: one `DeliverySkipped` record
/// per queued delivery follows them instead. Both shapes are read, and fold to the same state.
public struct WebhookDisabled: FactPayload {
    public var webhookID: WebhookID
    public var workspaceID: WorkspaceID
    /// Why, for a person: the count and the window that were exceeded.
    public var reason: String
    /// The workspace's failed attempts in the window, the one that crossed the limit included.
    public var errorCount: Int
    /// How many queued deliveries the disable skipped, the whole queue; nil in a record whose skips follow it as
    /// `DeliverySkipped` records.
    public var skippedDeliveries: Int?

    public init(webhookID: WebhookID, workspaceID: WorkspaceID, reason: String, errorCount: Int, skippedDeliveries: Int?) {
        self.webhookID = webhookID
        self.workspaceID = workspaceID
        self.reason = reason
        self.errorCount = errorCount
        self.skippedDeliveries = skippedDeliveries
    }

    public static var tag: FactTag { .webhookDisabled }
    public static var name: String { "WebhookDisabled" }
    public var fact: Fact { .webhookDisabled(self) }

    public var fields: [(String, JSONValue)] {
        [("webhook_id", .id(webhookID)), ("workspace_id", .id(workspaceID)), ("reason", .string(reason)),
         ("error_count", .int(Int64(errorCount)))]
            + (skippedDeliveries.map { [("skipped_deliveries", .int(Int64($0)))] } ?? [])
    }

    public func indexKeys(in state: HookLogState) -> IndexKeys {
        .queueChange(webhookID, of: workspaceID)
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(webhookID)
        writer.write(workspaceID)
        writer.write(reason)
        writer.write(errorCount)
        writer.write(skippedDeliveries) { $0.write($1) }
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(
            webhookID: try reader.read(), workspaceID: try reader.read(), reason: try reader.readString(),
            errorCount: try reader.readInt(),
            skippedDeliveries: reader.recordFormat < 2
                ? nil : try reader.readOptional { reader throws(DecodingFailure) in try reader.readInt() })
    }
}
