import Crypto
import HookLogCore

/// Signs webhook requests the Standard Webhooks way (docs/rules.md, "The request HookLog sends"): `v1,` and the base64
/// of an HMAC-SHA256 over `"{webhook-id}.{webhook-timestamp}.{body}"`, keyed by the bytes the secret encodes.
///
/// With several secrets (a rotation's overlap) the header carries one signature per secret, space-separated, in the
/// order given, the new secret's first: Standard Webhooks' receivers accept a request if any of them matches.
///
/// It also makes the platform's own signature (``platformSignature(body:)``) that requests of the `respondio` format
/// carry in `X-Webhook-Signature`.
public struct WebhookSigner: Sendable {
    /// A secret that is not `whsec_` followed by non-empty base64.
    public struct MalformedSecret: Error, CustomStringConvertible {
        /// What is wrong with the secret (never the secret itself).
        public let description: String
    }

    private static let prefix = "whsec_"
    /// The key bytes each secret encodes, in signing order (kept as bytes: `SymmetricKey` is not `Sendable`).
    private let keys: [[UInt8]]
    /// The key of the platform's signature: the UTF-8 bytes of the last secret's text after `whsec_` (the one a
    /// rotation replaced, while it still signs: the key the receiver already has), as the platform uses its signing
    /// key (not base64-decoded).
    private let platformKey: [UInt8]

    /// A signer for a webhook's `secret`: `whsec_` followed by the base64 of the key bytes.
    public init(secret: String) throws(MalformedSecret) {
        try self.init(secrets: [secret])
    }

    /// A signer with one signature per secret of `secrets` (at least one), in that order.
    public init(secrets: [String]) throws(MalformedSecret) {
        guard !secrets.isEmpty else { throw MalformedSecret(description: "a webhook request needs a secret to be signed with") }
        var keys: [[UInt8]] = []
        for secret in secrets { keys.append(try Self.key(of: secret)) }
        self.keys = keys
        platformKey = Array(Self.signingKey(of: secrets[secrets.count - 1]).utf8)
    }

    /// The signing key a receiver of the platform's format is given for `secret`: its text after `whsec_`.
    public static func signingKey(of secret: String) -> Substring {
        secret.hasPrefix(prefix) ? secret.dropFirst(prefix.count) : Substring(secret)
    }

    /// The key bytes `secret` encodes.
    private static func key(of secret: String) throws(MalformedSecret) -> [UInt8] {
        guard secret.hasPrefix(Self.prefix) else {
            throw MalformedSecret(description: "a webhook secret must start with '\(Self.prefix)'")
        }
        guard let bytes = Base64.decode(String(secret.dropFirst(Self.prefix.count))) else {
            throw MalformedSecret(description: "the part of a webhook secret after '\(Self.prefix)' must be base64")
        }
        guard !bytes.isEmpty else {
            throw MalformedSecret(description: "a webhook secret must hold at least one byte after '\(Self.prefix)'")
        }
        return bytes
    }

    /// The `webhook-signature` header's value for a message: for each secret,
    /// `v1,` + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")), space-separated.
    public func signature(messageID: String, timestamp: Int64, body: [UInt8]) -> String {
        keys.map { key in
            var authenticator = HMAC<SHA256>(key: SymmetricKey(data: key))
            authenticator.update(data: Array("\(messageID).\(timestamp).".utf8))
            authenticator.update(data: body)
            return "v1," + Base64.encode(Array(authenticator.finalize()))
        }.joined(separator: " ")
    }

    /// The `X-Webhook-Signature` header's value for a body of the platform's format: base64(HMAC-SHA256(key, body)),
    /// keyed by the UTF-8 bytes of the last secret's text after `whsec_`. The header holds one signature, so during
    /// a rotation's overlap it stays with the secret being replaced, and moves to the new one when the overlap ends.
    public func platformSignature(body: [UInt8]) -> String {
        Base64.encode(Array(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: platformKey))))
    }
}
