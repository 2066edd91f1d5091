import Foundation

/// Where a PostgreSQL log lives, as `--store` (or `HOOKLOG_STORE`) names it:
/// `postgres://USER@HOST[:PORT][/DATABASE][?sslmode=MODE&sslrootcert=FILE]`, `postgresql://` alike. The port defaults
/// to 5432, the database to the user's name and `sslmode` to `prefer`, as libpq's do. A password is never part of it:
/// a command line is visible to every user of the machine, so the password comes from `PGPASSWORD` or a password file
/// (``PostgresPasswordFile``).
public struct PostgresLocation: Sendable, Hashable {
    /// How the connection uses TLS: libpq's `sslmode`s, but for `allow` (which tries without TLS first).
    public enum TLSMode: String, Sendable, Hashable, CaseIterable {
        /// Never TLS.
        case disable
        /// TLS when the server offers it, its certificate not verified.
        case prefer
        /// Always TLS, its certificate not verified.
        case require
        /// Always TLS, the certificate verified against the trusted roots, not the host name.
        case verifyCA = "verify-ca"
        /// Always TLS, the certificate verified against the trusted roots and the host name.
        case verifyFull = "verify-full"
    }

    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    public var tls: TLSMode
    /// A PEM file of the roots to verify the server's certificate against (`sslrootcert`); nil: the system's.
    public var rootCertificates: String?

    /// Parses `text`; a location that is not one, or that holds a password, is refused with a sentence saying why.
    public init(parsing text: String) throws(PostgresLocationError) {
        guard let components = URLComponents(string: text),
              let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql"
        else { throw PostgresLocationError("\(Self.redacted(text)) is not a postgres:// URL") }
        guard components.password == nil else {
            throw PostgresLocationError(
                "the store's URL holds a password; give it in PGPASSWORD or a password file (PGPASSFILE, ~/.pgpass) instead")
        }
        guard let user = components.user, !user.isEmpty else {
            throw PostgresLocationError("\(text) names no user: postgres://USER@HOST/DATABASE")
        }
        guard let host = components.host, !host.isEmpty else {
            throw PostgresLocationError("\(text) names no host: postgres://USER@HOST/DATABASE")
        }
        guard components.port.map({ (1...65_535).contains($0) }) ?? true else {
            throw PostgresLocationError("\(text) has a port out of 1 to 65535")
        }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !path.contains("/") else {
            throw PostgresLocationError("\(text) has a path of more than a database name")
        }
        self.user = user
        self.host = host
        port = components.port ?? 5432
        database = path.isEmpty ? user : path
        tls = .prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                    let modes = TLSMode.allCases.map(\.rawValue).joined(separator: ", ")
                    throw PostgresLocationError("sslmode=\(item.value ?? "") is not one of \(modes)")
                }
                tls = mode
            case "sslrootcert":
                guard let file = item.value, !file.isEmpty else { throw PostgresLocationError("sslrootcert names no file") }
                rootCertificates = file
            default:
                throw PostgresLocationError("the store's URL has the parameter \(item.name), which HookLog does not know (it takes sslmode and sslrootcert)")
            }
        }
    }

    /// The location as a URL without its TLS parameters: `postgres://USER@HOST:PORT/DATABASE`.
    public var address: String {
        "postgres://\(user)@\(host):\(port)/\(database)"
    }

    /// `text` with anything between `//` and `@` hidden, so that an error never repeats a password.
    private static func redacted(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@") else { return text }
        return text[..<scheme.upperBound] + "…" + text[at...]
    }
}

/// A `--store` location that could not be used, in one sentence.
public struct PostgresLocationError: Error, CustomStringConvertible, Equatable {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
