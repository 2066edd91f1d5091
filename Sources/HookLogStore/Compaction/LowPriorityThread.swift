import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs compaction's long, synchronous work (finding what may go, compressing the archive, fsyncing it, encoding the
/// base snapshot) on a thread of its own, at a low scheduling priority.
///
/// Off Swift's cooperative pool, because that pool has one thread per core and also runs the HTTP handlers and the
/// delivery engine: a compaction holding one of its two threads for a few hundred milliseconds was that long added
/// to the append-to-2xx latency. At a low priority, because compaction can always wait: on Linux the thread's nice
/// value is raised by ``niceIncrement`` (a per-thread attribute there), so while the cores are busy it gets about a
/// tenth of a core's share, and all the idle time there is; elsewhere the thread asks for background quality of
/// service.
enum LowPriorityThread {
    /// How much the thread's nice value is raised: 10 weighs it at about a tenth of a normal thread.
    static let niceIncrement: Int32 = 10

    /// Runs `work` on a new low-priority thread and returns what it returns, or throws what it throws.
    static func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                #if os(Linux)
                // Linux keeps the nice value per thread: `who` 0 is the calling thread, and only it is lowered.
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) + niceIncrement)
                #endif
                // Named from inside: Foundation on Linux names a thread after its quality of service when it starts.
                Thread.current.name = "hooklog-compact"  // Linux keeps 15 characters of a thread name
                continuation.resume(with: Result { try work() })
            }
            thread.qualityOfService = .background
            thread.start()
        }
    }
}
