import Foundation
import HookLogCore
@testable import HookLogStore
import HookLogTestSupport
import Testing

/// A checkpoint's state written piece by piece must be the JSON `JSONEncoder` writes, member for member, so that
/// every build reading format version 4 reads it.
@Suite("A state's JSON written piece by piece")
struct StateJSONWriterTests {
    /// The JSON a writer with `piece` entries per piece makes of `state`, decompressed.
    func json(of state: HookLogState, piece: Int) throws -> [UInt8] {
        let (stream, jsonCount) = try StateJSONWriter(piece: piece).compressed(state)
        return try stream.withUnsafeBytes { try Zlib.decompress($0, count: jsonCount) }
    }

    /// The members of a JSON object, by name.
    func members(_ json: some Collection<UInt8>) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
    }

    @Test("a simulated state: the same members, the same length and the same state back, whatever the piece size",
          arguments: [1, 7, 1_000])
    func simulatedState(piece: Int) async throws {
        let state = try await withTemporaryDirectory { directory in
            let store = try LogStore(directory: directory)
            var simulator = Simulator(Simulation(workspaces: 4, webhooks: 12, events: 400, failureRate: 0.4, seed: 3))
            let summary = try await simulator.run(into: store)
            await store.close()
            return summary.state
        }
        #expect(state.webhooks.count == 12)
        #expect(state.audits.count == 12)
        #expect(!state.errorWindows.isEmpty)
        #expect(!state.queues.isEmpty)

        let expected = try JSONEncoder().encode(state)
        let written = try json(of: state, piece: piece)
        #expect(written.count == expected.count)
        #expect(Set(try members(written).keys) == Set(try members(expected).keys))
        #expect(try JSONDecoder().decode(HookLogState.self, from: Data(written)) == state)
    }

    @Test("an empty state, and one without a queue window, keep every member JSONEncoder writes")
    func emptyStates() throws {
        for state in [HookLogState(), HookLogState(queueWindow: nil)] {
            let expected = try JSONEncoder().encode(state)
            let written = try json(of: state, piece: 2)
            #expect(Set(try members(written).keys) == Set(try members(expected).keys))
            #expect(written.count == expected.count)
            #expect(try JSONDecoder().decode(HookLogState.self, from: Data(written)) == state)
        }
    }
}
