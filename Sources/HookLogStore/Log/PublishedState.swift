import HookLogCore
import Synchronization

/// The state readers see: the writer's state as of its last durable commit (``HookLogState/readerView()``), kept up
/// to date by the writer after each commit, in the size of what the commit changed.
final class PublishedState: Sendable {
    private let state: Mutex<HookLogState>

    /// Readers' view of `state`, which every record folded into it is durable.
    init(_ state: HookLogState) {
        self.state = Mutex(state.readerView())
    }

    /// Reads the published state under its lock.
    func withState<T>(_ body: (HookLogState) throws -> T) rethrows -> T {
        try state.withLock { try body($0) }
    }

    /// What a batch of `writes` changes, worked out before the writer's state is locked to publish it.
    static func changes(of writes: [PendingWrite]) -> ChangedKeys {
        var changed = ChangedKeys()
        for write in writes { changed.add(write.entry.record, keys: write.keys) }
        return changed
    }

    /// Publishes the whole of `state`, every record folded into it durable: after a writer folded the log again from
    /// what its storage holds.
    func replace(with state: HookLogState) {
        let view = state.readerView()
        self.state.withLock { $0 = view }
    }

    /// Takes the entries `changed` names from `working`, the writer's state after a durable batch, which the caller
    /// holds locked so that nothing the writer goes on changing is shared.
    func publish(_ changed: ChangedKeys, from working: HookLogState) {
        state.withLock { $0.publish(changed, from: working) }
    }
}
