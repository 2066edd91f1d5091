/// The one encoding path of log records: a format version byte, a type tag, the time, then the fact's fields.
///
/// Tags are fixed forever; a new fact gets a new tag, and a changed layout a new format version, whose decoders
/// read every older version too (``BinaryReader/recordFormat``). Version 2 added `WebhookDisabled.skippedDeliveries`
/// and `WebhookEnabled.recoveredDeliveries`; version 3 packs generated ids into 13 bytes (``PackedIdentifier``);
/// version 4 added the format and rate limit to `WebhookCreated` and `WebhookUpdated`.
public enum RecordCodec {
    /// The record format this build writes.
    public static let formatVersion: UInt8 = 4
    /// The record formats this build reads.
    public static let readableFormats: ClosedRange<UInt8> = 1...formatVersion

    /// Encodes a record.
    public static func encode(_ record: Record) -> [UInt8] {
        var writer = BinaryWriter()
        writer.write(formatVersion)
        encode(record.fact.payload, at: record.at, into: &writer)
        return writer.bytes
    }

    private static func encode<Payload: FactPayload>(_ payload: Payload, at: Timestamp, into writer: inout BinaryWriter) {
        writer.write(Payload.tag.rawValue)
        writer.write(at)
        writer.write(payload)
    }

    /// Decodes a record; an unknown version or tag, or bytes that do not parse to the end, are errors.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(DecodingFailure) -> Record {
        var reader = BinaryReader(bytes)
        let version = try reader.readByte()
        guard readableFormats.contains(version) else { throw .unsupportedVersion(version) }
        reader.recordFormat = version
        let tagByte = try reader.readByte()
        let at: Timestamp = try reader.read()
        guard let tag = FactTag(rawValue: tagByte) else { throw .malformed("unknown record type tag \(tagByte)") }
        let fact = try tag.decodeFact(from: &reader)
        guard reader.isAtEnd else { throw .malformed("trailing bytes after \(fact.typeName)") }
        return Record(at: at, fact)
    }

    /// Whether `bytes` encode a record that creates a delivery (`EventReceived`, `RedeliveryRequested`), read from
    /// the header alone, so that a reader looking for deliveries passes over the other records undecoded.
    public static func createsDeliveries(_ bytes: UnsafeRawBufferPointer) -> Bool {
        switch headerTag(bytes) {
        case .eventReceived, .redeliveryRequested: true
        default: false
        }
    }

    /// Whether `bytes` encode a `DeliveriesRecovered`, read from the header alone. Such a record can list every
    /// delivery a webhook skipped while disabled, so that a reader that needs it for one of them passes over it
    /// undecoded.
    public static func isDeliveriesRecovered(_ bytes: UnsafeRawBufferPointer) -> Bool {
        headerTag(bytes) == .deliveriesRecovered
    }

    /// The time in a record's header, the rest left undecoded; nil for bytes that do not start a readable record.
    public static func headerTime(_ bytes: UnsafeRawBufferPointer) -> Timestamp? {
        var reader = BinaryReader(bytes)
        guard let version = try? reader.readByte(), readableFormats.contains(version), (try? reader.readByte()) != nil
        else { return nil }
        return try? reader.read()
    }

    /// The tag in a record's header, the rest left undecoded; nil for an unreadable format version or an unknown tag.
    private static func headerTag(_ bytes: UnsafeRawBufferPointer) -> FactTag? {
        bytes.count >= 2 && readableFormats.contains(bytes[0]) ? FactTag(rawValue: bytes[1]) : nil
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
