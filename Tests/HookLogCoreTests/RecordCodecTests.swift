import HookLogCore
import Testing

/// docs/rules.md §3 and STYLE.md §2: every record has one versioned encoding path; what cannot be decoded is an error,
/// never a crash.
@Suite("Record codec")
struct RecordCodecTests {
    /// The record types docs/rules.md §3 lists.
    static let designedTypeNames: Set<String> = [
        "WorkspaceCreated", "WorkspacePlanChanged", "ApiKeyIssued", "ApiKeyRevoked", "WebhookCreated", "WebhookUpdated",
        "WebhookDeleted", "EventReceived", "AttemptSucceeded", "AttemptFailed", "DeliveryDropped", "DeliverySkipped",
        "WebhookDisabled", "NotificationSent", "NotificationFailed", "WebhookEnabled", "DeliveriesRecovered",
        "RedeliveryRequested", "HistoryCompacted", "WebhookSecretRotated", "WarningThresholdReached",
        "WarningNotificationSent", "WarningNotificationFailed", "OperationsWebhookSet", "OperationsWebhookRemoved",
        "OperationsAttemptSucceeded", "OperationsAttemptFailed", "OperationsMessageDropped",
    ]

    @Test("There is a sample of every kind of fact, and the kinds are the ones docs/rules.md §3 names")
    func theSamplesCoverEveryFact() {
        #expect(Set(RecordSamples.all.map(\.fact.typeName)) == Self.designedTypeNames)
        #expect(Set(RecordSamples.alternative.map(\.fact.typeName)) == Self.designedTypeNames)
    }

    @Test("Each fact has its own tag and its own name, and wraps itself in its own case")
    func tagsAndNamesAreUnique() {
        let payloads = RecordSamples.allFacts.map(\.payload)
        let tags = payloads.map { type(of: $0).tag }
        #expect(tags.count == FactTag.allCases.count)
        #expect(Set(tags) == Set(FactTag.allCases))
        #expect(Set(payloads.map { type(of: $0).name }).count == payloads.count)
        #expect(payloads.map(\.fact) == RecordSamples.allFacts)
    }

    @Test("Every tag introduces its fact in the encoding, and its samples round-trip", arguments: FactTag.allCases)
    func everyTagRoundTrips(tag: FactTag) throws {
        let samples = (RecordSamples.all + RecordSamples.alternative).filter { type(of: $0.fact.payload).tag == tag }
        #expect(samples.count == 2)
        for record in samples {
            let bytes = RecordCodec.encode(record)
            #expect(bytes[1] == tag.rawValue)
            #expect(try RecordCodec.decode(bytes) == record)
        }
    }

    @Test("Every fact round-trips through the codec", arguments: RecordSamples.all + RecordSamples.alternative)
    func everyFactRoundTrips(record: Record) throws {
        let bytes = RecordCodec.encode(record)

        #expect(bytes.first == RecordCodec.formatVersion)
        #expect(try RecordCodec.decode(bytes) == record)
    }

    @Test("Different facts never encode alike")
    func encodingsAreDistinct() {
        let samples = RecordSamples.all + RecordSamples.alternative
        #expect(Set(samples.map(RecordCodec.encode)).count == samples.count)
    }

    @Test("Extreme integers and times survive the varint encoding")
    func extremeIntegersRoundTrip() throws {
        for milliseconds in [Int64.min, -1, 0, 1, .max] {
            let fact = Fact.attemptFailed(AttemptFailed(
                deliveryID: RecordSamples.delivery, webhookID: RecordSamples.webhook, number: .min, startedAt: RecordSamples.at,
                durationMilliseconds: .max, failure: .status(.min), responseSnippet: "", nextAttemptAt: nil))
            let decoded = try RecordCodec.decode(RecordCodec.encode(Record(at: Timestamp(milliseconds: milliseconds), fact)))
            #expect(decoded.at.milliseconds == milliseconds)
            #expect(decoded.fact == fact)
        }
    }

    @Test("A record in an unknown format version is refused with unsupportedVersion", arguments: [UInt8(0), RecordCodec.formatVersion + 1, 255])
    func unknownFormatVersionsAreRefused(version: UInt8) throws {
        var bytes = RecordCodec.encode(RecordSamples.all[0])
        bytes[0] = version

        #expect(throws: DecodingFailure.unsupportedVersion(version)) { try RecordCodec.decode(bytes) }
        #expect(DecodingFailure.unsupportedVersion(version).description.contains("\(version)"))
    }

