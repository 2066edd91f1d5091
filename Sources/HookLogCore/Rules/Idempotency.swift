/// docs/rules.md §4, `POST /v1/events`: "`Idempotency-Key` or a repeated `id` returns the first result".
///
/// Holds the `EventReceived` records that a group of requests may repeat — those the log already holds for the
/// group's event ids and keys, which the store looks up before the group is decided, and those decided earlier in the
/// group — and answers a repeat with them, so that a request sent twice, even twice at once, is appended once. Only
/// what concerns the current group is held, never every id the log has seen.
public struct Idempotency: Sendable {
    /// An event id in the workspace that sent it: ids are the clients' own, unique only within a workspace.
    private struct WorkspaceEvent: Hashable, Sendable {
        var workspaceID: WorkspaceID
        var eventID: EventID
    }

    /// The record that first received each event id.
    private var events: [WorkspaceEvent: LoggedRecord] = [:]
    /// The records received with each key, in order.
    private var requests: [IdempotencyKey: [LoggedRecord]] = [:]

    /// Starts from `received`: `EventReceived` records the log holds, in any order and with repeats.
    public init(received: some Sequence<LoggedRecord>) {
        var seen = Set<UInt64>()
        remember(received.sorted { $0.sequence < $1.sequence }.filter { seen.insert($0.sequence).inserted })
    }

    /// The events among `commands` that could repeat earlier ones, those with a client-supplied id or a key: the log
    /// is asked for their records before the group is decided.
    public static func repeatable(in commands: [Command]) -> [IncomingEvent] {
        commands.compactMap { command in
            guard case .receiveEvent(let event) = command, event.eventID != nil || event.idempotencyKey != nil else { return nil }
            return event
        }
    }

    /// A request whose events carry an idempotency key that an earlier request of the workspace used is answered as
    /// that request was, and appends nothing: the first command's result is every `EventReceived` record carrying the
    /// key, in order, and the other commands' results are empty. Nil when the request repeats no key.
    ///
    /// The events of one request all carry the same key; they never repeat each other.
    public func replay(of commands: [Command]) -> [Result<[LoggedRecord], DecisionError>]? {
        for case .receiveEvent(let event) in commands {
            guard let key = IdempotencyKey(of: event), let original = requests[key] else { continue }
            return [.success(original)] + Array(repeating: .success([]), count: commands.count - 1)
        }
        return nil
    }

    /// The record that received an event with this client-supplied id in the same workspace before, if the command
    /// receives one: its result is that record alone, and it appends nothing.
    public func original(of command: Command) -> LoggedRecord? {
        guard case .receiveEvent(let event) = command, let eventID = event.eventID else { return nil }
        return events[WorkspaceEvent(workspaceID: event.workspaceID, eventID: eventID)]
    }

    /// Notes the `EventReceived` records among `entries`, appended after every record noted so far, so that later
    /// commands and requests of the group repeat them.
    public mutating func remember(_ entries: some Sequence<LoggedRecord>) {
        for entry in entries {
            guard case .eventReceived(let fact) = entry.record.fact else { continue }
            let event = WorkspaceEvent(workspaceID: fact.workspaceID, eventID: fact.eventID)
            if events[event] == nil { events[event] = entry }
            if let key = IdempotencyKey(of: fact) { requests[key, default: []].append(entry) }
        }
    }
}
