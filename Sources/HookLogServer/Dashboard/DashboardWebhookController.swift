import Foundation
import HookLogCore
import HookLogStore
import Hummingbird

/// `GET /webhooks` and the forms of that page: add, enable, send a test event, delete; and the settings form of a
/// webhook's own page (format and rate limit).
struct DashboardWebhookController<C: Clock<Duration>>: Sendable where C.Instant == Timestamp {
    let actions: WebhookActions<C>
    let dashboard: Dashboard
    var log: LogService<C> { actions.log }

    /// Adds the page to `pages` and its forms to `forms`, both for workspaces whose plan has webhooks.
    func addRoutes(pages: RouterGroup<HookLogRequestContext>, forms: RouterGroup<HookLogRequestContext>) {
        pages.get("/webhooks", use: list)
        forms.post("/webhooks", use: create)
        forms.post("/webhooks/{id}/enable", use: enable)
        forms.post("/webhooks/{id}/test", use: test)
        forms.post("/webhooks/{id}/delete", use: delete)
        forms.post("/webhooks/{id}/settings", use: changeSettings)
    }

    @Sendable func list(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        let signedIn = try context.browser
        return page(signedIn, notice: notice(QueryReader(request), signedIn))
    }

    @Sendable func create(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        let signedIn = try context.browser
        var request = request
        let form = try await DashboardForm.decode(NewWebhook.self, from: &request)
        let url = (form.url ?? "").trimmingCharacters(in: .whitespaces)
        let names = form.events ?? []
        let state = FormState(url: url, events: names, format: form.format ?? "", rateLimit: form.rateLimit ?? "")
        do {
            var events: [EventType] = []
            for name in names { events.append(try APIError.check { () throws(DecisionError) in try EventType.parse(name) }) }
            guard !events.isEmpty else { throw APIError.invalidField("events: choose at least one event type") }
            let settings = try Settings(format: form.format, rateLimit: form.rateLimit)
            _ = try await actions.create(
                in: signedIn.workspace, url: url, events: events, format: settings.format, rateLimit: settings.rateLimit)
        } catch let error as APIError where [400, 409, 422].contains(error.status.code) {
            var state = state
            state.error = error
            return page(signedIn, status: error.status, form: state)
        }
        return Dashboard.redirect(to: "/webhooks?notice=created")
    }

    /// Changes a webhook's format and rate limit (an empty limit removes it), then shows its page again.
    @Sendable func changeSettings(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        let webhook = try webhook(context)
        var request = request
        let form = try await DashboardForm.decode(WebhookSettings.self, from: &request)
        let settings = try Settings(format: form.format, rateLimit: form.rateLimit)
        _ = try await log.execute(.updateWebhook(
            webhook.id, url: nil, events: nil, format: settings.format,
            rateLimit: settings.rateLimit.map(RateLimitChange.limit) ?? .unlimited))
        return Dashboard.redirect(to: "/webhooks/\(webhook.id.rawValue)?notice=saved")
    }

    @Sendable func enable(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        let webhook = try webhook(context)
        var request = request
        let form = try await DashboardForm.decode(EnableWebhook.self, from: &request)
        let recovered = try await actions.enable(webhook, recover: form.recover == "on")
        return Dashboard.redirect(to: "/webhooks?notice=enabled&webhook=\(webhook.id.rawValue)&recovered=\(recovered)")
    }

