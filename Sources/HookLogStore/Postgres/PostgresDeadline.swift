import PostgresNIO
import Synchronization

/// How long a PostgreSQL log waits for its database before it tells its caller the log is unavailable: a node must
/// say at once that it cannot write or read (503), not hold its callers until TCP gives up on a server that froze or
/// went away, and take work again by itself once the database answers.
///
/// postgres-nio's queries cannot be cancelled, so waiting out the caller's task would not return at the deadline.
/// ``run(on:_:)`` runs the work in a task of its own instead, and at the deadline answers the caller and **closes the
/// connection** the work holds: the work fails at once, the pool makes a new connection, and the server rolls back
/// what was not committed. A transaction cut short this way may still have committed, if its `COMMIT` reached the
/// server: every append checks the head it moves, so such a late commit is found, not repeated (``PostgresAppender``).
struct PostgresDeadline: Sendable {
    /// The longest one commit or one read waits for the database; nil waits as long as it takes (the command line's
    /// reads of a whole log).
    let limit: Duration?

    /// A server's limit: five seconds.
    static let standardLimit: Duration = .seconds(5)
    /// No deadline.
    static let none = PostgresDeadline(limit: nil)

    /// Runs `body` on one of `client`'s connections and returns what it returns; or, once ``limit`` has passed without
    /// it finishing, throws ``StoreError/unavailable(_:)`` and closes that connection.
    func run<T: Sendable>(
        on client: PostgresClient, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        guard let limit else { return try await client.withConnection { try await body($0) } }
        let race = DeadlineRace<T>()
        return try await withCheckedThrowingContinuation { continuation in
            race.begin(continuation)
            let work = Task {
                do {
                    race.finish(.success(try await client.withConnection { connection in
                        race.hold(connection)
                        return try await body(connection)
                    }))
                } catch {
                    race.finish(.failure(error))
                }
            }
            let timer = Task {
                try? await Task.sleep(for: limit)
                guard !Task.isCancelled else { return }
                race.expire(StoreError.unavailable("the log's database did not answer within \(limit)"))
            }
            race.track(work: work, timer: timer)
        }
    }
}

/// The work and the timer of one ``PostgresDeadline/run(on:_:)``: whichever ends first answers the caller, once.
private final class DeadlineRace<T: Sendable>: Sendable {
    private struct Racers {
        var caller: CheckedContinuation<T, any Error>?
        var connection: PostgresConnection?
        var work: Task<Void, Never>?
        var timer: Task<Void, Never>?
    }

    private let racers = Mutex(Racers())

    func begin(_ caller: CheckedContinuation<T, any Error>) {
        racers.withLock { $0.caller = caller }
    }

    /// The connection the work runs on, to close should the deadline pass.
    func hold(_ connection: PostgresConnection) {
        racers.withLock { $0.connection = connection }
    }

    func track(work: Task<Void, Never>, timer: Task<Void, Never>) {
        let answered = racers.withLock { racers in
            (racers.work, racers.timer) = (work, timer)
            return racers.caller == nil
        }
        if answered { timer.cancel() }
    }

    /// The work ended: its outcome answers the caller, unless the deadline did first.
    func finish(_ outcome: Result<T, any Error>) {
        let (caller, timer) = racers.withLock { racers in
            racers.connection = nil
            defer { racers.caller = nil }
            return (racers.caller, racers.timer)
        }
        timer?.cancel()
        caller?.resume(with: outcome)
    }

    /// The deadline passed: the caller is told `error`, and the work's connection is closed under it.
    func expire(_ error: StoreError) {
        let (caller, connection, work) = racers.withLock { racers in
            defer { (racers.caller, racers.connection) = (nil, nil) }
            return (racers.caller, racers.connection, racers.work)
        }
        guard let caller else { return }
        caller.resume(throwing: error)
        connection?.close().whenComplete { _ in }
        work?.cancel()
    }
}
