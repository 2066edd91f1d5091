import HookLogDelivery
import Synchronization

/// A resolver whose one answer, for every host, the test changes between steps: a name whose DNS answers a public
/// address while the URL is checked and a private one later (DNS rebinding).
final class SwitchableResolver: EndpointResolver {
    private let current: Mutex<IPAddress>

    /// A resolver answering `address` until told otherwise.
    init(answering address: IPAddress) {
        current = Mutex(address)
    }

    /// From now on, every host resolves to `address`.
    func answer(_ address: IPAddress) {
        current.withLock { $0 = address }
    }

    func addresses(of host: String) async throws -> [IPAddress] {
        [current.withLock { $0 }]
    }
}
