import Foundation

/// The password a PostgreSQL log signs in with, found as libpq finds it: `PGPASSWORD` when set, else the first line
/// of the password file that matches the location. The file is `PGPASSFILE`, else `~/.pgpass`; each line is
/// `host:port:database:user:password`, any of the first four may be `*`, `\:` and `\\` stand for `:` and `\`, and a
/// line that starts with `#` is a comment. The file must be readable by its owner alone (`chmod 0600`), as libpq
/// requires; where libpq passes over a file readable by others, HookLog refuses to start and says so.
public enum PostgresPasswordFile {
    /// The password for `location`, given the process's `environment`; nil when neither the environment nor the file
    /// has one (the server may ask for none). A `PGPASSFILE` that does not exist, or a password file others may read,
    /// is an error.
    public static func password(
        for location: PostgresLocation, environment: [String: String]
    ) throws(PostgresLocationError) -> String? {
        if let password = environment["PGPASSWORD"] { return password }
        let path: String
        if let named = environment["PGPASSFILE"] {
            guard FileManager.default.fileExists(atPath: named) else {
                throw PostgresLocationError("PGPASSFILE names \(named), which does not exist")
            }
            path = named
        } else {
            guard let home = environment["HOME"], FileManager.default.fileExists(atPath: home + "/.pgpass") else { return nil }
            path = home + "/.pgpass"
        }
        let permissions: Int
        do {
            permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? 0
        } catch {
            throw PostgresLocationError("the password file \(path) cannot be read: \(error.localizedDescription)")
        }
        guard permissions & 0o077 == 0 else {
            throw PostgresLocationError(
                "the password file \(path) may be read by others (mode \(String(permissions, radix: 8))): chmod 0600 it")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PostgresLocationError("the password file \(path) cannot be read")
        }
        return password(for: location, in: String(decoding: data, as: UTF8.self))
    }

    /// The password of the first line of `text` that matches `location`.
    static func password(for location: PostgresLocation, in text: String) -> String? {
        let wanted = [location.host, String(location.port), location.database, location.user]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = self.fields(of: line)
            guard fields.count == 5 else { continue }
            if zip(fields, wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// A line's fields, split at the colons that are not escaped, with `\:` and `\\` undone.
    private static func fields(of line: Substring) -> [String] {
        var fields = [""]
        var escaped = false
        for character in line {
            if escaped {
                fields[fields.count - 1].append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" && fields.count < 5 {
                fields.append("")
            } else {
                fields[fields.count - 1].append(character)
            }
        }
        return fields
    }
}
