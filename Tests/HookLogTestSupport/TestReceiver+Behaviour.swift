public import HookLogCore

extension TestReceiver {
    /// How the receiver answers the requests to one path.
    public enum Behaviour: Sendable {
        /// Answers with `status`, `body` (sent with a `content-length`) and extra `headers`.
        case respond(status: Int, body: String = "", headers: [(String, String)] = [])
        /// Never answers; the connection stays open until the client closes it.
        case hang
        /// Sends the headers and part of the announced body, then resets the connection (SO_LINGER 0).
        case resetMidBody
        /// Sends the headers and part of the announced body, then goes silent until the client closes.
        case stallMidBody
        /// Closes the connection as soon as the request has arrived, without a byte of answer.
        case closeWithoutAnswer
        /// One behaviour per request, in turn; the last repeats (an empty sequence answers 204).
        case sequence([Behaviour])

        /// The behaviour for the `index`th request (from 0) to a path: a sequence's element, the others themselves.
        func resolved(forRequest index: Int) -> Behaviour {
            guard case .sequence(let behaviours) = self else { return self }
            guard let last = behaviours.last else { return .respond(status: 204) }
            return (index < behaviours.count ? behaviours[index] : last).resolved(forRequest: 0)
        }
    }

    /// A request as the receiver got it.
    public struct ReceivedRequest: Sendable {
        /// `POST`, `GET`, …
        public var method: String
        /// The request target's path, without the query.
        public var path: String
        /// The headers in the order they came, names lowercased.
        public var headers: [(String, String)]
        /// The body's bytes.
        public var body: [UInt8]
        /// When the whole request had arrived, on the real clock.
        public var receivedAt: Timestamp

        /// The value of the first header called `name` (any case), if any.
        public func header(_ name: String) -> String? {
            headers.first { $0.0 == name.lowercased() }?.1
        }
    }
}
