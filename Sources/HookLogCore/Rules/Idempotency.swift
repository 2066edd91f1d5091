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

    /// Whether the group has an event that carries its own id, or a key: only then can a record be repeated, and
    /// only then are the group's records remembered (most groups carry neither, and remembering each of their events
    /// took 4 % of the server's time in a profiled ingest).
    private let groupRepeats: Bool

    /// Starts from `received`, the `EventReceived` records the log holds for the group's `repeatable` events (those
    /// ``repeatable(in:)`` picks), in any order and with repeats.
    public init(received: some Sequence<LoggedRecord>, repeatable: [IncomingEvent]) {
        groupRepeats = !repeatable.isEmpty
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

    /// How a request that repeats an earlier request's idempotency key is answered.
    public enum Replay: Sendable {
        /// The earlier request is in the log whole: its answer, and nothing is appended. The first command's result
        /// is every `EventReceived` record carrying the key, in order, and the other commands' results are empty.
        case answered([Result<[LoggedRecord], DecisionError>])
        /// The earlier request stopped between two of its parts (the process died): the log holds its first
        /// events, whose records these are, one per command in order, and the request's other commands are decided
        /// as new.
        case resumed([LoggedRecord])
    }

    /// A request whose events carry an idempotency key that an earlier request of the workspace used is answered as
    /// that request was, and appends nothing; but when the request's first events are exactly the events the key's
    /// records hold and it has more, it continues a request that stopped between its parts, and only the rest is
    /// appended. Nil when the request repeats no key.
    ///
    /// The events of one request all carry the same key. An event of the request with a client-supplied id that its
    /// workspace sent before is answered with that record, in the earlier request as in this one, so it takes none
    /// of the key's records.
    public func replay(of commands: [Command]) -> Replay? {
        var incoming: [IncomingEvent] = []
        for case .receiveEvent(let event) in commands { incoming.append(event) }
        guard let key = incoming.lazy.compactMap(IdempotencyKey.init(of:)).first, let original = requests[key] else { return nil }
        guard let written = writtenStart(of: incoming, original: original), written.count < commands.count else {
            return .answered([.success(original)] + Array(repeating: .success([]), count: commands.count - 1))
        }
        return .resumed(written)
    }

    /// The records of the first events of `incoming`, one per event, when those events are the ones `original` (the
    /// records of their key) holds, all of them and in order; nil when `original` holds an event the request has not.
    private func writtenStart(of incoming: [IncomingEvent], original: [LoggedRecord]) -> [LoggedRecord]? {
        var answers: [LoggedRecord] = []
        var next = original.startIndex
        for event in incoming where next < original.endIndex {
            if let eventID = event.eventID, let earlier = events[WorkspaceEvent(workspaceID: event.workspaceID, eventID: eventID)],
               earlier.sequence != original[next].sequence {
                answers.append(earlier)
                continue
            }
            guard case .eventReceived(let fact) = original[next].record.fact, Self.fact(fact, receives: event) else { return nil }
            answers.append(original[next])
            next += 1
        }
        return next == original.endIndex ? answers : nil
    }

    /// Whether `fact` records `event`: the same id when the event has one, the same type and data, and the same time
    /// of occurrence when the event gives one.
    private static func fact(_ fact: EventReceived, receives event: IncomingEvent) -> Bool {
        (event.eventID ?? fact.eventID) == fact.eventID && event.type == fact.type && event.data == fact.data
            && (event.occurredAt ?? fact.occurredAt) == fact.occurredAt
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
        guard groupRepeats else { return }
        for entry in entries {
            guard case .eventReceived(let fact) = entry.record.fact else { continue }
            let event = WorkspaceEvent(workspaceID: fact.workspaceID, eventID: fact.eventID)
            if events[event] == nil { events[event] = entry }
            if let key = IdempotencyKey(of: fact) { requests[key, default: []].append(entry) }
        }
    }
}
