import Dispatch
import Foundation

/// SIGINT and SIGTERM, turned into the cancellation of a task.
struct StopSignals {
    private let sources: [any DispatchSourceSignal]

    /// Starts listening; returns once both signals are handled, so that a signal sent after this returns is never
    /// lost. Until then a signal has its default action and ends the process at once. (On Linux libdispatch
    /// installs its own handler at registration; on Darwin the signal must be ignored for the source to see it.)
    static func cancelling(_ task: Task<Void, Never>) async -> StopSignals {
        #if canImport(Darwin)
        for number in [SIGINT, SIGTERM] { signal(number, SIG_IGN) }
        #endif
        let registered = DispatchGroup()
        let sources = [SIGINT, SIGTERM].map { number in
            let source = DispatchSource.makeSignalSource(signal: number)
            source.setEventHandler { task.cancel() }
            registered.enter()
            source.setRegistrationHandler { registered.leave() }
            source.resume()
            return source
        }
        await withCheckedContinuation { continuation in
            registered.notify(queue: .global()) { continuation.resume() }
        }
        return StopSignals(sources: sources)
    }

    /// Stops listening.
    func cancel() {
        for source in sources { source.cancel() }
    }
}
