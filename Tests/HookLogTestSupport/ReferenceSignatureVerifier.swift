import Foundation

/// Runs `Tools/verify-signature.py`, which checks a request with the Standard Webhooks reference library (the
/// Python package `standardwebhooks`), and `Tools/verify-platform-signature.py`, which checks the platform's
/// `X-Webhook-Signature` as its receivers do, so that tests hold HookLog's signatures against implementations not ours.
public enum ReferenceSignatureVerifier {
    /// What the reference library said.
    public enum Verdict: Equatable, Sendable {
        /// The signature matches.
        case accepted
        /// Rejected, with the library's reason.
        case rejected(String)
    }

    /// The verifier could not run, or the library is missing (`Tools/test` installs it).
    public struct Unavailable: Error, CustomStringConvertible {
        /// Why, and how to fix it.
        public let description: String
    }

    private static let tools = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Tools")

    /// Asks the reference library whether `body` with `headers` is signed with `secret`. Its timestamp check
    /// compares `webhook-timestamp` with the real time (5 minutes' tolerance): sign with a real clock.
    public static func verify(secret: String, headers: [(String, String)], body: [UInt8]) throws -> Verdict {
        try run("verify-signature.py", input: [
            "secret": secret,
            "headers": Dictionary(headers, uniquingKeysWith: { first, _ in first }),
            "body": String(decoding: body, as: UTF8.self),
        ])
    }

    /// Asks a receiver written for the platform whether `body` with `headers` carries the `X-Webhook-Signature`
    /// that `signingKey` (the secret's text after `whsec_`, as the dashboard shows it) gives. No time check.
    public static func verifyPlatformSignature(signingKey: String, headers: [(String, String)], body: [UInt8]) throws -> Verdict {
        try run("verify-platform-signature.py", input: [
            "signing_key": signingKey,
            "headers": Dictionary(headers, uniquingKeysWith: { first, _ in first }),
            "body": String(decoding: body, as: UTF8.self),
        ])
    }

    /// Runs the script `name` of `Tools/` with `input` as JSON on its stdin: 0 accepts, 1 rejects with stderr's reason.
    private static func run(_ name: String, input: [String: Any]) throws -> Verdict {
        let script = tools.appendingPathComponent(name)
        let input = try JSONSerialization.data(withJSONObject: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path]
        let stdin = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        process.waitUntilExit()
        switch process.terminationStatus {
        case 0: return .accepted
        case 1: return .rejected(message)
        default: throw Unavailable(description: "\(script.path) exited with \(process.terminationStatus): \(message)")
        }
    }
}
