import HookLogCore
import Synchronization

/// An attempt under way: the task making its exchange, and which came first, its answer or one of its deadlines.
/// Whichever settles it first wins; a deadline cancels the exchange, which closes its connection.
final class AttemptUnderWay: Sendable {
    /// How the exchange ended: an answer read to its end, or an error.
    struct Answer: Sendable {
        let outcome: AttemptReport.Outcome
        let snippet: String
    }

    private enum Phase {
        case running(Task<Answer, Never>)
        case answered
        case expired
    }

    private let phase: Mutex<Phase>

    /// An attempt whose exchange runs in `exchange`.
    init(_ exchange: Task<Answer, Never>) {
        phase = Mutex(.running(exchange))
    }

    /// Whether the answer or a deadline has settled it.
    var isSettled: Bool {
        phase.withLock { phase in
            if case .running = phase { return false }
            return true
        }
    }

    /// A deadline passed: unless the answer came first, the attempt is a timeout and its exchange is cancelled.
    func expire() {
        let exchange: Task<Answer, Never>? = phase.withLock { phase in
            guard case .running(let exchange) = phase else { return nil }
            phase = .expired
            return exchange
        }
        exchange?.cancel()
    }

    /// The exchange ended: true if it ended in time, false if a deadline had passed first.
    func settle() -> Bool {
        phase.withLock { phase in
            switch phase {
            case .running:
                phase = .answered
                return true
            case .answered:
                return true
            case .expired:
                return false
            }
        }
    }
}
