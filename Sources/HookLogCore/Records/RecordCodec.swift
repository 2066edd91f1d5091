/// The one encoding path of log records: a format version byte, a type tag, the time, then the fact's fields.
///
/// Tags are fixed forever; a new fact gets a new tag, and a changed layout a new format version.
public enum RecordCodec {
    /// The record format this build writes and reads.
    public static let formatVersion: UInt8 = 1

    /// Encodes a record.
    public static func encode(_ record: Record) -> [UInt8] {
        var writer = BinaryWriter()
        writer.write(formatVersion)
        switch record.fact {
        case .workspaceCreated(let fact): encode(1, record.at, fact, into: &writer)
        case .workspacePlanChanged(let fact): encode(2, record.at, fact, into: &writer)
        case .apiKeyIssued(let fact): encode(3, record.at, fact, into: &writer)
        case .apiKeyRevoked(let fact): encode(4, record.at, fact, into: &writer)
        case .webhookCreated(let fact): encode(5, record.at, fact, into: &writer)
        case .webhookUpdated(let fact): encode(6, record.at, fact, into: &writer)
        case .webhookDeleted(let fact): encode(7, record.at, fact, into: &writer)
        case .eventReceived(let fact): encode(8, record.at, fact, into: &writer)
        case .attemptSucceeded(let fact): encode(9, record.at, fact, into: &writer)
        case .attemptFailed(let fact): encode(10, record.at, fact, into: &writer)
        case .deliveryDropped(let fact): encode(11, record.at, fact, into: &writer)
        case .deliverySkipped(let fact): encode(12, record.at, fact, into: &writer)
        case .webhookDisabled(let fact): encode(13, record.at, fact, into: &writer)
        case .notificationSent(let fact): encode(14, record.at, fact, into: &writer)
        case .notificationFailed(let fact): encode(15, record.at, fact, into: &writer)
        case .webhookEnabled(let fact): encode(16, record.at, fact, into: &writer)
        case .deliveriesRecovered(let fact): encode(17, record.at, fact, into: &writer)
        case .redeliveryRequested(let fact): encode(18, record.at, fact, into: &writer)
        }
        return writer.bytes
    }

    private static func encode(_ tag: UInt8, _ at: Timestamp, _ fact: some BinaryCodable, into writer: inout BinaryWriter) {
        writer.write(tag)
        writer.write(at)
        writer.write(fact)
    }

    /// Decodes a record; an unknown version or tag, or bytes that do not parse to the end, are errors.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(DecodingFailure) -> Record {
        var reader = BinaryReader(bytes)
        let version = try reader.readByte()
        guard version == formatVersion else { throw .unsupportedVersion(version) }
        let tag = try reader.readByte()
        let at: Timestamp = try reader.read()
        let fact: Fact
        switch tag {
        case 1: fact = .workspaceCreated(try reader.read())
        case 2: fact = .workspacePlanChanged(try reader.read())
        case 3: fact = .apiKeyIssued(try reader.read())
        case 4: fact = .apiKeyRevoked(try reader.read())
        case 5: fact = .webhookCreated(try reader.read())
        case 6: fact = .webhookUpdated(try reader.read())
        case 7: fact = .webhookDeleted(try reader.read())
        case 8: fact = .eventReceived(try reader.read())
        case 9: fact = .attemptSucceeded(try reader.read())
        case 10: fact = .attemptFailed(try reader.read())
        case 11: fact = .deliveryDropped(try reader.read())
        case 12: fact = .deliverySkipped(try reader.read())
        case 13: fact = .webhookDisabled(try reader.read())
        case 14: fact = .notificationSent(try reader.read())
        case 15: fact = .notificationFailed(try reader.read())
        case 16: fact = .webhookEnabled(try reader.read())
        case 17: fact = .deliveriesRecovered(try reader.read())
        case 18: fact = .redeliveryRequested(try reader.read())
        default: throw .malformed("unknown record type tag \(tag)")
        }
        guard reader.isAtEnd else { throw .malformed("trailing bytes after \(fact.typeName)") }
        return Record(at: at, fact)
    }

    /// Whether `bytes` encode a record that creates a delivery (`EventReceived`, `RedeliveryRequested`), read from
    /// the header alone, so that a reader looking for deliveries passes over the other records undecoded.
    public static func createsDeliveries(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 2 && bytes[0] == formatVersion && (bytes[1] == 8 || bytes[1] == 18)
    }

    /// Whether `bytes` encode a `DeliveriesRecovered`, read from the header alone. Such a record can list every
    /// delivery a webhook skipped while disabled, so that a reader that needs it for one of them passes over it
    /// undecoded.
    public static func isDeliveriesRecovered(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 2 && bytes[0] == formatVersion && bytes[1] == 17
    }

    /// Decodes a record held in an array.
    public static func decode(_ bytes: [UInt8]) throws(DecodingFailure) -> Record {
        do {
            return try bytes.withUnsafeBytes { buffer in try decode(buffer) }
        } catch let failure as DecodingFailure {
            throw failure
        } catch {
            fatalError("unreachable: decode throws only DecodingFailure")
        }
    }
}
