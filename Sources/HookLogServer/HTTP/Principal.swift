import Foundation
import Crypto
import HookLogCore

/// Who a request acts for: the admin (workspaces) or one workspace (everything of its own), as it stood when the
/// request was authenticated.
enum Principal: Sendable {
    case admin
    case workspace(Workspace)
}

/// Workspace API keys: `hk_` and 32 random bytes in base64url, shown once and stored as their SHA-256.
public enum WorkspaceKey {
    /// A new key, its hash and the hint the log keeps to recognise it.
    public static func make() -> (key: String, hash: [UInt8], hint: String) {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<4).flatMap { _ in withUnsafeBytes(of: generator.next(), Array.init) }
        let key = "hk_" + Base64.encode(random).replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return (key, Array(SHA256.hash(data: Array(key.utf8))), String(key.prefix(7)) + "…")
    }
}
