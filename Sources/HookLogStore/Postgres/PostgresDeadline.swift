/// How long a PostgreSQL log waits for its database before it tells its caller the log is unavailable. A pool whose
/// server went away keeps trying to connect for a minute or more before it fails a query; a node must say at once
/// that it cannot write (503), and take writes again by itself once the database answers.
enum PostgresDeadline {
    /// The longest one commit or one query waits for the database.
    static let standard: Duration = .seconds(5)

    /// Runs `body`, or throws ``StoreError/unavailable(_:)`` once `limit` has passed without it finishing (and cancels
    /// it). A transaction cut short this way may still commit: every append checks the head it moves, so such a late
    /// commit is found, not repeated (``PostgresAppender``).
    static func run<T: Sendable>(
        within limit: Duration = standard, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let result = first else {
                throw StoreError.unavailable("the log's database did not answer within \(limit)")
            }
            return result
        }
    }
}
