/// A workspace registered an endpoint for some event types.
public struct WebhookCreated: Hashable, Sendable, BinaryCodable {
    public var webhookID: WebhookID
    public var workspaceID: WorkspaceID
    public var url: String
    public var events: [EventType]
    public var secret: String

    public init(webhookID: WebhookID, workspaceID: WorkspaceID, url: String, events: [EventType], secret: String) {
        self.webhookID = webhookID
        self.workspaceID = workspaceID
        self.url = url
        self.events = events
        self.secret = secret
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(webhookID)
        writer.write(workspaceID)
        writer.write(url)
        writer.write(events) { $0.write($1) }
        writer.write(secret)
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(
            webhookID: try reader.read(), workspaceID: try reader.read(), url: try reader.readString(),
            events: try reader.readArray { reader throws(DecodingFailure) in try reader.read() },
            secret: try reader.readString())
    }
}

/// A webhook's URL or event types changed; the fields carry their values after the change.
public struct WebhookUpdated: Hashable, Sendable, BinaryCodable {
    public var webhookID: WebhookID
    public var url: String
    public var events: [EventType]

    public init(webhookID: WebhookID, url: String, events: [EventType]) {
        self.webhookID = webhookID
        self.url = url
        self.events = events
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(webhookID)
        writer.write(url)
        writer.write(events) { $0.write($1) }
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(
            webhookID: try reader.read(), url: try reader.readString(),
            events: try reader.readArray { reader throws(DecodingFailure) in try reader.read() })
    }
}

/// A webhook was deleted: its queue is discarded, its history stays in the log.
public struct WebhookDeleted: Hashable, Sendable, BinaryCodable {
    public var webhookID: WebhookID

    public init(webhookID: WebhookID) {
        self.webhookID = webhookID
    }

    public func encode(to writer: inout BinaryWriter) { writer.write(webhookID) }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) { self.init(webhookID: try reader.read()) }
}

/// A webhook was disabled because its workspace's error budget was exceeded.
public struct WebhookDisabled: Hashable, Sendable, BinaryCodable {
    public var webhookID: WebhookID
    public var workspaceID: WorkspaceID
    /// Why, for a person: the count and the window that were exceeded.
    public var reason: String
    /// The workspace's failed attempts in the window, the one that crossed the limit included.
    public var errorCount: Int

    public init(webhookID: WebhookID, workspaceID: WorkspaceID, reason: String, errorCount: Int) {
        self.webhookID = webhookID
        self.workspaceID = workspaceID
        self.reason = reason
        self.errorCount = errorCount
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(webhookID)
        writer.write(workspaceID)
        writer.write(reason)
        writer.write(errorCount)
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(
            webhookID: try reader.read(), workspaceID: try reader.read(), reason: try reader.readString(),
            errorCount: try reader.readInt())
    }
}

/// The owner re-enabled a disabled webhook; the workspace's error window starts afresh.
public struct WebhookEnabled: Hashable, Sendable, BinaryCodable {
    public var webhookID: WebhookID
    public var workspaceID: WorkspaceID
    /// Whether the deliveries skipped while it was disabled are queued again (a `DeliveriesRecovered` follows).
    public var recover: Bool

    public init(webhookID: WebhookID, workspaceID: WorkspaceID, recover: Bool) {
        self.webhookID = webhookID
        self.workspaceID = workspaceID
        self.recover = recover
    }

    public func encode(to writer: inout BinaryWriter) {
        writer.write(webhookID)
        writer.write(workspaceID)
        writer.write(recover)
    }

    public init(from reader: inout BinaryReader) throws(DecodingFailure) {
        self.init(webhookID: try reader.read(), workspaceID: try reader.read(), recover: try reader.readBool())
    }
}
