import HookLogCore
@testable import HookLogStore
import HookLogTestSupport
import Testing

/// A copy written into a data directory (``DirectoryRestore``) is a log only once it is whole, and never goes into a
/// directory that holds one.
@Suite("Copying a log into a data directory")
struct DirectoryRestoreTests {
    @Test("a copy stopped half way is refused by every open until removed; a directory holding a log is refused and left as it was")
    func refusesAnIncompleteCopy() async throws {
        try await withTemporaryDirectory { directory in
            let store = try LogStore(directory: directory + "/source")
            var simulator = Simulator(Simulation(workspaces: 1, webhooks: 2, events: 50, failureRate: 0.2, seed: 3))
            _ = try await simulator.run(into: store)
            let last = store.withState(\.lastSequence)
            await store.close()
            #expect(throws: LogMigrationError.directoryNotEmpty(last)) { try DirectoryRestore(directory: directory + "/source") }
            let source = try LogReader(directory: directory + "/source")
            #expect(try source.lastSequence() == last, "the refused target opens as before")
            var pages = try DirectoryCopySource(reader: source, policy: .standard)

            let half = try DirectoryRestore(directory: directory + "/half")
            try half.write(try pages.nextPage(limit: 20))
            half.close()
            let refusals: [(String, () throws -> Void)] = [
                ("a reader", { _ = try LogReader(directory: directory + "/half") }),
                ("a store", { _ = try LogStore(directory: directory + "/half") }),
                ("another copy", { _ = try DirectoryRestore(directory: directory + "/half") }),
            ]
            for (opener, open) in refusals {
                #expect("\(opener) refuses it") { try open() } throws: { error in
                    (error as? StoreError)?.description.contains("holds a copy of a log that stopped half way") == true
                }
            }

            var whole = try DirectoryCopySource(reader: source, policy: .standard)
            let copy = try DirectoryRestore(directory: directory + "/whole")
            while case let page = try whole.nextPage(limit: 20), !page.isEmpty { try copy.write(page) }
            try copy.finish(base: whole.base)
            copy.close()
            let copied = try LogReader(directory: directory + "/whole").records(after: 0, limit: .max, workspace: nil)
            #expect(copied == (try source.records(after: 0, limit: .max, workspace: nil)))
        }
    }
}
