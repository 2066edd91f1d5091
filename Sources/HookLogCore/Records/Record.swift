/// One entry of the log: a fact and the time it was recorded.
public struct Record: Hashable, Sendable {
    /// When the fact was recorded (the decision's `now`).
    public var at: Timestamp
    /// What happened.
    public var fact: Fact

    /// A record of `fact` at `at`.
    public init(at: Timestamp, _ fact: Fact) {
        self.at = at
        self.fact = fact
    }
}

/// A record together with its place in the log.
public struct LoggedRecord: Hashable, Sendable {
    /// The record's sequence number: 1 for the first record, gap-free.
    public var sequence: UInt64
    /// The record itself.
    public var record: Record

    /// `record` at `sequence`.
    public init(sequence: UInt64, record: Record) {
        self.sequence = sequence
        self.record = record
    }
}
