import Foundation
import HookLogCore
@testable import HookLogStore
import HookLogTestSupport
import Testing

@Suite("The hooklog command line")
struct CLITests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hooklog-cli-\(UUID().uuidString)").path
    var data: String { directory + "/data" }

    func simulate() throws -> HookLogBinary.Output {
        try HookLogBinary.run(
            "simulate", "--data", data, "--workspaces", "3", "--webhooks", "6", "--events", "800",
            "--failure-rate", "0.3", "--seed", "9")
    }

    @Test("simulate writes a history that log, history, audit, rebuild and backup all read")
    func inspectSimulatedLog() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let simulated = try simulate()
        #expect(simulated.status == 0, "\(simulated.stderr)")
        #expect(simulated.stdout.contains("records/s, durable"))
        #expect(simulated.stdout.contains("WebhookDisabled"))
        #expect(try FileManager.default.attributesOfItem(atPath: data)[.posixPermissions] as? Int == 0o700)

        let log = try HookLogBinary.run("log", "--data", data, "--limit", "5")
        #expect(log.status == 0)
        #expect(log.lines.count == 5)
        #expect(log.lines[0].hasPrefix("1 2026-01-01T00:00:00.000Z WorkspaceCreated workspace_id=ws_"))

        let fromEnvironment = try HookLogBinary.run(["log", "--limit", "5"], environment: ["HOOKLOG_DATA": data])
        #expect(fromEnvironment.stdout == log.stdout, "HOOKLOG_DATA names the data directory when --data is not given")

        let json = try HookLogBinary.run("--data", data, "log", "--after", "3", "--limit", "2", "--json")
        #expect(json.status == 0)
        let objects = try json.lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(objects.compactMap { $0?["sequence"] as? Int } == [4, 5])

        let everything = try HookLogBinary.run("log", "--data", data, "--limit", "100000")
        let webhook = try #require(everything.lines.first { $0.contains(" WebhookDisabled ") }?
            .split(separator: " ").first { $0.hasPrefix("webhook_id=") }?.dropFirst("webhook_id=".count))
        let history = try HookLogBinary.run("history", "--data", data, "--webhook", String(webhook))
        #expect(history.status == 0)
        #expect(history.lines.contains { $0.hasPrefix("dlv_") && $0.contains(" succeeded ") })
        #expect(history.lines.contains { $0.hasPrefix("dlv_") && $0.contains(" skipped ") })
        #expect(history.lines.contains { $0.hasPrefix("  attempt 2 ") && $0.contains("retry_at=") })

        let audit = try HookLogBinary.run("audit", "--data", data, "--webhook", String(webhook))
        #expect(audit.status == 0)
        #expect(audit.stdout.contains("failures by endpoint:\n  \(webhook) "))
        #expect(audit.stdout.contains("by class: "))
        #expect(audit.stdout.contains("disabled: "))
        #expect(audit.stdout.contains("of 30"))

        let rebuild = try HookLogBinary.run("--data", data, "rebuild", "--verify")
        #expect(rebuild.status == 0, "\(rebuild.stdout)\(rebuild.stderr)")
        #expect(rebuild.stdout.contains("records/s"))
        #expect(rebuild.stdout.contains("verified: replayed from the first record, projections equal the checkpoint"))

        let again = try simulate()
        #expect(again.status != 0, "a simulated history never goes on top of another log")
        #expect(again.stderr.contains("simulate writes into an empty data directory, and \(data) holds"), "\(again.stderr)")
        #expect(try HookLogBinary.run("log", "--data", data, "--limit", "100000").stdout == everything.stdout)

        let backup = try HookLogBinary.run("backup", "--data", data, directory + "/backup")
        #expect(backup.status == 0, "\(backup.stderr)")
        let verifyBackup = try HookLogBinary.run("--data", directory + "/backup", "rebuild", "--verify")
        #expect(verifyBackup.status == 0, "\(verifyBackup.stdout)\(verifyBackup.stderr)")
        #expect(verifyBackup.stdout.split(separator: "\n").first?.split(separator: " ")[1]
            == rebuild.stdout.split(separator: "\n").first?.split(separator: " ")[1])
    }

    @Test("every command on a missing data directory fails with one clear line")
    func missingDataDirectory() throws {
        let missing = directory + "/nowhere"
        for arguments in [["log"], ["history", "--webhook", "wh_x"], ["audit"], ["rebuild", "--verify"], ["backup", directory + "/b"]] {
            let output = try HookLogBinary.run([arguments[0], "--data", missing] + arguments.dropFirst())
            #expect(output.status != 0, "\(arguments)")
            #expect(output.stderr.split(separator: "\n").count == 1, "\(arguments): \(output.stderr)")
            #expect(output.stderr.contains("does not exist"), "\(arguments): \(output.stderr)")
        }
    }

    @Test("rebuild --verify exits 1 and names the difference when the stored state disagrees with the log")
    func verifyDetectsDifference() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try simulate().status == 0)
        let databases = try LogDatabases(directory: data, readOnly: false, mapSize: 1 << 20)
        var forged = try #require(try Checkpoint.load(from: databases)).state
        forged.evolve(LoggedRecord(sequence: forged.lastSequence + 1, record: Record(
            at: Timestamp(seconds: 0),
            .workspaceCreated(WorkspaceCreated(workspaceID: WorkspaceID("ws_forged"), name: "Forged", plan: .starter, ownerEmail: "x@y.example")))))
        try databases.environment.write { transaction in
            try databases.checkpoint.write(try Checkpoint(state: forged).encoded(), in: transaction)
        }
        let verify = try HookLogBinary.run("rebuild", "--data", data, "--verify")
        #expect(verify.status == 1, "\(verify.stderr)")
        #expect(verify.stdout.contains("DIFFERENCE projections: workspaces: 1 differ (first: ws_forged)"), "\(verify.stdout)")
    }

    @Test("workspace create, workspace list and key issue manage workspaces offline, and refuse what they cannot do")
    func workspacesAndKeys() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let created = try HookLogBinary.run(
            "workspace", "create", "--data", data, "--name", "Acme", "--plan", "advanced", "--owner-email", "ops@acme.example")
        #expect(created.status == 0, "\(created.stderr)")
        let workspace = try #require(created.stdout.split(separator: " ").dropFirst().first.map(String.init))
        #expect(workspace.hasPrefix("ws_"))
        #expect(created.stdout.contains("API key (shown once): hk_"))

        let listed = try HookLogBinary.run("workspace", "list", "--data", data)
        #expect(listed.lines == ["\(workspace)  advanced  ops@acme.example  0 webhooks  Acme"])

        let issued = try HookLogBinary.run("key", "issue", "--data", data, "--workspace", workspace)
        #expect(issued.status == 0, "\(issued.stderr)")
        #expect(issued.stdout.contains("for \(workspace) (shown once): hk_"))
        let state = try LogReader(directory: data).currentState(policy: .standard).state
        #expect(state.apiKeys.values.filter { $0.workspaceID.rawValue == workspace }.count == 2)

        let unknown = try HookLogBinary.run("key", "issue", "--data", data, "--workspace", "ws_nobody")
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no workspace ws_nobody"), "\(unknown.stderr)")
        let badPlan = try HookLogBinary.run(
            "workspace", "create", "--data", data, "--name", "B", "--plan", "platinum", "--owner-email", "b@b.example")
        #expect(badPlan.status != 0)
        #expect(badPlan.stderr.contains("--plan 'platinum' is not one of starter, growth, advanced, enterprise"), "\(badPlan.stderr)")
        #expect(try HookLogBinary.run("workspace", "list", "--data", data).lines.count == 1, "nothing was added by the refusals")
    }

    @Test("serve runs until SIGTERM, then closes the log cleanly")
    func serveStopsOnSIGTERM() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try simulate().status == 0)
        // The test runner's threads block SIGTERM and a child inherits that mask, which no shell or service manager
        // would do: start serve through a Python exec that clears the mask, as a real parent process would have it.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c", "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execv(sys.argv[1], sys.argv[1:])",
            HookLogExecutable.url.path, "serve", "--data", data, "--port", "0", "--admin-key", "cli-test-admin-key-0123456789abcdefghij",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var printed = Data()
        while !String(decoding: printed, as: UTF8.self).contains("stops\n") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            printed.append(chunk)
        }
        #expect(String(decoding: printed, as: UTF8.self).contains("listening on http://127.0.0.1:"), "\(String(decoding: printed, as: UTF8.self))")
        process.terminate()
        let deadline = Date().addingTimeInterval(15)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(process.terminationReason == .exit, "serve must stop on SIGTERM")
        #expect(process.terminationStatus == 0)
        let verify = try HookLogBinary.run("rebuild", "--data", data, "--verify")
        #expect(verify.status == 0, "\(verify.stdout)")
    }

    @Test("serve refuses a bad setting from the environment with one clear line")
    func serveRefusesBadSetting() throws {
        let process = Process()
        process.executableURL = HookLogExecutable.url
        process.arguments = ["serve", "--data", directory + "/data"]
        process.environment = ["HOOKLOG_RETRY_DELAYS": "30,soon"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(message.contains("HOOKLOG_RETRY_DELAYS '30,soon' is not a valid value"), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/data"), "nothing is created for a refused start")
    }

    @Test("serve refuses an admin key shorter than 32 characters, from the option or its variable, with one clear line", arguments: [
        (["--admin-key", String(repeating: "k", count: 31)], [:]),
        ([], ["HOOKLOG_ADMIN_KEY": "short-admin-key"]),
    ] as [([String], [String: String])])
    func serveRefusesAShortAdminKey(arguments: [String], environment: [String: String]) throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let refused = try HookLogBinary.run(["serve", "--data", data] + arguments, environment: environment)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("it needs at least 32"), "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: data), "nothing is created for a refused start")
    }

    @Test("serve refuses a --min-free-disk it cannot read, from the option or its variable, with one clear line", arguments: [
        (["--min-free-disk", "1.5GiB"], [:], "--min-free-disk '1.5GiB' is not a valid value"),
        ([], ["HOOKLOG_MIN_FREE_DISK": "512MB"], "HOOKLOG_MIN_FREE_DISK '512MB' is not a valid value"),
    ] as [([String], [String: String], String)])
    func serveRefusesABadReserve(arguments: [String], environment: [String: String], message: String) throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let refused = try HookLogBinary.run(["serve", "--data", data] + arguments, environment: environment)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains(message), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: data), "nothing is created for a refused start")
    }
}
