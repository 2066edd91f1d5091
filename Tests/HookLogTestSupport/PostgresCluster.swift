import Foundation

/// A throwaway PostgreSQL cluster for tests, from Debian's `postgresql` package: `initdb` makes it in a new temporary
/// directory and `pg_ctl` starts it on a free loopback port, with one user who signs in with a password
/// (SCRAM-SHA-256) and owns one database. Debian keeps both programs in `/usr/lib/postgresql/<version>/bin`, not on
/// `PATH`; PostgreSQL refuses to run as root, so when the tests do, the cluster is the `postgres` user's.
///
/// The tests' clusters run with `fsync` off: the tests kill HookLog nodes, never the database's machine (``halt()``
/// stops the server, whose data stays in the page cache). A benchmark's runs with it on (`durable`).
public struct PostgresCluster: Sendable {
    /// The port the server listens on, on 127.0.0.1.
    public let port: Int
    /// The user the tests sign in as, and the owner of ``database``.
    public let user = "hooklog"
    /// ``user``'s password.
    public let password: String
    /// The database made for the tests.
    public let database = "hooklog"
    /// The cluster's directory: its data, its socket and its server log.
    public let directory: String
    /// Whether the server syncs its commits to the disk.
    public let durable: Bool

    /// Runs `body` with a new cluster, and always stops it and removes its directory afterwards, whether `body` returns
    /// or throws.
    public static func with<T>(_ body: (PostgresCluster) async throws -> T) async throws -> T {
        let cluster = try start()
        defer { cluster.stop() }
        return try await body(cluster)
    }

