import HookLogCore
import Testing

/// Commands are checked before any fact is recorded; a refusal says what was wrong (STYLE.md §7).
@Suite("Validation")
struct ValidationTests {
    @Test("An endpoint URL must be http or https",
          arguments: ["ftp://files.example/hook", "hooks.example/in", "javascript:alert(1)", "file:///etc/passwd",
                      "ws://socket.example/", "", "https:/one-slash.example", "mailto:ops@example.com"])
    func endpointURLsMustBeHTTP(url: String) throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let logBefore = scenario.log

        let error = #expect(throws: DecisionError.self) {
            try scenario.run(.createWebhook(workspace, url: url, events: [.contactCreated]))
        }
        #expect(error?.code == .invalidField)
        #expect(error?.message.contains("http") == true)
        #expect(scenario.log == logBefore)
    }

    @Test("An endpoint URL must not carry credentials",
          arguments: ["https://user:secret@hooks.example/in", "https://token@hooks.example/", "http://a@b@hooks.example"])
    func endpointURLsMustNotCarryCredentials(url: String) throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()

        let error = #expect(throws: DecisionError.self) {
            try scenario.run(.createWebhook(workspace, url: url, events: [.contactCreated]))
        }
        #expect(error?.code == .invalidField)
        #expect(error?.message.contains("credentials") == true)
    }

    @Test("An endpoint URL needs a host and no white space",
          arguments: ["https://", "http:///path", "https://:8443/hook", "https://hooks.example/a b", "https://hooks.example/\n"])
    func endpointURLsNeedAHostAndNoWhiteSpace(url: String) throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()

        let error = #expect(throws: DecisionError.self) {
            try scenario.run(.createWebhook(workspace, url: url, events: [.contactCreated]))
        }
        #expect(error?.code == .invalidField)
    }

    @Test("Ordinary endpoint URLs are accepted",
          arguments: ["https://hooks.example/in", "http://hooks.example:8080/in?token=abc#frag", "HTTPS://HOOKS.EXAMPLE",
                      "http://[::1]:9000/hook", "https://hooks.example/path?next=user@elsewhere"])
    func ordinaryEndpointURLsAreAccepted(url: String) throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()

        let webhook = try scenario.createWebhook(in: workspace, url: url)

        #expect(try scenario.webhook(webhook).url == url)
    }

    @Test("The host the address check resolves is the URL's, without port, brackets, path or a later @",
          arguments: [("https://hooks.example/in", "hooks.example"), ("http://hooks.example:8080/in?token=abc#frag", "hooks.example"),
                      ("http://[::1]:9000/hook", "::1"), ("https://hooks.example/path?next=user@elsewhere", "hooks.example"),
                      ("http://10.0.0.7#x", "10.0.0.7")])
    func anEndpointURLsHost(url: String, host: String) throws {
        #expect(try EndpointURL(url).host == host)
    }

    @Test("An endpoint URL may be 2,048 bytes long, not 2,049")
    func endpointURLsAreAtMost2048Bytes() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let prefix = "https://hooks.example/"
        let longest = prefix + String(repeating: "a", count: 2048 - prefix.utf8.count)
        let tooLong = longest + "a"
        #expect(longest.utf8.count == 2048)

        _ = try scenario.createWebhook(in: workspace, url: longest)
        let error = #expect(throws: DecisionError.self) {
            try scenario.run(.createWebhook(workspace, url: tooLong, events: [.contactCreated]))
        }
        #expect(error?.code == .invalidField)
        #expect(error?.message.contains("2049") == true)
        #expect(error?.message.contains("2048") == true)
    }

    @Test("The URL limit counts bytes, not characters")
    func theURLLimitCountsBytes() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        let url = "https://hooks.example/" + String(repeating: "é", count: 1020)  // 22 + 2,040 bytes, 1,042 characters

        let error = #expect(throws: DecisionError.self) {
            try scenario.run(.createWebhook(workspace, url: url, events: [.contactCreated]))
        }
        #expect(error?.code == .invalidField)
    }

    @Test("A webhook must subscribe to at least one event type, on creation and on update")
    func aWebhookNeedsAtLeastOneEventType() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()

        let onCreate = #expect(throws: DecisionError.self) {
            try scenario.run(.createWebhook(workspace, url: "https://hooks.example/in", events: []))
        }
        #expect(onCreate?.code == .invalidField)

        let webhook = try scenario.createWebhook(in: workspace)
        let onUpdate = #expect(throws: DecisionError.self) {
            try scenario.run(.updateWebhook(webhook, url: nil, events: []))
        }
        #expect(onUpdate?.code == .invalidField)
        #expect(try scenario.webhook(webhook).events == [.contactCreated])
    }

    @Test("Duplicate event types fold into one, in the platform's order")
    func duplicateEventTypesFold() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()

        let webhook = try scenario.createWebhook(
            in: workspace, events: [.commentCreated, .messageSent, .contactCreated, .messageSent])

        #expect(try scenario.webhook(webhook).events == [.contactCreated, .messageSent, .commentCreated])
    }

    @Test("An owner e-mail must look like an address",
          arguments: ["owner", "owner@", "@acme.example", "owner@localhost", "own er@acme.example", "a@b@acme.example", ""])
    func ownerEmailsMustBeAddresses(email: String) throws {
        var scenario = Scenario()

        let onCreate = #expect(throws: DecisionError.self) {
            try scenario.run(.createWorkspace(name: "Acme", plan: .advanced, ownerEmail: email))
        }
        #expect(onCreate?.code == .invalidField)
        #expect(onCreate?.message.contains("owner_email") == true)
        #expect(scenario.log.isEmpty)

        let workspace = try scenario.createWorkspace()
        let onChange = #expect(throws: DecisionError.self) {
            try scenario.run(.changeWorkspace(workspace, plan: nil, ownerEmail: email))
        }
        #expect(onChange?.code == .invalidField)
    }

    @Test("A workspace name needs 1 to 200 characters", arguments: ["", "   ", String(repeating: "n", count: 201)])
    func workspaceNamesAreOneTo200Characters(name: String) throws {
        var scenario = Scenario()

        let error = #expect(throws: DecisionError.self) {
            try scenario.run(.createWorkspace(name: name, plan: .advanced, ownerEmail: "owner@acme.example"))
        }
        #expect(error?.code == .invalidField)
    }

    @Test("Event data may be 256 KiB; one byte more is payloadTooLarge and nothing is recorded")
    func eventDataIsAtMost256KiB() throws {
        var scenario = Scenario()
        let workspace = try scenario.createWorkspace()
        _ = try scenario.createWebhook(in: workspace)
        let largest = [UInt8](repeating: UInt8(ascii: " "), count: 256 * 1024)

        let accepted = try scenario.run(.receiveEvent(IncomingEvent(workspaceID: workspace, type: .contactCreated, data: largest)))
        #expect(accepted.first?.fact.eventReceived?.data.count == 262_144)

        let logBefore = scenario.log
        let error = #expect(throws: DecisionError.self) {
            try scenario.run(.receiveEvent(IncomingEvent(workspaceID: workspace, type: .contactCreated, data: largest + [0x20])))
        }
        #expect(error?.code == .payloadTooLarge)
        #expect(error?.message.contains("262145") == true)
        #expect(scenario.log == logBefore)
    }

    @Test("An unknown event type name is refused with a message listing the nine types")
    func unknownEventTypesAreRefused() throws {
        let error = #expect(throws: DecisionError.self) { try EventType.parse("contact.deleted") }

        #expect(error?.code == .unknownEventType)
        let message = try #require(error?.message)
        #expect(message.contains("'contact.deleted' is not an event type"))
        for type in EventType.allCases {
            #expect(message.contains(type.rawValue), "the message names \(type.rawValue)")
        }
    }

    @Test("The nine event type names parse to themselves", arguments: EventType.allCases)
    func knownEventTypesParse(type: EventType) throws {
        #expect(try EventType.parse(type.rawValue) == type)
    }

    @Test("Event type names are exact: case and spacing matter",
          arguments: ["Contact.Created", "contact.created ", "contact", "", "message.*"])
    func eventTypeNamesAreExact(name: String) throws {
        #expect(throws: DecisionError.self) { try EventType.parse(name) }
    }

    @Test("Commands about unknown workspaces, webhooks and keys are refused with notFound")
    func unknownThingsAreNotFound() throws {
        var scenario = Scenario()
        let ghostWorkspace = WorkspaceID("ws_nobody")
        let ghostWebhook = WebhookID("wh_nobody")
        let commands: [Command] = [
            .changeWorkspace(ghostWorkspace, plan: .enterprise, ownerEmail: nil),
            .issueApiKey(ghostWorkspace, keyHash: [1, 2, 3], hint: "hk_abc"),
            .revokeApiKey(ApiKeyID("key_nobody")),
            .createWebhook(ghostWorkspace, url: "https://hooks.example/in", events: [.contactCreated]),
            .updateWebhook(ghostWebhook, url: "https://hooks.example/in", events: nil),
            .deleteWebhook(ghostWebhook),
            .enableWebhook(ghostWebhook, recover: true),
            .receiveEvent(IncomingEvent(workspaceID: ghostWorkspace, type: .contactCreated, data: Array("{}".utf8))),
            .recordAttempt(AttemptReport(
                webhookID: ghostWebhook, deliveryID: DeliveryID("dlv_nobody"), startedAt: scenario.now,
                durationMilliseconds: 1, outcome: .status(200))),
        ]
        for command in commands {
            let error = #expect(throws: DecisionError.self, "\(command)") { try scenario.run(command) }
            #expect(error?.code == .notFound, "\(command)")
        }
        #expect(scenario.log.isEmpty)
    }
}
