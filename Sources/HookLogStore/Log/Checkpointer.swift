import Dispatch
import HookLogCore
import Synchronization

/// Takes checkpoints of the projections (docs/rules.md §3.6) away from the store's writer: when enough records came
/// since the last one, the writer hands over a copy of its state (a value that shares its storage: each collection
/// the writer changes afterwards is copied once, in the writer), goes on committing, and later writes the finished
/// bytes with one `meta` put in one of its commits.
///
/// At most one checkpoint is in flight, from ``startIfDue(_:)`` until the writer takes its bytes with
/// ``takeEncoded()``.
final class Checkpointer: Sendable {
    private enum Progress {
        case idle
        case encoding
        /// Finished; nil when the state could not be encoded, which skips this checkpoint.
        case encoded([UInt8]?)
    }

    private struct Status {
        var progress = Progress.idle
        /// The sequence of the last checkpoint taken, written or in flight.
        var sequence: UInt64
    }

    private let status: Mutex<Status>
    private let interval: UInt64
    private let queue = DispatchQueue(label: "hooklog-checkpointer", qos: .utility)
    private let encoding = DispatchGroup()
    private let writerWakeup: DispatchSemaphore

    /// A checkpointer that takes one every `interval` records after the one at `lastCheckpoint`, and signals
    /// `writerWakeup` when one is ready to be written.
    init(interval: UInt64, lastCheckpoint: UInt64, writerWakeup: DispatchSemaphore) {
        self.interval = interval
        status = Mutex(Status(sequence: lastCheckpoint))
        self.writerWakeup = writerWakeup
    }

    /// Starts encoding a checkpoint of `state`, every record of which is durable, when `interval` records came
    /// since the last one and none is in flight.
    func startIfDue(_ state: HookLogState) {
        let due = status.withLock { status in
            guard case .idle = status.progress, state.lastSequence - status.sequence >= interval else { return false }
            status.progress = .encoding
            status.sequence = state.lastSequence
            return true
        }
        guard due else { return }
        queue.async(group: encoding) { [self] in
            let bytes = try? Checkpoint(state: state).encoded()
            status.withLock { $0.progress = .encoded(bytes) }
            writerWakeup.signal()
        }
    }

    /// The bytes of the finished checkpoint, once; nil while none is finished. Taking them ends the checkpoint's
    /// flight, so the writer takes them only to put them in a commit.
    func takeEncoded() -> [UInt8]? {
        status.withLock { status in
            guard case .encoded(let bytes) = status.progress else { return nil }
            status.progress = .idle
            return bytes
        }
    }

    /// The checkpoint to write as the store closes with `state`: encoded now when records came after the last
    /// checkpoint taken, or else the one in flight, once finished; nil when there is nothing new to write.
    func finalCheckpoint(of state: HookLogState) -> [UInt8]? {
        encoding.wait()
        let encoded = takeEncoded()
        let newer = status.withLock { status in
            guard state.lastSequence != status.sequence else { return false }
            status.sequence = state.lastSequence
            return true
        }
        return newer ? try? Checkpoint(state: state).encoded() : encoded
    }
}
