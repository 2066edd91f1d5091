#if canImport(Glibc)
import Glibc
#endif
@testable import HookLogStore
import Testing

/// Compaction's long work runs on a thread of its own at a lower priority, never on the caller's thread.
@Suite("The low-priority thread compaction works on")
struct LowPriorityThreadTests {
    /// What a thread's nice value is, read on that thread.
    static func niceValue() -> Int32 {
        #if os(Linux)
        getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        #else
        0
        #endif
    }

    @Test("the work runs on a thread whose nice value is raised, and answers what it returns")
    func runsLowered() async throws {
        let callerNice = Self.niceValue()
        let nice = try await LowPriorityThread.run { Self.niceValue() }
        #if os(Linux)
        #expect(nice == min(callerNice + LowPriorityThread.niceIncrement, 19))
        #endif
        #expect(Self.niceValue() == callerNice, "the caller's own priority is left alone")
    }

    @Test("an error the work throws reaches the caller")
    func passesErrorsOn() async {
        struct Refused: Error {}
        await #expect(throws: Refused.self) { try await LowPriorityThread.run { throw Refused() } }
    }
}
