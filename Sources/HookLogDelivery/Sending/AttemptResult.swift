public import HookLogCore

/// What one HTTP attempt came to, measured on the sender's clock: the facts an ``AttemptReport`` records.
public struct AttemptResult: Sendable, Equatable {
    /// When the attempt started (its `webhook-timestamp` is this instant's Unix seconds).
    public var startedAt: Timestamp
    /// From the start to the complete answer, the error, or the deadline.
    public var durationMilliseconds: Int
    /// The status code, 2xx or not, or the error that stood in for one.
    public var outcome: AttemptReport.Outcome
    /// The start of the response body, at most 1 KiB, cut at a character boundary; empty without a complete answer.
    public var responseSnippet: String

    /// An attempt's result.
    public init(
        startedAt: Timestamp, durationMilliseconds: Int, outcome: AttemptReport.Outcome, responseSnippet: String
    ) {
        self.startedAt = startedAt
        self.durationMilliseconds = durationMilliseconds
        self.outcome = outcome
        self.responseSnippet = responseSnippet
    }
}
