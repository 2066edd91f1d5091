import Foundation
import Crypto
import HookLogCore
import Hummingbird

/// Who a request acts for: the admin (workspaces) or one workspace (everything of its own).
enum Principal: Sendable, Equatable {
    case admin
    case workspace(WorkspaceID)

    /// The key a request carries as `Authorization: Bearer <key>`, checked against the admin key's hash and the
    /// workspace `keys`; no key, or one that is unknown or revoked, is 401.
    static func of(_ request: Request, adminKeyHash: [UInt8], keys: [ApiKeyID: ApiKey]) throws(APIError) -> Principal {
        guard let header = request.headers[.authorization], header.count > 7,
            header.prefix(7).lowercased() == "bearer "
        else { throw .unauthorized }
        let hash = Array(SHA256.hash(data: Array(header.dropFirst(7).trimmingCharacters(in: .whitespaces).utf8)))
        if constantTimeEqual(hash, adminKeyHash) { return .admin }
        guard let key = keys.values.first(where: { constantTimeEqual($0.keyHash, hash) }) else {
            throw .unauthorized
        }
        return .workspace(key.workspaceID)
    }

    private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
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
