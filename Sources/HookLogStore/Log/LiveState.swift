import HookLogCore

/// What a log's writer owns besides its storage: its working state (durable or not), the id source, and whether it
/// has failed; and how it decides a group commit's requests.
struct LiveState<Log: FoldedLog>: Sendable {
    var state: HookLogState
    /// The durable log, which the queues' windows are refilled from.
    var log: Log
    var ids: IdentifierSource<BufferedSystemRandom>
    var failure: StoreError?
    /// The state right after the last `HistoryCompacted` folded, until the compaction that asked for it takes it.
    var base: HookLogState?
    /// The records that queued a delivery of an earlier event again (redeliveries, recoveries), with that event's
    /// sequence, since the base of the compaction under way: a compaction keeps those events.
    var requeuedEvents: [(sequence: UInt64, event: UInt64)] = []
    /// The partitions whose deliveries' outcomes this writer may record, as its database confirmed for the commit
    /// under way (``PartitionLeases``); nil for every partition, as on a single node.
    var fence: Set<Partition>?

    /// Marks the writer failed by `error` and folds the state again from what is durable, where the log can.
    mutating func fail(_ error: any Error) -> StoreError {
        let failure = StoreError.writerFailed(String(describing: error))
        self.failure = failure
        if let restored = log.durableState(policy: state.policy, queueWindow: state.queueWindow) { state = restored }
        return failure
    }

    /// The log as folded so far: what is durable, then the records of the commit under way.
    func log(with writes: [PendingWrite]) -> Log.Queued {
        log.queued(unwritten: writes.lazy.map(\.entry))
    }

    /// Decides a group commit's `batch` (``decide(_:idempotency:)``), unless the writer has failed; a failure to read
    /// the log fails it.
    mutating func decideUnlessFailed(_ batch: [Request], idempotency: inout Idempotency) throws(StoreError) -> DecidedBatch {
        if let failure { throw failure }
        do {
            return try decide(batch, idempotency: &idempotency)
        } catch {
            throw fail(error)
        }
    }

    /// Decides a group commit's `batch` in order until its events spend a ``CommitBudget``: each request's commands
    /// (``execute(_:at:resuming:budget:idempotency:into:)``) or records (``fold(_:into:)``); records already folded
    /// are only queued for writing. A request that repeats the idempotency key of one still being written waits, as
    /// do those beyond the budget; a request split by the budget is resumed by the next commit. Throws when the log
    /// cannot be read, which fails the writer.
    mutating func decide(_ batch: [Request], idempotency: inout Idempotency) throws -> DecidedBatch {
        var decided = DecidedBatch()
        var budget = CommitBudget()
        // A request that repeats the key of one still being written waits until that one is whole, to be answered
        // as it was rather than taken for the rest of it.
        let keysBeingWritten = Set(batch.filter(\.isResumed).compactMap(\.work.idempotencyKey))
        for var request in batch {
            let repeatsUnfinished = !request.isResumed && request.work.idempotencyKey.map(keysBeingWritten.contains) == true
            guard !budget.isSpent, !repeatsUnfinished else {
                decided.waiting.append(request)
                continue
            }
            switch request.work {
            case .commands(let commands, let now):
                let results = try execute(
                    commands, at: now, resuming: request.isResumed, budget: &budget, idempotency: &idempotency,
                    into: &decided.writes)
                request.answered += results
                guard results.count == commands.count else {
                    request.work = .commands(Array(commands.dropFirst(results.count)), now)
                    decided.resumed.append(request)
                    continue
                }
            case .records(let records):
                let entries = try fold(records, into: &decided.writes)
                Self.answer(&request, with: entries, budget: &budget, idempotency: &idempotency)
            case .folded(let writes):
                decided.writes += writes
                Self.answer(&request, with: writes.map(\.entry), budget: &budget, idempotency: &idempotency)
            }
            decided.finished.append(request)
        }
        return decided
    }

    /// Answers a request of records with the `entries` queued for writing, charged to the commit's `budget` and
    /// remembered for the events that could repeat them.
    private static func answer(
        _ request: inout Request, with entries: [LoggedRecord], budget: inout CommitBudget, idempotency: inout Idempotency
    ) {
        idempotency.remember(entries)
        budget.charge(entries)
        request.answered = [.success(entries)]
    }

