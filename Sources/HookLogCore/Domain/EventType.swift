/// The nine event types of the platform that a webhook can subscribe to.
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

    public static func < (lhs: EventType, rhs: EventType) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Parses a type name, or explains which names exist.
    public static func parse(_ name: String) throws(DecisionError) -> EventType {
        guard let type = EventType(rawValue: name) else {
            throw DecisionError(
                .unknownEventType,
                "'\(name)' is not an event type; expected one of: \(allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        return type
    }
}
