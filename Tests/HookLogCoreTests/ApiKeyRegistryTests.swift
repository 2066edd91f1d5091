import Foundation
import HookLogCore
import Testing

/// The live API keys as a projection: found by the SHA-256 of the key in one probe, listed by workspace, and stored
/// in checkpoints as the plain map by id they always were.
@Suite("API key registry")
struct ApiKeyRegistryTests {
    static let hashA = Array(repeating: UInt8(0xA1), count: 32)
    static let hashB = Array(repeating: UInt8(0xB2), count: 32)

    @Test("a key is found by its hash until it is revoked, and a workspace's keys are listed oldest first")
    func lookupAndRevocation() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let first = try issue(Self.hashA, to: workspace, in: &scenario)
        scenario.advance(.seconds(5))
        let second = try issue(Self.hashB, to: workspace, in: &scenario)
        #expect(scenario.state.apiKeys.key(withHash: Self.hashA)?.id == first)
        #expect(scenario.state.apiKeys.key(withHash: Self.hashB)?.id == second)
        #expect(scenario.state.apiKeys.keys(of: workspace).map(\.id) == [first, second])

        try scenario.run(.revokeApiKey(first))
        #expect(scenario.state.apiKeys.key(withHash: Self.hashA) == nil)
        #expect(scenario.state.apiKeys.keys(of: workspace).map(\.id) == [second])
        #expect(scenario.state.apiKeys.count(of: workspace) == 1)
    }

    @Test("a workspace acting on its own keys cannot revoke its last; the admin can")
    func lastKey() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let only = try issue(Self.hashA, to: workspace, in: &scenario)
        #expect(throws: DecisionError.self) { try scenario.run(.revokeApiKey(only, sparingLastKey: true)) }
        try scenario.run(.revokeApiKey(only))
        #expect(scenario.state.apiKeys.count(of: workspace) == 0)
    }

    @Test("issuing beyond the limit of keys per workspace is refused with the limit named")
    func limit() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        _ = try issue(Self.hashA, to: workspace, in: &scenario)
        #expect {
            try scenario.run(.issueApiKey(workspace, keyHash: Self.hashB, hint: "hk_b", limit: 1))
        } throws: { error in
            (error as? DecisionError)?.code == .limitReached && "\(error)".contains("--max-keys-per-workspace 1")
        }
    }

    @Test("a checkpoint keeps the keys as a map by id, and decoding one gives back the lookups")
    func codable() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let id = try issue(Self.hashA, to: workspace, in: &scenario)
        let encoded = try JSONEncoder().encode(scenario.state.apiKeys)
        let plain = try JSONDecoder().decode([ApiKeyID: ApiKey].self, from: encoded)
        #expect(plain == scenario.state.apiKeys.byID)
        let decoded = try JSONDecoder().decode(ApiKeyRegistry.self, from: try JSONEncoder().encode(plain))
        #expect(decoded == scenario.state.apiKeys)
        #expect(decoded.key(withHash: Self.hashA)?.id == id)
        #expect(decoded.keys(of: workspace).map(\.id) == [id])
    }

    private func issue(_ hash: [UInt8], to workspace: WorkspaceID, in scenario: inout Scenario) throws -> ApiKeyID {
        let records = try scenario.run(.issueApiKey(workspace, keyHash: hash, hint: "hk_x"))
        guard case .apiKeyIssued(let issued) = records.first?.fact else { throw ScenarioFailure() }
        return issued.keyID
    }
}