    /// Answers the commands of one request in order, until the commit's `budget` is spent: a repeat with the records
    /// it repeats (``Idempotency``), every other command with the records ``Decider`` decides, folded in and queued
    /// for writing, or the reason it was refused. Returns the results of the commands it answered, at least one when
    /// the budget is not spent; the others wait for the next commit, which resumes the request (`resuming`) without
    /// taking its own first part for a repeat. Throws when the log cannot be read.
    mutating func execute(
        _ commands: [Command], at now: Timestamp, resuming: Bool, budget: inout CommitBudget, idempotency: inout Idempotency,
        into writes: inout [PendingWrite]
    ) throws -> [Result<[LoggedRecord], DecisionError>] {
        var results: [Result<[LoggedRecord], DecisionError>] = []
        if !resuming {
            switch idempotency.replay(of: commands) {
            case .answered(let replay): return replay
            case .resumed(let written): results = written.map { .success([$0]) }
            case nil: break
            }
        }
        for command in commands.dropFirst(results.count) {
            guard !budget.isSpent else { break }
            if let original = idempotency.original(of: command) {
                results.append(.success([original]))
                continue
            }
            do {
                try checkFence(command)
                let command = try withoutExpiredEvents(try command.prepared(against: state, reading: log(with: writes)))
                let records = try Decider.decide(command, state: state, now: now, ids: &ids)
                let entries = try fold(records, into: &writes)
                idempotency.remember(entries)
                budget.charge(entries)
                results.append(.success(entries))
            } catch let refusal as DecisionError {
                results.append(.failure(refusal))
            }
        }
        return results
    }

    /// Gives each record the next sequence, notes its index keys, queues its write, and folds it in.
    mutating func fold(_ records: [Record], into writes: inout [PendingWrite]) throws -> [LoggedRecord] {
        try records.map { record in
            let entry = LoggedRecord(sequence: state.lastSequence + 1, record: record)
            let keys = IndexKeys(of: record, in: state)
            writes.append(PendingWrite(entry: entry, bytes: RecordCodec.encode(record), keys: keys))
            try state.evolve(entry, refillingFrom: log(with: writes))
            noteCompaction(of: entry)
            return entry
        }
    }

    /// Keeps what a compaction needs of a record just folded: the state after a cut, the events queued again.
    private mutating func noteCompaction(of entry: LoggedRecord) {
        switch entry.record.fact {
        case .historyCompacted:
            base = state
        case .redeliveryRequested(let fact):
            requeuedEvents.append((entry.sequence, fact.delivery.eventSequence))
        case .deliveriesRecovered(let fact):
            requeuedEvents += fact.deliveries.map { (entry.sequence, $0.eventSequence) }
        default:
            break
        }
    }

    /// Refuses the outcome of a delivery of a partition this writer's node no longer holds (``fence``): the node that
    /// took it over delivers it again.
    private func checkFence(_ command: Command) throws(DecisionError) {
        guard let fence, let workspace = command.deliveringWorkspace(in: state) else { return }
        let partition = Partition(of: workspace)
        guard !fence.contains(partition) else { return }
        throw DecisionError(.notOwner, "this node no longer holds the lease of partition \(partition), which another node delivers now")
    }

    /// Folds `entries`, records another node appended, into the state, and says what they changed for readers.
    mutating func follow(_ entries: [LoggedRecord]) throws -> ChangedKeys {
        var changed = ChangedKeys()
        for entry in entries {
            let keys = IndexKeys(of: entry.record, in: state)
            changed.add(entry.record, keys: keys)
            try state.evolve(entry, refillingFrom: log(with: []))
        }
        return changed
    }

    /// A redelivery or recovery without the deliveries whose events compaction removed: refused when none is left.
    private func withoutExpiredEvents(_ command: Command) throws -> Command {
        switch command {
        case .redeliver(_, _, let eventID, _, let eventSequence):
            guard try log.holdsRecord(at: eventSequence) else {
                throw DecisionError(.notFound, "event \(eventID) is older than the history the log keeps; it cannot be sent again")
            }
        case .recoverDeliveries(let webhookID, let deliveries):
            let kept = try deliveries.filter { try log.holdsRecord(at: $0.eventSequence) }
            if kept.isEmpty && !deliveries.isEmpty {
                throw DecisionError(.notFound, "the events of these deliveries are older than the history the log keeps")
            }
            return .recoverDeliveries(webhookID, kept)
        default:
            break
        }
        return command
    }
}

/// What deciding a group commit's requests came to (``LiveState/decide(_:idempotency:)``).
struct DecidedBatch: Sendable {
    /// The records to write, in sequence order, with their index keys.
    var writes: [PendingWrite] = []
    /// The requests answered whole, to be told once the writes are durable.
    var finished: [Request] = []
    /// The requests not started, for the next commit.
    var waiting: [Request] = []
    /// The requests answered in part, for the next commit to go on with.
    var resumed: [Request] = []
}
