import ServiceLifecycle

extension EventLog {
    /// Runs the log as a service of a group: it takes writes until the group shuts down, gracefully or by
    /// cancellation, and then closes (``close()``). First in a group, it is shut down last, once the services that
    /// write to it have finished and recorded their work.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }
}