    @Test("A version 1 disable or enable, from before they skipped and recovered whole queues, reads with no count")
    func versionOneDisablesAndEnablesRead() throws {
        let olderShapes = RecordSamples.all.filter {
            $0.fact.webhookDisabled?.skippedDeliveries == nil && $0.fact.webhookEnabled?.recoveredDeliveries == nil
                && ($0.fact.webhookDisabled != nil || $0.fact.webhookEnabled != nil)
        }
        #expect(olderShapes.count == 2)
        for record in olderShapes {
            // Version 1 wrote ids as strings and had no count.
            var writer = BinaryWriter()
            writer.write(UInt8(1))
            writer.write(type(of: record.fact.payload).tag.rawValue)
            writer.write(record.at)
            if let disabled = record.fact.webhookDisabled {
                writer.write(disabled.webhookID.rawValue)
                writer.write(disabled.workspaceID.rawValue)
                writer.write(disabled.reason)
                writer.write(disabled.errorCount)
            } else if let enabled = record.fact.webhookEnabled {
                writer.write(enabled.webhookID.rawValue)
                writer.write(enabled.workspaceID.rawValue)
                writer.write(enabled.recover)
            }
            #expect(try RecordCodec.decode(writer.bytes) == record)
        }
    }

    @Test("Version 3 packs a generated id into 13 bytes after a 0 and a 1, and writes any other id as a string")
    func generatedIdsArePacked() throws {
        let generated = WebhookID("wh_mnpqrstvwxyz01234567")
        let others = ["wh_mnpqrstvwxyz0123456", "wh_mnpqrstvwxyz012345678", "wh_Mnpqrstvwxyz01234567",
                      "wh_inpqrstvwxyz01234567", "dlv_mnpqrstvwxyz0123456", "", "wh_ünïcode"].map(WebhookID.init)
        let extremes = ["wh_00000000000000000000", "wh_zzzzzzzzzzzzzzzzzzzz", "wh_z000000000000000000z"].map(WebhookID.init)
        for id in [generated] + extremes + others {
            let record = Record(at: RecordSamples.at, .webhookDeleted(WebhookDeleted(webhookID: id)))
            let bytes = RecordCodec.encode(record)
            #expect(try RecordCodec.decode(bytes) == record, "\(id)")
        }
        let packed = RecordCodec.encode(Record(at: Timestamp(milliseconds: 0), .webhookDeleted(WebhookDeleted(webhookID: generated))))
        #expect(packed.count == 3 + 2 + 13)
        #expect(Array(packed[3...4]) == [0, 1])
        let plain = RecordCodec.encode(Record(at: Timestamp(milliseconds: 0), .webhookDeleted(WebhookDeleted(webhookID: WebhookID("wh_1")))))
        #expect(Array(plain[3...]) == [4] + Array("wh_1".utf8))
    }

