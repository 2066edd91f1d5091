import HookLogCore
import HookLogStore
import Hummingbird

extension HookLogAPI {
    /// `GET /webhooks` and the forms of that page: add, enable, send a test event, delete.
    func addDashboardWebhookRoutes(to router: APIRouter<BasicRequestContext>, dashboard: Dashboard) {
        router.on(.get, "/webhooks") { request, _ in
            try await self.dashboardPage(request, dashboard) { signedIn in
                _ = try self.webhookWorkspace(of: signedIn)
                return self.webhooksPage(signedIn, dashboard, notice: self.notice(QueryReader(request), signedIn))
            }
        }
        router.on(.post, "/webhooks") { request, _ in
            try await self.dashboardForm(request, dashboard) { signedIn, form in
                let workspace = try self.webhookWorkspace(of: signedIn)
                let url = (form["url"] ?? "").trimmingCharacters(in: .whitespaces)
                let names = form.all("events")
                do {
                    var events: [EventType] = []
                    for name in names { events.append(try Self.check { () throws(DecisionError) in try EventType.parse(name) }) }
                    guard !events.isEmpty else { throw APIError.invalidField("events: choose at least one event type") }
                    try await self.checkEndpointURL(url)
                    _ = try await self.execute(.createWebhook(workspace.id, url: url, events: events))
                } catch let error as APIError where [400, 409, 422].contains(error.status.code) {
                    return self.webhooksPage(
                        signedIn, dashboard, status: error.status, form: WebhookForm(url: url, events: names, error: error))
                }
                return Dashboard.redirect(to: "/webhooks?notice=created")
            }
        }
        router.on(.post, "/webhooks/{id}/enable") { request, context in
            try await self.dashboardForm(request, dashboard) { signedIn, form in
                let webhook = try self.webhook(try context.parameters.require("id"), of: try self.webhookWorkspace(of: signedIn))
                let records = try await self.execute(.enableWebhook(webhook.id, recover: form["recover"] == "on"))
                let recovered = records.reduce(0) { count, entry in
                    guard case .deliveriesRecovered(let fact) = entry.record.fact else { return count }
                    return count + fact.deliveries.count
                }
                return Dashboard.redirect(to: "/webhooks?notice=enabled&webhook=\(webhook.id.rawValue)&recovered=\(recovered)")
            }
        }
        router.on(.post, "/webhooks/{id}/test") { request, context in
            try await self.dashboardForm(request, dashboard) { signedIn, _ in
                let webhook = try self.webhook(try context.parameters.require("id"), of: try self.webhookWorkspace(of: signedIn))
                let result = try await self.sendTestEvent(
                    to: webhook, type: webhook.events.first ?? .contactCreated, data: Array(#"{"test":true}"#.utf8))
                guard case .object(let fields) = result else { throw APIError.unavailable }
                let answer = fields.first { $0.0 == "status_code" }.flatMap { field -> String? in
                    if case .int(let code) = field.1 { "code=\(code)" } else { nil }
                } ?? fields.first { $0.0 == "error" }.flatMap { field -> String? in
                    if case .string(let error) = field.1 { "error=\(error)" } else { nil }
                } ?? ""
                return Dashboard.redirect(to: "/webhooks?notice=tested&webhook=\(webhook.id.rawValue)&\(answer)")
            }
        }
        router.on(.post, "/webhooks/{id}/delete") { request, context in
            try await self.dashboardForm(request, dashboard) { signedIn, _ in
                let webhook = try self.webhook(try context.parameters.require("id"), of: try self.webhookWorkspace(of: signedIn))
                _ = try await self.execute(.deleteWebhook(webhook.id))
                return Dashboard.redirect(to: "/webhooks?notice=deleted")
            }
        }
    }

    /// What the add form was given when the API refused it, to show again with the refusal by its field.
    struct WebhookForm {
        var url = ""
        var events: [String] = []
        var error: APIError?
    }

    /// The webhooks page: the table, the workspace's error window, and the add form.
    private func webhooksPage(
        _ signedIn: SignedIn, _ dashboard: Dashboard, status: HTTPResponse.Status = .ok, notice: String? = nil,
        form: WebhookForm = WebhookForm()
    ) -> Response {
        let (webhooks, errors, policy) = store.withState { state in
            (state.webhooks(of: signedIn.workspace.id).sorted { WebhookCursor($0) < WebhookCursor($1) },
             state.errorCount(of: signedIn.workspace.id, at: clock.now), state.policy)
        }
        let message = form.error?.message
        let field = message.map { message in
            if message.hasPrefix("url") { return "url" }
            return message.hasPrefix("events") || form.error?.code == "unknown_event_type" ? "events" : "form"
        }
        return dashboard.page("webhooks", status: status, title: "Webhooks", signedIn: signedIn, [
            "notice": notice as Any,
            "webhooks": webhooks.map(DashboardView.webhook),
            "hasWebhooks": !webhooks.isEmpty,
            "errorCount": errors, "errorLimit": policy.errorLimit, "errorMax": policy.errorLimit + 1,
            "errorMinutes": policy.errorWindow.components.seconds / 60,
            "eventTypes": EventType.allCases.map { ["name": $0.rawValue, "checked": form.events.contains($0.rawValue)] },
            "formURL": form.url,
            "urlError": (field == "url" ? message : nil) as Any,
            "eventsError": (field == "events" ? message : nil) as Any,
            "formError": (field == "form" ? message : nil) as Any,
        ])
    }

    /// The sentence a redirect after a form asks the webhooks page to show.
    private func notice(_ query: QueryReader, _ signedIn: SignedIn) -> String? {
        let url = query.string("webhook").flatMap { id in try? webhook(id, of: signedIn.workspace).url } ?? "the webhook"
        switch query.string("notice") {
        case "created": return "Webhook added."
        case "deleted": return "Webhook deleted."
        case "enabled":
            let recovered = query.string("recovered").flatMap(Int.init) ?? 0
            let queued = recovered == 1 ? "1 skipped delivery is" : "\(recovered) skipped deliveries are"
            return "Enabled \(url)" + (recovered > 0 ? "; \(queued) queued again." : ".")
        case "tested":
            if let code = query.string("code").flatMap(Int.init) { return "Test event sent to \(url): it answered \(code)." }
            return "Test event to \(url) failed: \(query.string("error") ?? "no answer")."
        default: return nil
        }
    }
}
