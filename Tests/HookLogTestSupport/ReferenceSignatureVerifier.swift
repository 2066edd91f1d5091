import Foundation

/// Runs `Tools/verify-signature.py`, which checks a request with the Standard Webhooks reference library (the
/// Python package `standardwebhooks`), so that tests hold HookLog's signatures against an implementation not ours.
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

    private static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Tools/verify-signature.py")

    /// Asks the reference library whether `body` with `headers` is signed with `secret`. Its timestamp check
    /// compares `webhook-timestamp` with the real time (5 minutes' tolerance): sign with a real clock.
    public static func verify(secret: String, headers: [(String, String)], body: [UInt8]) throws -> Verdict {
        let input = try JSONSerialization.data(withJSONObject: [
            "secret": secret,
            "headers": Dictionary(headers, uniquingKeysWith: { first, _ in first }),
            "body": String(decoding: body, as: UTF8.self),
        ])
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
