import Foundation
import HookLogServer

/// The admin key `hooklog serve` generates when none is given: shown once, on the start that makes it, and kept only
/// as its SHA-256 (hex) in `admin-key.sha256` in the data directory (mode 0600), which later starts use.
///
/// Setting `--admin-key` or `HOOKLOG_ADMIN_KEY` overrides it; deleting the file makes the next start generate and
/// show a new one.
struct AdminKeyFile {
    static let name = "admin-key.sha256"

    /// The file's path in the data directory `directory`.
    let path: String

    init(directory: String) {
        path = (directory as NSString).appendingPathComponent(Self.name)
    }

    /// The hash a previous start stored; nil when there is no file. A file that is not a SHA-256 in hex is an error.
    func storedHash() throws -> [UInt8]? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count == 64, let hash = Self.bytes(hex: text) else {
            throw StartupError("\(path) does not hold an admin key's SHA-256 in hex; delete it to have a new key generated")
        }
        return hash
    }

    /// Generates a key, stores its SHA-256 and returns the key, to be shown once.
    func generate() throws -> String {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<4).flatMap { _ in withUnsafeBytes(of: generator.next(), Array.init) }
        let key = "hkadmin_" + Data(random).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let hex = ServerConfiguration.hash(adminKey: key).map { String(format: "%02x", $0) }.joined()
        let temporary = path + ".new"
        guard FileManager.default.createFile(
            atPath: temporary, contents: Data((hex + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else { throw StartupError("cannot write \(temporary) to keep the generated admin key's hash") }
        guard rename(temporary, path) == 0 else {
            throw StartupError("cannot move \(temporary) to \(path) to keep the generated admin key's hash")
        }
        return key
    }

    private static func bytes(hex: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
