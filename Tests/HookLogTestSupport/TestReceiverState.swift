import NIOCore
import Synchronization

/// What a ``TestReceiver`` shares between the test and its connections: the behaviour per path, the requests
/// captured so far, and the open connections (so that stopping can close them, hanging ones included).
final class TestReceiverState: Sendable {
    private struct Contents {
        var behaviours: [String: TestReceiver.Behaviour] = [:]
        var requestCounts: [String: Int] = [:]
        var requests: [TestReceiver.ReceivedRequest] = []
        var connections: [ObjectIdentifier: any Channel] = [:]
        var acceptedConnections = 0
    }

    private let contents = Mutex(Contents())

    func setBehaviour(_ behaviour: TestReceiver.Behaviour, forPath path: String) {
        contents.withLock { $0.behaviours[path] = behaviour }
    }

    /// Records a request and returns how to answer it.
    func record(_ request: TestReceiver.ReceivedRequest) -> TestReceiver.Behaviour {
        contents.withLock { contents in
            contents.requests.append(request)
            let index = contents.requestCounts[request.path, default: 0]
            contents.requestCounts[request.path] = index + 1
            let behaviour = contents.behaviours[request.path] ?? .respond(status: 204)
            return behaviour.resolved(forRequest: index)
        }
    }

    func requests(path: String?) -> [TestReceiver.ReceivedRequest] {
        contents.withLock { contents in
            contents.requests.filter { path == nil || $0.path == path }
        }
    }

    func opened(_ connection: any Channel) {
        contents.withLock { contents in
            contents.connections[ObjectIdentifier(connection)] = connection
            contents.acceptedConnections += 1
        }
    }

    func closed(_ connection: any Channel) {
        contents.withLock { $0.connections[ObjectIdentifier(connection)] = nil }
    }

    var acceptedConnections: Int {
        contents.withLock { $0.acceptedConnections }
    }

    var openConnections: [any Channel] {
        contents.withLock { Array($0.connections.values) }
    }
}
