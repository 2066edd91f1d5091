import Foundation
import HookLogTestSupport
import Synchronization
import Testing

/// Runs the built `hooklog` executable as a subprocess, as a user at a shell would.
struct HookLogBinary {
    /// What a run printed and how it ended.
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    static func run(_ arguments: String...) throws -> Output {
        try run(arguments)
    }

    /// How long, in real time, a run may last before it is taken for hung: every command the tests run ends within
    /// seconds (a minute on a loaded machine), and a `serve` that should have refused to start would otherwise hold
    /// its test for ever.
    static let timeLimit = 180

    /// Runs `hooklog` with `arguments`, and `environment` added to the test's own. A run still going after
    /// ``timeLimit`` seconds is killed (SIGKILL: the test runner's threads block SIGTERM, and a child inherits that)
    /// and recorded as an issue, so that the test fails instead of waiting for ever.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Output {
        let process = Process()
        process.executableURL = HookLogExecutable.url
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let identifier = process.processIdentifier
        let state = Mutex((finished: false, killed: false))
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(timeLimit)) {
            state.withLock { state in
                guard !state.finished else { return }
                state.killed = true
                kill(identifier, SIGKILL)
            }
        }
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let killed = state.withLock { state in
            state.finished = true
            return state.killed
        }
        if killed {
            Issue.record("hooklog \(arguments.joined(separator: " ")) was still running after \(timeLimit) s: killed")
        }
        return Output(
            status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: err, as: UTF8.self))
    }
}
