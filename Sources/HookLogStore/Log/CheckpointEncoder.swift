import Dispatch
import HookLogCore
import Synchronization

/// Encodes checkpoints of the projections away from the store's writer: the writer hands over a copy of the state
/// (a value that shares its storage: each collection the writer changes afterwards is copied once, in the writer),
/// goes on committing, and later writes the finished bytes with one `meta` put in one of its commits.
///
/// At most one checkpoint is in flight, from ``start(_:)`` until the writer takes its bytes with ``takeEncoded()``.
final class CheckpointEncoder: Sendable {
    private enum Progress {
        case idle
        case encoding
        /// Finished; nil when the state could not be encoded, which skips this checkpoint.
        case encoded([UInt8]?)
    }

    private let progress = Mutex(Progress.idle)
    private let queue = DispatchQueue(label: "hooklog-checkpoint-encoder", qos: .utility)
    private let encoding = DispatchGroup()
    private let writerWakeup: DispatchSemaphore

    /// An encoder that signals `writerWakeup` when a checkpoint is ready to be written.
    init(writerWakeup: DispatchSemaphore) {
        self.writerWakeup = writerWakeup
    }

    /// Starts encoding a checkpoint of `state` unless one is in flight; returns whether it started.
    func start(_ state: HookLogState) -> Bool {
        let idle = progress.withLock { progress in
            guard case .idle = progress else { return false }
            progress = .encoding
            return true
        }
        guard idle else { return false }
        queue.async(group: encoding) { [self] in
            let bytes = try? Checkpoint(state: state).encoded()
            progress.withLock { $0 = .encoded(bytes) }
            writerWakeup.signal()
        }
        return true
    }

    /// The bytes of the finished checkpoint, once; nil while none is finished. Taking them ends the checkpoint's
    /// flight, so the writer takes them only to put them in a commit.
    func takeEncoded() -> [UInt8]? {
        progress.withLock { progress in
            guard case .encoded(let bytes) = progress else { return nil }
            progress = .idle
            return bytes
        }
    }

    /// Returns once the checkpoint being encoded, if any, is finished.
    func waitUntilEncoded() {
        encoding.wait()
    }
}
