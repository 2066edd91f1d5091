import HookLogCore

/// The webhooks of one run and the workspaces they are in, registered through the API.
///
/// Answering webhooks go nine to a workspace, one per event type, so that each event reaches exactly one webhook and
/// a batch of events for a workspace spreads over nine queues. Silent webhooks (whose endpoint never answers) get a
/// workspace each: a workspace's error budget is shared by its webhooks, and one webhook makes at most four attempts
/// in three minutes, far below the 31 errors that disable it, so the silent ones stay active all run long.
struct Fleet: Sendable {
    /// One webhook: the index of its workspace in ``workspaceKeys`` and the event type it is registered for.
    struct Webhook: Sendable {
        let workspace: Int
        let type: EventType
    }

    /// One `POST /v1/events`: a workspace's API key and one event per type listed.
    struct Batch: Sendable {
        let key: String
        let types: [EventType]
    }

    /// The most events `POST /v1/events` takes at once.
    static let maximumBatch = 1_000

    /// Each workspace's API key.
    let workspaceKeys: [String]
    /// The answering webhooks first (indices `0..<answeringCount`), then the silent ones.
    let webhooks: [Webhook]
    let answeringCount: Int

    /// Creates the workspaces and registers `answering` webhooks on answering endpoints and `silent` on silent ones,
    /// at most `parallel` calls at once (each is a durable append; group commit serves those that overlap).
    static func create(
        answering: Int, silent: Int, endpoints: LoopbackEndpoints, api: HookLogAPI, adminKey: String, parallel: Int = 32
    ) async throws -> Fleet {
        let types = EventType.allCases
        var layout: [(workspace: Int, type: EventType, url: String)] = []
        for index in 0..<answering {
            layout.append((index / types.count, types[index % types.count], endpoints.answeringURL("\(index)")))
        }
        let answeringWorkspaces = (answering + types.count - 1) / types.count
        for index in 0..<silent {
            layout.append((answeringWorkspaces + index, .messageReceived, endpoints.silentURL("\(index)")))
        }
        let workspaceCount = answeringWorkspaces + silent
        let keys = try await inParallel(0..<workspaceCount, limit: parallel) { index in
            try await api.createWorkspace(named: "Bench \(index)", adminKey: adminKey)
        }
        let registrations = layout
        _ = try await inParallel(registrations.indices, limit: parallel) { index in
            let webhook = registrations[index]
            try await api.createWebhook(url: webhook.url, type: webhook.type, key: keys[webhook.workspace])
        }
        return Fleet(
            workspaceKeys: keys, webhooks: layout.map { Webhook(workspace: $0.workspace, type: $0.type) },
            answeringCount: answering)
    }

    /// The batches that post one event to each webhook of `indices` (repeats post several): grouped by workspace, in
    /// the order the workspaces first appear, at most ``maximumBatch`` events each.
    func batches(forWebhooks indices: some Sequence<Int>) -> [Batch] {
        var order: [Int] = []
        var typesByWorkspace: [Int: [EventType]] = [:]
        for index in indices {
            let webhook = webhooks[index]
            if typesByWorkspace[webhook.workspace] == nil { order.append(webhook.workspace) }
            typesByWorkspace[webhook.workspace, default: []].append(webhook.type)
        }
        return order.flatMap { workspace in
            let types = typesByWorkspace[workspace] ?? []
            return stride(from: 0, to: types.count, by: Self.maximumBatch).map { start in
                Batch(key: workspaceKeys[workspace], types: Array(types[start..<min(start + Self.maximumBatch, types.count)]))
            }
        }
    }
}
