import Foundation
import HookLogCore

/// A snapshot of the projections and the sequence they reflect, kept in `meta` so that start-up folds only the
/// log's tail.
struct Checkpoint: Codable, Sendable {
    var state: HookLogState

    func encoded() throws -> [UInt8] {
        Array(try JSONEncoder().encode(self))
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> Checkpoint {
        try JSONDecoder().decode(Checkpoint.self, from: Data(bytes))
    }

    /// The checkpoint stored in `databases`, if any.
    static func load(from databases: LogDatabases) throws -> Checkpoint? {
        try databases.environment.read { transaction in try load(from: databases, in: transaction) }
    }

    /// The checkpoint stored in `databases`, read in the caller's transaction.
    static func load(from databases: LogDatabases, in transaction: borrowing ReadTransaction) throws -> Checkpoint? {
        try transaction.withValue(LogDatabases.checkpointKey, in: databases.meta) { try decode($0) }
    }

    /// The state the log holds: the checkpoint (when it was taken under `policy`) and the records after it.
    static func restore(from reader: LogReader, policy: DeliveryPolicy) throws -> (state: HookLogState, checkpointSequence: UInt64) {
        try reader.databases.environment.read { transaction in try restore(from: reader, policy: policy, in: transaction) }
    }

    /// ``restore(from:policy:)`` in the caller's read transaction: checkpoint and tail from one snapshot.
    static func restore(
        from reader: LogReader, policy: DeliveryPolicy, in transaction: borrowing ReadTransaction
    ) throws -> (state: HookLogState, checkpointSequence: UInt64) {
        var state = HookLogState(policy: policy)
        if let checkpoint = try load(from: reader.databases, in: transaction), checkpoint.state.policy == policy {
            state = checkpoint.state
        }
        let checkpointSequence = state.lastSequence
        try reader.withQueuedDeliveries(in: transaction) { log in
            try reader.forEachRecord(in: transaction, after: state.lastSequence) { entry in
                try state.evolve(entry, refillingFrom: log)
                return true
            }
        }
        return (state, checkpointSequence)
    }
}

extension LogReader {
    /// The policy of the stored checkpoint (the one the service ran with), if there is a checkpoint.
    public func checkpointPolicy() throws -> DeliveryPolicy? {
        try Checkpoint.load(from: databases)?.state.policy
    }

    /// The state the log holds now: the checkpoint and the records after it.
    public func currentState(policy: DeliveryPolicy) throws -> (state: HookLogState, checkpointSequence: UInt64) {
        try Checkpoint.restore(from: self, policy: policy)
    }
}
