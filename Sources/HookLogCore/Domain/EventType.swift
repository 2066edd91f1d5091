/// The event types of the platform that a webhook can subscribe to; ``EventCatalogue`` tells each one's label,
/// description and group, and the order they are listed in.
///
/// A record stores an event type as its case's index here, so cases are only ever added at the end.
public enum EventType: String, CaseIterable, Comparable, Codable, Sendable {
    /// A conversation is closed.
    case conversationClosed = "conversation.closed"
    /// A conversation is opened.
    case conversationOpened = "conversation.opened"
    /// A new contact is added.
    case contactCreated = "contact.created"
    /// A contact's fields change.
    case contactUpdated = "contact.updated"
    /// A contact is assigned to another team member.
    case contactAssigneeUpdated = "contact.assignee.updated"
    /// A contact's tags change.
    case contactTagUpdated = "contact.tag.updated"
    /// A new incoming message.
    case messageReceived = "message.received"
    /// A new outgoing message.
    case messageSent = "message.sent"
    /// A new internal comment.
    case commentCreated = "comment.created"
    /// A contact's lifecycle stage changes.
    case contactLifecycleUpdated = "contact.lifecycle.updated"
    /// A call ends.
    case callEnded = "call.ended"

    /// Types sort as ``EventCatalogue`` lists them.
    public static func < (lhs: EventType, rhs: EventType) -> Bool {
        EventCatalogue.position(of: lhs) < EventCatalogue.position(of: rhs)
    }

    /// The catalogue's entry for this type.
    public var entry: EventCatalogue.Entry { EventCatalogue.entries[EventCatalogue.position(of: self)] }

    /// Parses a type name, or explains which names exist.
    public static func parse(_ name: String) throws(DecisionError) -> EventType {
        guard let type = EventType(rawValue: name) else {
            throw DecisionError(.unknownEventType, "'\(name)' is not an event type; expected one of: \(EventCatalogue.names)")
        }
        return type
    }
}
