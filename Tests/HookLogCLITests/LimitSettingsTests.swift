import Foundation
import HookLogTestSupport
import Testing

/// The `serve` settings of the limits for many tenants: each an option with its `HOOKLOG_*` variable, refused with one
/// line naming where a bad value came from.
@Suite("Limit settings of hooklog serve")
struct LimitSettingsTests {
    @Test("serve refuses a limit it cannot use, from the option or its variable, with one clear line", arguments: [
        (["--max-webhooks-per-workspace", "0"], [:], "--max-webhooks-per-workspace '0' is not a valid value"),
        ([], ["HOOKLOG_MAX_WEBHOOKS_PER_WORKSPACE": "many"], "HOOKLOG_MAX_WEBHOOKS_PER_WORKSPACE 'many' is not a valid value"),
        (["--ingest-rate", "0"], [:], "--ingest-rate '0' is not a valid value"),
        ([], ["HOOKLOG_INGEST_RATE": "2000000000"], "HOOKLOG_INGEST_RATE '2000000000' is not a valid value"),
        (["--body-timeout", "0"], [:], "--body-timeout '0' is not a valid value"),
        ([], ["HOOKLOG_BODY_TIMEOUT": "soon"], "HOOKLOG_BODY_TIMEOUT 'soon' is not a valid value"),
    ] as [([String], [String: String], String)])
    func refusesABadLimit(arguments: [String], environment: [String: String], message: String) async throws {
        _ = try await refusedStart(arguments, environment: environment, saying: message)
    }

    /// Runs `hooklog serve` with `arguments` and `environment`, expects it to stop at start with `message` on
    /// standard error having created nothing, and returns what it printed there.
    private func refusedStart(_ arguments: [String], environment: [String: String], saying message: String) async throws -> String {
        try await withTemporaryDirectory { directory in
            let data = directory + "/data"
            let refused = try HookLogBinary.run(["serve", "--data", data] + arguments, environment: environment)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains(message), "\(refused.stderr)")
            #expect(!FileManager.default.fileExists(atPath: data), "nothing is created for a refused start")
            return refused.stderr
        }
    }

    @Test("serve refuses a warning threshold not below the error limit, or below 1, with one line naming it", arguments: [
        (["--warn-at", "30"], [:], "--warn-at '30' is not a valid warning threshold"),
        (["--warn-at", "0"], [:], "--warn-at '0' is not a valid warning threshold"),
        (["--error-limit", "5"], ["HOOKLOG_WARN_AT": "5"], "HOOKLOG_WARN_AT '5' is not a valid warning threshold"),
    ] as [([String], [String: String], String)])
    func refusesAWarningThresholdNotBelowTheLimit(arguments: [String], environment: [String: String], message: String) async throws {
        let stderr = try await refusedStart(arguments, environment: environment, saying: message)
        #expect(stderr.split(separator: "\n").count == 1, "one line: \(stderr)")
    }
}
