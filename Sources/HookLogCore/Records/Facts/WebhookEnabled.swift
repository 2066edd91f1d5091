/// The owner re-enabled a disabled webhook; the workspace's error window starts afresh. With `recover`, the
/// deliveries skipped while it was disabled are queued again, in their order, in this one record (docs/rules.md §2.6).
///
/// Records of format 1, written before recovery was part of the enable, have no `recoveredDeliveries`: a `DeliveriesRecovered`
/// listing the deliveries follows one with `recover` instead. Both shapes are read, and fold to the same state.
public struct WebhookEnabled: FactPayload {
    public var webhookID: WebhookID
    public var workspaceID: WorkspaceID
    /// Whether the deliveries skipped while it was disabled are queued again.
    public var recover: Bool
    /// How many skipped deliveries the enable queued again (0 without `recover`); nil in a record a
    /// `DeliveriesRecovered` follows when it recovers.
    public var recoveredDeliveries: Int?

    public init(webhookID: WebhookID, workspaceID: WorkspaceID, recover: Bool, recoveredDeliveries: Int?) {
        self.webhookID = webhookID
        self.workspaceID = workspaceID
        self.recover = recover
        self.recoveredDeliveries = recoveredDeliveries
    }

    public static var tag: FactTag { .webhookEnabled }
    public static var name: String { "WebhookEnabled" }
    public var fact: Fact { .webhookEnabled(self) }

    public var fields: [(String, JSONValue)] {
        [("webhook_id", .id(webhookID)), ("workspace_id", .id(workspaceID)), ("recover", .bool(recover))]
            + (recoveredDeliveries.map { [("recovered_deliveries", .int(Int64($0)))] } ?? [])
    }

    public func indexKeys(in state: HookLogState) -> IndexKeys {
        .queueChange(webhookID, of: workspaceID)
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(webhookID)
        writer.write(workspaceID)
        writer.write(recover)
        writer.write(recoveredDeliveries) { $0.write($1) }
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(
            webhookID: try reader.read(), workspaceID: try reader.read(), recover: try reader.readBool(),
            recoveredDeliveries: reader.recordFormat < 2
                ? nil : try reader.readOptional { reader throws(DecodingFailure) in try reader.readInt() })
    }
}