    @Test("A version 3 webhook's creation or update, from before formats and rate limits, reads as standard and unlimited")
    func versionThreeWebhooksRead() throws {
        let created = WebhookCreated(
            webhookID: RecordSamples.webhook, workspaceID: RecordSamples.workspace, url: "https://x.example/in",
            events: [.contactCreated, .callEnded], secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let updated = WebhookUpdated(webhookID: RecordSamples.webhook, url: "https://y.example/", events: [.messageSent])
        /// A record of `tag` as format 3 wrote it: ids packed, no format or rate limit after the fields.
        func versionThree(_ tag: FactTag, _ fields: (inout BinaryWriter) -> Void) -> BinaryWriter {
            var writer = BinaryWriter()
            writer.write(UInt8(3))
            writer.write(tag.rawValue)
            writer.write(RecordSamples.at)
            fields(&writer)
            return writer
        }
        let oldCreation = versionThree(.webhookCreated) { writer in
            writer.write(created.webhookID)
            writer.write(created.workspaceID)
            writer.write(created.url)
            writer.write(created.events) { $0.write($1) }
            writer.write(created.secret)
        }
        let oldUpdate = versionThree(.webhookUpdated) { writer in
            writer.write(updated.webhookID)
            writer.write(updated.url)
            writer.write(updated.events) { $0.write($1) }
        }

        let readCreation = try RecordCodec.decode(oldCreation.bytes)
        let readUpdate = try RecordCodec.decode(oldUpdate.bytes)

        #expect(readCreation == Record(at: RecordSamples.at, .webhookCreated(created)))
        #expect(readUpdate == Record(at: RecordSamples.at, .webhookUpdated(updated)))
        #expect(created.format == .standard && created.rateLimit == nil && updated.format == .standard && updated.rateLimit == nil)
    }

    @Test("A version 2 record, its ids written as strings, reads as it did")
    func versionTwoIdsRead() throws {
        var writer = BinaryWriter()
        writer.write(UInt8(2))
        writer.write(FactTag.deliveryDropped.rawValue)
        writer.write(RecordSamples.at)
        writer.write(RecordSamples.delivery.rawValue)
        writer.write(RecordSamples.webhook.rawValue)

        let record = try RecordCodec.decode(writer.bytes)

        #expect(record == Record(at: RecordSamples.at, .deliveryDropped(DeliveryDropped(
            deliveryID: RecordSamples.delivery, webhookID: RecordSamples.webhook))))
    }

    @Test("A packed id with its last 4 bits set, or an id form other than 0 and 1, is malformed")
    func badPackedIdsAreMalformed() throws {
        var bytes = RecordCodec.encode(Record(at: Timestamp(milliseconds: 0), .webhookDeleted(WebhookDeleted(
            webhookID: RecordSamples.webhook))))
        bytes[bytes.count - 1] |= 1
        #expect(throws: DecodingFailure.malformed("packed id with trailing bits")) { try RecordCodec.decode(bytes) }
        bytes[4] = 2
        #expect(throws: DecodingFailure.malformed("id form 2")) { try RecordCodec.decode(bytes) }
    }

    @Test("A record with an unknown type tag is malformed", arguments: [0, FactTag.allCases.last!.rawValue + 1, 200])
    func unknownTagsAreMalformed(tag: UInt8) throws {
        var bytes = RecordCodec.encode(RecordSamples.all[0])
        bytes[1] = tag

        let error = #expect(throws: DecodingFailure.self) { try RecordCodec.decode(bytes) }
        #expect(error == .malformed("unknown record type tag \(tag)"))
    }

    @Test("An empty record is truncated")
    func anEmptyRecordIsTruncated() {
        #expect(throws: DecodingFailure.truncated) { try RecordCodec.decode([UInt8]()) }
    }

    @Test("Every strict prefix of a valid record is truncated", arguments: RecordSamples.all + RecordSamples.alternative)
    func everyPrefixIsTruncated(record: Record) {
        let bytes = RecordCodec.encode(record)
        for length in 0..<bytes.count {
            #expect(throws: DecodingFailure.truncated, "prefix of \(length) of \(bytes.count) bytes") {
                try RecordCodec.decode(Array(bytes.prefix(length)))
            }
        }
    }

    @Test("Trailing bytes after a valid record are malformed", arguments: RecordSamples.all)
    func trailingGarbageIsMalformed(record: Record) {
        for garbage: [UInt8] in [[0], [0xFF], [1, 2, 3]] {
            let error = #expect(throws: DecodingFailure.self) { try RecordCodec.decode(RecordCodec.encode(record) + garbage) }
            #expect(error == .malformed("trailing bytes after \(record.fact.typeName)"))
        }
    }

    @Test("Bad field values inside a record are malformed, not a crash")
    func badFieldValuesAreMalformed() throws {
        // WorkspaceCreated(workspace "w", name "n", plan 9, owner "o"): plan index out of range.
        let badPlan: [UInt8] = [1, 1, 0, 1, 0x77, 1, 0x6E, 9, 1, 0x6F]
        #expect(throws: DecodingFailure.malformed("plan 9")) { try RecordCodec.decode(badPlan) }
        // WebhookEnabled with a boolean byte of 2.
        let badBool: [UInt8] = [1, 16, 0, 1, 0x77, 1, 0x77, 2]
        #expect(throws: DecodingFailure.malformed("boolean byte 2")) { try RecordCodec.decode(badBool) }
        // ApiKeyRevoked whose key id is not UTF-8.
        let badString: [UInt8] = [1, 4, 0, 2, 0xC3, 0x28]
        #expect(throws: DecodingFailure.malformed("string is not valid UTF-8")) { try RecordCodec.decode(badString) }
        // ApiKeyRevoked whose key id claims a length far beyond the record.
        let hugeLength: [UInt8] = [1, 4, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]
        #expect(throws: DecodingFailure.truncated) { try RecordCodec.decode(hugeLength) }
        // A time whose varint runs past 64 bits.
        let longVarint: [UInt8] = [1, 4] + [UInt8](repeating: 0xFF, count: 11) + [0x01, 1, 0x6B]
        #expect(throws: DecodingFailure.malformed("varint longer than 64 bits")) { try RecordCodec.decode(longVarint) }
    }

    @Test("Random byte strings decode or throw, never trap; whatever decodes re-encodes to the same record")
    func randomBytesNeverTrap() throws {
        var random = SplitMix64(seed: 0xF00D)
        let knownTags = FactTag.allCases.first!.rawValue...FactTag.allCases.last!.rawValue
        var decoded = 0
        for round in 0..<20_000 {
            let length = Int.random(in: 0...96, using: &random)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            if round % 2 == 0, bytes.count >= 2 {
                bytes[0] = RecordCodec.formatVersion  // reach the fact decoders more often
                bytes[1] = UInt8.random(in: knownTags, using: &random)
            }
            if let record = try? RecordCodec.decode(bytes) {
                decoded += 1
                #expect(try RecordCodec.decode(RecordCodec.encode(record)) == record)
            }
        }
        #expect(decoded < 20_000)
    }

    @Test("Valid records with random bytes changed decode or throw, never trap")
    func mutatedRecordsNeverTrap() throws {
        var random = SplitMix64(seed: 0xBEEF)
        for record in RecordSamples.all + RecordSamples.alternative {
            let original = RecordCodec.encode(record)
            for _ in 0..<1_000 {
                var bytes = original
                for _ in 0..<Int.random(in: 1...3, using: &random) {
                    let index = Int.random(in: 0..<bytes.count, using: &random)
                    switch Int.random(in: 0..<3, using: &random) {
                    case 0: bytes[index] = UInt8.random(in: 0...255, using: &random)
                    case 1: bytes[index] ^= 0x80
                    default: bytes.insert(UInt8.random(in: 0...255, using: &random), at: index)
                    }
                }
                if let mutated = try? RecordCodec.decode(bytes) {
                    #expect(try RecordCodec.decode(RecordCodec.encode(mutated)) == mutated)
                }
            }
        }
    }
}