    @Sendable func test(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        let webhook = try webhook(context)
        let result = try await actions.sendTestEvent(
            to: webhook, type: webhook.events.first ?? .contactCreated, data: Array(#"{"test":true}"#.utf8))
        let answer = result.statusCode.map { "code=\($0)" } ?? result.error.map { "error=\($0.rawValue)" } ?? ""
        return Dashboard.redirect(to: "/webhooks?notice=tested&webhook=\(webhook.id.rawValue)&\(answer)")
    }

    @Sendable func delete(_ request: Request, context: HookLogRequestContext) async throws -> Response {
        _ = try await log.execute(.deleteWebhook(try webhook(context).id))
        return Dashboard.redirect(to: "/webhooks?notice=deleted")
    }

    /// The add form's fields.
    private struct NewWebhook: Decodable {
        let url: String?
        let events: [String]?
        let format: String?
        let rateLimit: String?

        private enum CodingKeys: String, CodingKey {
            case url, events, format
            case rateLimit = "rate_limit"
        }
    }

    /// The settings form's fields.
    private struct WebhookSettings: Decodable {
        let format: String?
        let rateLimit: String?

        private enum CodingKeys: String, CodingKey {
            case format
            case rateLimit = "rate_limit"
        }
    }

    /// A format and a rate limit as a form gives them: the format by name (standard when none is chosen), the limit
    /// as digits (none when empty).
    private struct Settings {
        let format: WebhookFormat
        let rateLimit: Int?

        init(format: String?, rateLimit: String?) throws(APIError) {
            let name = format ?? ""
            guard let chosen = name.isEmpty ? .standard : WebhookFormat(rawValue: name) else {
                throw APIError.invalidField("format: '\(name)' is not a webhook format")
            }
            self.format = chosen
            let limit = (rateLimit ?? "").trimmingCharacters(in: .whitespaces)
            guard limit.isEmpty || Int(limit) != nil else {
                throw APIError.invalidField("rate_limit: '\(limit)' is not a whole number of deliveries a second")
            }
            self.rateLimit = Int(limit)
        }
    }

    /// The enable form's field: the "also recover skipped events" checkbox.
    private struct EnableWebhook: Decodable {
        let recover: String?
    }

    /// What the add form was given when the API refused it, to show again with the refusal by its field.
    private struct FormState {
        var url = ""
        var events: [String] = []
        var format = ""
        var rateLimit = ""
        var error: APIError?
    }

    /// The webhooks page: the table, the workspace's error window, and the add form.
    private func page(
        _ signedIn: SignedIn, status: HTTPResponse.Status = .ok, notice: String? = nil, form: FormState = FormState()
    ) -> Response {
        let webhooks = log.webhooks(of: signedIn.workspace)
        let budget = log.store.withState { $0.errorBudget(of: signedIn.workspace.id, at: log.clock.now) }
        let policy = budget.policy
        let message = form.error?.message
        let field = message.map { message in
            if message.hasPrefix("url") { return "url" }
            if message.hasPrefix("rate_limit") || message.hasPrefix("format") { return "settings" }
            return message.hasPrefix("events") || form.error?.code == "unknown_event_type" ? "events" : "form"
        }
        return dashboard.page("webhooks", status: status, title: "Webhooks", signedIn: signedIn, [
            "notice": notice as Any,
            "webhooks": webhooks.map(DashboardView.webhook),
            "hasWebhooks": !webhooks.isEmpty,
            "errorCount": budget.errorCount, "errorLimit": policy.errorLimit, "errorMax": policy.errorLimit + 1,
            "errorMinutes": policy.errorWindow.components.seconds / 60,
            "warnAt": policy.warningThreshold as Any,
            "warning": budget.warning.map { warning in
                [
                    "count": warning.errorCount, "at": warning.at.rfc3339,
                    "email": budget.warningSent ? "sent" : "not sent yet: being tried again",
                ] as [String: Any]
            } as Any,
            "eventGroups": EventCatalogue.grouped.map { group in
                [
                    "id": group.group.rawValue.lowercased(), "name": group.group.rawValue,
                    "types": group.entries.map { entry in
                        [
                            "name": entry.type.rawValue, "label": entry.label, "summary": entry.summary,
                            "checked": form.events.contains(entry.type.rawValue),
                        ] as [String: Any]
                    },
                ] as [String: Any]
            },
            "formURL": form.url,
            "formats": DashboardView.formats(selected: WebhookFormat(rawValue: form.format) ?? .standard),
            "formRateLimit": form.rateLimit,
            "settingsError": (field == "settings" ? message : nil) as Any,
            "urlError": (field == "url" ? message : nil) as Any,
            "eventsError": (field == "events" ? message : nil) as Any,
            "formError": (field == "form" ? message : nil) as Any,
        ])
    }

    /// The sentence a redirect after a form asks the webhooks page to show.
    private func notice(_ query: QueryReader, _ signedIn: SignedIn) -> String? {
        let url = query.string("webhook").flatMap { id in try? log.webhook(id, of: signedIn.workspace).url } ?? "the webhook"
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

    /// The webhook the path names, if it is the signed-in workspace's.
    private func webhook(_ context: HookLogRequestContext) throws -> Webhook {
        try log.webhook(try context.parameters.require("id"), of: try context.workspace)
    }
}