    /// Makes and starts a cluster; tried again on another port if the one picked was taken meanwhile. It skips
    /// `fsync` (its data is thrown away) unless `durable`, as a benchmark's must be to be compared with LMDB's.
    public static func start(durable: Bool = false) throws -> PostgresCluster {
        let bin = try binDirectory()
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("hooklog-postgres-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        let owner = getuid() == 0 ? "postgres" : nil
        let password = UUID().uuidString
        let passwordFile = directory + "/password"
        do {
            try Data(password.utf8).write(to: URL(fileURLWithPath: passwordFile))
            if let owner { try run("/bin/chown", "-R", owner, directory, as: nil) }
            try run(
                bin + "/initdb", "--pgdata=" + directory + "/data", "--username=hooklog", "--pwfile=" + passwordFile,
                "--auth=scram-sha-256", "--encoding=UTF8", "--no-sync", as: owner)
            var lastFailure: (any Error)?
            for _ in 0..<3 {
                let port = RefusingPort()
                port.close()
                let cluster = PostgresCluster(port: port.port, password: password, directory: directory, durable: durable)
                do {
                    try cluster.startServer(bin: bin, as: owner)
                    try run(
                        bin + "/createdb", "--host=127.0.0.1", "--port=\(cluster.port)", "--username=hooklog", "hooklog",
                        as: nil, environment: ["PGPASSWORD": password])
                    return cluster
                } catch {
                    lastFailure = error
                }
            }
            throw lastFailure ?? PostgresClusterFailure(description: "the server did not start")
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    /// The cluster's database as `--store` names it, without TLS (the test server has none).
    public var url: String {
        "postgres://\(user)@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// Stops the server at once (`pg_ctl stop -m immediate`) and removes the cluster's directory.
    public func stop() {
        try? halt()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Stops the server at once, as a crash of the database's machine would, keeping its data for ``restart()``.
    public func halt() throws {
        try Self.run(
            try Self.binDirectory() + "/pg_ctl", "stop", "--pgdata=" + directory + "/data", "--mode=immediate", "--wait",
            as: getuid() == 0 ? "postgres" : nil)
    }

    /// Starts the server ``halt()`` stopped again, on the same port.
    public func restart() throws {
        try startServer(bin: try Self.binDirectory(), as: getuid() == 0 ? "postgres" : nil)
    }

    /// Stops every process of the server where it stands (`SIGSTOP`), closing nothing: a database that froze, whose
    /// connections stay open and never answer. ``thaw()`` lets it go on.
    public func freeze() throws {
        try signalServer(SIGSTOP)
    }

    /// Lets a server ``freeze()`` stopped go on (`SIGCONT`).
    public func thaw() throws {
        try signalServer(SIGCONT)
    }

    /// Sends `signal` to the server's postmaster, whose pid heads `postmaster.pid`, and to each of its children.
    private func signalServer(_ signal: Int32) throws {
        let file = (try? String(contentsOfFile: directory + "/data/postmaster.pid", encoding: .utf8)) ?? ""
        guard let postmaster = file.split(separator: "\n").first.flatMap({ pid_t($0) }) else {
            throw PostgresClusterFailure(description: "the server is not running: no pid in postmaster.pid")
        }
        let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        let children = processes.compactMap(pid_t.init).filter { ProcessStat(of: $0)?.parent == postmaster }
        for pid in [postmaster] + children { kill(pid, signal) }
    }

    private func startServer(bin: String, as owner: String?) throws {
        let options = "-c listen_addresses=127.0.0.1 -p \(port) -k \(directory)" + (durable ? "" : " -c fsync=off")
        try Self.run(
            bin + "/pg_ctl", "start", "--pgdata=" + directory + "/data", "--log=" + directory + "/server.log",
            "--options=" + options, "--wait", "--timeout=30", as: owner)
    }

    /// Runs `sql` in the cluster's database with `psql`, signed in as ``user``: for a test that changes what the log's
    /// tables hold behind HookLog's back.
    public func execute(_ sql: String) throws {
        try Self.run(
            try Self.binDirectory() + "/psql", "--host=127.0.0.1", "--port=\(port)", "--username=\(user)",
            "--dbname=\(database)", "--set=ON_ERROR_STOP=1", "--command=\(sql)", as: nil, environment: ["PGPASSWORD": password])
    }

    /// The newest `/usr/lib/postgresql/<version>/bin` that has `initdb` and `pg_ctl`.
    private static func binDirectory() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let found = versions.compactMap(Int.init).sorted(by: >).map { "\(root)/\($0)/bin" }.first { bin in
            FileManager.default.isExecutableFile(atPath: bin + "/initdb")
                && FileManager.default.isExecutableFile(atPath: bin + "/pg_ctl")
        }
        guard let found else {
            throw PostgresClusterFailure(description: "no \(root)/<version>/bin/initdb: install Debian's postgresql")
        }
        return found
    }

    /// Runs a program, as `user` when given (through `runuser`), and waits for it; a non-zero exit throws with what it
    /// printed. It is spawned and waited for directly (`posix_spawn`, `waitpid`), its output going to a file:
    /// Foundation's `Process` never saw `pg_ctl start` end, since the server it leaves running keeps what `pg_ctl`
    /// inherited.
    private static func run(
        _ program: String, _ arguments: String..., as user: String?, environment: [String: String] = [:]
    ) throws {
        let command = (user.map { ["/sbin/runuser", "-u", $0, "--"] } ?? []) + [program] + arguments
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("pg-\(UUID().uuidString).out").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0)=\($1)" }
        let status = try spawnAndWait(command, environment: variables, output: outputPath)
        guard status == 0 else {
            let printed = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            throw PostgresClusterFailure(description: "\(command.joined(separator: " ")) exited with \(status): \(printed)")
        }
    }

    /// Spawns `command` with `environment`, its standard input from /dev/null and its output and errors to `output`,
    /// and waits for its exit status.
    private static func spawnAndWait(_ command: [String], environment: [String], output: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw PostgresClusterFailure(description: "\(command[0]) could not be started: errno \(spawned)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw PostgresClusterFailure(description: "waitpid: errno \(errno)") }
        }
        let exited = status & 0x7f == 0
        return exited ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}

/// Making, starting or stopping a ``PostgresCluster`` failed.
public struct PostgresClusterFailure: Error, CustomStringConvertible {
    /// What failed, with what the program printed.
    public let description: String
}
