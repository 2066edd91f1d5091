import HookLogDelivery
import Synchronization

/// A resolver that answers what a test scripts, one answer per call in turn (the last one again once they run out),
/// and counts the calls: a stand-in for a DNS server that answers differently each time (rebinding).
final class ScriptedResolver: EndpointResolver {
    private struct Script {
        var answers: [[IPAddress]]
        var calls = 0
    }

    private let script: Mutex<Script>

    /// A resolver whose `n`th call answers `answers[n]`, each a list of address literals.
    init(_ answers: [String]...) {
        script = Mutex(Script(answers: answers.map { $0.map { IPAddress($0)! } }))
    }

    /// How many times a host was resolved.
    var calls: Int {
        script.withLock { $0.calls }
    }

    func addresses(of host: String) async throws -> [IPAddress] {
        script.withLock { script in
            defer { script.calls += 1 }
            return script.answers[min(script.calls, script.answers.count - 1)]
        }
    }
}

/// Counts what a sender reports through a callback.
final class CallCounter: Sendable {
    private let count = Mutex(0)

    /// How many times ``increment()`` was called.
    var value: Int {
        count.withLock { $0 }
    }

    /// Counts one call.
    func increment() {
        count.withLock { $0 += 1 }
    }
}