/// One record of every fact, and a second set with other values (empty, absent, extreme).
enum RecordSamples {
    static let at = Timestamp(milliseconds: 1_795_636_800_123)
    static let workspace = WorkspaceID("ws_0123456789abcdefghjk")
    static let webhook = WebhookID("wh_mnpqrstvwxyz01234567")
    static let event = EventID("evt_client-supplied/ünïcode")
    static let delivery = DeliveryID("dlv_89abcdefghjkmnpqrstv")
    static let reference = DeliveryReference(
        deliveryID: delivery, eventID: event, eventType: .contactAssigneeUpdated, eventSequence: 42)

    static let all: [Record] = allFacts.map { Record(at: at, $0) }

    static let allFacts: [Fact] = [
        .workspaceCreated(WorkspaceCreated(
            workspaceID: workspace, name: "Acme — ops 🚀", plan: .advanced, ownerEmail: "owner@acme.example")),
        .workspacePlanChanged(WorkspacePlanChanged(workspaceID: workspace, plan: .enterprise, ownerEmail: "new@acme.example")),
        .apiKeyIssued(ApiKeyIssued(
            keyID: ApiKeyID("key_1"), workspaceID: workspace, keyHash: (0..<32).map { UInt8($0 * 7 % 256) }, hint: "hk_3kq9")),
        .apiKeyRevoked(ApiKeyRevoked(keyID: ApiKeyID("key_1"))),
        .webhookCreated(WebhookCreated(
            webhookID: webhook, workspaceID: workspace, url: "https://hooks.acme.example/in?x=1",
            events: EventType.allCases, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", format: .respondio,
            rateLimit: 1_000)),
        .webhookUpdated(WebhookUpdated(
            webhookID: webhook, url: "http://[::1]:9000/", events: [.messageSent], format: .respondio, rateLimit: 1)),
        .webhookDeleted(WebhookDeleted(webhookID: webhook)),
        .eventReceived(EventReceived(
            eventID: event, workspaceID: workspace, type: .contactTagUpdated, occurredAt: Timestamp(milliseconds: -86_400_001),
            data: Array(#"{"tags":["vip","ünïcode"]}"#.utf8), idempotencyKey: "idem-1",
            deliveries: [
                EventReceived.Fanout(deliveryID: delivery, webhookID: webhook),
                EventReceived.Fanout(deliveryID: DeliveryID("dlv_2"), webhookID: WebhookID("wh_2")),
            ])),
        .attemptSucceeded(AttemptSucceeded(
            deliveryID: delivery, webhookID: webhook, number: 2, startedAt: at, durationMilliseconds: 4_999,
            statusCode: 204, responseSnippet: "")),
        .attemptFailed(AttemptFailed(
            deliveryID: delivery, webhookID: webhook, number: 1, startedAt: at, durationMilliseconds: 120,
            failure: .status(302), responseSnippet: "<html>moved</html>", nextAttemptAt: at.adding(.seconds(30)))),
        .deliveryDropped(DeliveryDropped(deliveryID: delivery, webhookID: webhook)),
        .deliverySkipped(DeliverySkipped(deliveryID: delivery, webhookID: webhook)),
        .webhookDisabled(WebhookDisabled(
            webhookID: webhook, workspaceID: workspace, reason: "31 failed attempts in the last 30 minutes",
            errorCount: 31, skippedDeliveries: nil)),
        .notificationSent(NotificationSent(webhookID: webhook, recipient: "owner@acme.example", attempt: 1)),
        .notificationFailed(NotificationFailed(
            webhookID: webhook, recipient: "owner@acme.example", attempt: 3, error: "421 try later",
            nextAttemptAt: at.adding(.seconds(120)))),
        .webhookEnabled(WebhookEnabled(webhookID: webhook, workspaceID: workspace, recover: true, recoveredDeliveries: nil)),
        .deliveriesRecovered(DeliveriesRecovered(webhookID: webhook, deliveries: [
            reference,
            DeliveryReference(deliveryID: DeliveryID("dlv_3"), eventID: EventID("evt_3"), eventType: .commentCreated,
                              eventSequence: .max),
        ])),
        .redeliveryRequested(RedeliveryRequested(webhookID: webhook, originalDeliveryID: DeliveryID("dlv_0"), delivery: reference)),
        .historyCompacted(HistoryCompacted(through: 41, before: at.adding(.seconds(-86_400)), expiredBeyondWindows: [
            HistoryCompacted.ExpiredSkips(webhookID: webhook, count: 3, next: QueuePosition(sequence: 40, index: 2)),
            HistoryCompacted.ExpiredSkips(webhookID: WebhookID("wh_gone"), count: .max, next: nil),
        ])),
        .webhookSecretRotated(WebhookSecretRotated(
            webhookID: webhook, secret: "whsec_bmV3IHNlY3JldA==", previousSecretEndsAt: at.adding(.seconds(86_400)))),
        .warningThresholdReached(WarningThresholdReached(workspaceID: workspace, errorCount: 20, warnAt: 20, errorLimit: 30)),
        .warningNotificationSent(WarningNotificationSent(workspaceID: workspace, recipient: "owner@acme.example", attempt: 2)),
        .warningNotificationFailed(WarningNotificationFailed(
            workspaceID: workspace, recipient: "owner@acme.example", attempt: 1, error: "454 TLS not available",
            nextAttemptAt: at.adding(.seconds(30)))),
        .operationsWebhookSet(OperationsWebhookSet(
            workspaceID: workspace, url: "https://ops.acme.example/in", secret: "whsec_b3BzIHNlY3JldA==")),
        .operationsWebhookRemoved(OperationsWebhookRemoved(workspaceID: workspace, discardedMessages: 3)),
        .operationsAttemptSucceeded(OperationsAttemptSucceeded(
            workspaceID: workspace, messageID: "op_42", number: 2, startedAt: at, durationMilliseconds: 87,
            statusCode: 204, responseSnippet: "ok")),
        .operationsAttemptFailed(OperationsAttemptFailed(
            workspaceID: workspace, messageID: "op_42", number: 1, startedAt: at, durationMilliseconds: 5_000,
            failure: .status(503), responseSnippet: "busy", nextAttemptAt: at.adding(.seconds(30)))),
        .operationsMessageDropped(OperationsMessageDropped(workspaceID: workspace, messageID: "op_42", reason: .attemptsFailed)),
    ]

    static let alternative: [Record] = alternativeFacts.enumerated().map { index, fact in
        Record(at: Timestamp(milliseconds: Int64(index) - 9), fact)
    }

    static let alternativeFacts: [Fact] = [
        .workspaceCreated(WorkspaceCreated(workspaceID: WorkspaceID(""), name: "", plan: .starter, ownerEmail: "")),
        .workspacePlanChanged(WorkspacePlanChanged(workspaceID: workspace, plan: .growth, ownerEmail: "a@b.c")),
        .apiKeyIssued(ApiKeyIssued(keyID: ApiKeyID("key_2"), workspaceID: workspace, keyHash: [], hint: "")),
        .apiKeyRevoked(ApiKeyRevoked(keyID: ApiKeyID(String(repeating: "k", count: 300)))),
        .webhookCreated(WebhookCreated(
            webhookID: webhook, workspaceID: workspace, url: "https://x.example", events: [.commentCreated], secret: "")),
        .webhookUpdated(WebhookUpdated(webhookID: webhook, url: "", events: [])),
        .webhookDeleted(WebhookDeleted(webhookID: WebhookID("wh_other"))),
        .eventReceived(EventReceived(
            eventID: EventID("evt_x"), workspaceID: workspace, type: .conversationClosed,
            occurredAt: Timestamp(milliseconds: .max), data: [], idempotencyKey: nil, deliveries: [])),
        .attemptSucceeded(AttemptSucceeded(
            deliveryID: delivery, webhookID: webhook, number: .max, startedAt: Timestamp(milliseconds: -62_135_596_800_000),
            durationMilliseconds: 0, statusCode: 299, responseSnippet: String(repeating: "ß", count: 512))),
        .attemptFailed(AttemptFailed(
            deliveryID: delivery, webhookID: webhook, number: 4, startedAt: at, durationMilliseconds: 5_000,
            failure: .error(.tooLarge), responseSnippet: "", nextAttemptAt: nil)),
        .deliveryDropped(DeliveryDropped(deliveryID: DeliveryID("dlv_x"), webhookID: WebhookID("wh_x"))),
        .deliverySkipped(DeliverySkipped(deliveryID: DeliveryID("dlv_y"), webhookID: WebhookID("wh_y"))),
        .webhookDisabled(WebhookDisabled(
            webhookID: webhook, workspaceID: workspace, reason: "", errorCount: -1, skippedDeliveries: .max)),
        .notificationSent(NotificationSent(webhookID: webhook, recipient: "", attempt: Int.min)),
        .notificationFailed(NotificationFailed(
            webhookID: webhook, recipient: "r@x.y", attempt: 1, error: "", nextAttemptAt: Timestamp(milliseconds: 0))),
        .webhookEnabled(WebhookEnabled(webhookID: webhook, workspaceID: workspace, recover: false, recoveredDeliveries: 0)),
        .deliveriesRecovered(DeliveriesRecovered(webhookID: webhook, deliveries: [])),
        .redeliveryRequested(RedeliveryRequested(
            webhookID: webhook, originalDeliveryID: delivery,
            delivery: DeliveryReference(deliveryID: DeliveryID("dlv_new"), eventID: event, eventType: .messageReceived,
                                        eventSequence: 0))),
        .historyCompacted(HistoryCompacted(through: .max, before: Timestamp(milliseconds: .min), expiredBeyondWindows: [])),
        .webhookSecretRotated(WebhookSecretRotated(webhookID: WebhookID("wh_r"), secret: "", previousSecretEndsAt: Timestamp(milliseconds: .min))),
        .warningThresholdReached(WarningThresholdReached(
            workspaceID: WorkspaceID(""), errorCount: .max, warnAt: .min, errorLimit: 0)),
        .warningNotificationSent(WarningNotificationSent(workspaceID: WorkspaceID("ws_x"), recipient: "", attempt: Int.min)),
        .warningNotificationFailed(WarningNotificationFailed(
            workspaceID: workspace, recipient: "", attempt: .max, error: "", nextAttemptAt: Timestamp(milliseconds: .max))),
        .operationsWebhookSet(OperationsWebhookSet(workspaceID: WorkspaceID(""), url: "", secret: "")),
        .operationsWebhookRemoved(OperationsWebhookRemoved(workspaceID: workspace, discardedMessages: 0)),
        .operationsAttemptSucceeded(OperationsAttemptSucceeded(
            workspaceID: workspace, messageID: "", number: .max, startedAt: Timestamp(milliseconds: .min),
            durationMilliseconds: 0, statusCode: 200, responseSnippet: "")),
        .operationsAttemptFailed(OperationsAttemptFailed(
            workspaceID: workspace, messageID: "op_1", number: 4, startedAt: at, durationMilliseconds: 0,
            failure: .error(.dns), responseSnippet: "", nextAttemptAt: nil)),
        .operationsMessageDropped(OperationsMessageDropped(workspaceID: workspace, messageID: "op_2", reason: .queueFull)),
    ]
}
