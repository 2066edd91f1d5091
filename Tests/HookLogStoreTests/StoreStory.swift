import HookLogCore
import HookLogStore
import HookLogTestSupport

/// A story told to a real ``LogStore`` through its commands, as the server tells it, at a virtual time that only
/// moves when the story says so.
struct StoreStory {
    let store: LogStore
    /// The time every command is executed at.
    var now = Timestamp(seconds: 1_800_000_000)

    init(_ store: LogStore) {
        self.store = store
    }

    /// Runs `body` with a story told to a new store in a temporary directory, opened with `options`, and closes the
    /// store afterwards.
    static func withNewStore(
        options: LogStore.Options = LogStore.Options(), _ body: (inout StoreStory) async throws -> Void
    ) async throws {
        try await withTemporaryDirectory { directory in
            var story = StoreStory(try LogStore(directory: directory, options: options))
            do {
                try await body(&story)
            } catch {
                await story.store.close()
                throw error
            }
            await story.store.close()
        }
    }

    /// Moves the virtual clock forward.
    mutating func advance(_ duration: Duration) {
        now = now.adding(duration)
    }

    /// A new workspace on the advanced plan.
    func createWorkspace(_ name: String = "Acme") async throws -> WorkspaceID {
        let records = try await store.execute(.createWorkspace(name: name, plan: .advanced, ownerEmail: "ops@acme.example"), at: now)
        guard case .workspaceCreated(let fact) = records.first?.record.fact else { throw StoryError.unexpected(records) }
        return fact.workspaceID
    }

    /// A new webhook of the workspace, subscribed to `events`.
    func createWebhook(in workspace: WorkspaceID, events: [EventType] = EventType.allCases) async throws -> WebhookID {
        let records = try await store.execute(
            .createWebhook(workspace, url: "https://endpoint.example/hook", events: events), at: now)
        guard case .webhookCreated(let fact) = records.first?.record.fact else { throw StoryError.unexpected(records) }
        return fact.webhookID
    }

    /// An event of `type` sent to the workspace, as one request.
    @discardableResult
    func send(
        _ type: EventType = .contactCreated, to workspace: WorkspaceID, id: String? = nil, key: String? = nil
    ) async throws -> LoggedRecord {
        let records = try await store.execute(.receiveEvent(event(type, to: workspace, id: id, key: key)), at: now)
        guard let received = records.first else { throw StoryError.unexpected(records) }
        return received
    }

    /// An incoming event, as the server makes it from a request.
    func event(_ type: EventType = .contactCreated, to workspace: WorkspaceID, id: String? = nil, key: String? = nil) -> IncomingEvent {
        IncomingEvent(
            workspaceID: workspace, eventID: id.map(EventID.init), type: type, data: Array(#"{"n":1}"#.utf8),
            idempotencyKey: key)
    }

    /// Reports an attempt of the head of the webhook's queue.
    func attemptHead(of webhook: WebhookID, answering status: Int) async throws {
        guard let head = store.withState({ $0.queues[webhook]?.head }) else { throw StoryError.emptyQueue(webhook) }
        _ = try await store.execute(.recordAttempt(AttemptReport(
            webhookID: webhook, deliveryID: head.reference.deliveryID, startedAt: now, durationMilliseconds: 12,
            outcome: .status(status), responseSnippet: "status \(status)")), at: now)
    }

    /// Fails the head of the webhook's queue four times, 30 s apart: it is dropped.
    mutating func dropHead(of webhook: WebhookID) async throws {
        for _ in 1...4 {
            try await attemptHead(of: webhook, answering: 500)
            advance(.seconds(30))
        }
    }

    /// The event ids of deliveries, for comparing pages with what was sent.
    static func eventIDs(_ deliveries: [DeliveryRecord]) -> [String] {
        deliveries.map(\.eventID.rawValue)
    }
}

/// A step of a story did not go as told.
enum StoryError: Error {
    case unexpected([LoggedRecord])
    case emptyQueue(WebhookID)
}
