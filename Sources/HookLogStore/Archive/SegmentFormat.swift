/// The layout of an archive segment file: its one encoder, and its decoder, which verifies everything it reads.
///
/// A segment holds records that compaction removed from the log, in ascending sequence order. Numbers are
/// big-endian:
///
/// | offset | bytes | field |
/// |---|---|---|
/// | 0 | 4 | magic: `HLAR` |
/// | 4 | 1 | format version: 1 |
/// | 5 | 8 | first sequence |
/// | 13 | 8 | last sequence |
/// | 21 | 8 | record count |
/// | 29 | 8 | length of the body, uncompressed |
/// | 37 | 8 | length of the body, compressed: n |
/// | 45 | n | the body, compressed as one zlib stream (RFC 1950) |
/// | 45 + n | 4 | CRC-32 of the 45 + n bytes before it: the header and the compressed body |
///
/// The body is, for each record, its sequence (8 bytes), the length of its bytes (4 bytes), then its bytes exactly
/// as the log stored them. The records of one segment need not be consecutive: compaction leaves some in the log.
///
/// The checksum covers the bytes as written, so a segment is verified before anything is decompressed: a flipped
/// byte anywhere, the checksum's own included, is a checksum mismatch, and a file shorter than its header announces
/// is truncated. zlib's own Adler-32 checks the decompressed body once more.
enum SegmentFormat {
    /// The bytes every segment starts with.
    static let magic: [UInt8] = Array("HLAR".utf8)
    /// The format version this build writes and reads.
    static let version: UInt8 = 1
    /// The bytes before the compressed body.
    static let headerSize = 45
    /// The bytes of the CRC-32 after the compressed body.
    static let checksumSize = 4
    /// The bytes before each record's own in the body: its sequence and its length.
    private static let entryHeaderSize = 12

    /// A segment file holding `records`, which are in strictly ascending sequence order and not empty.
    static func encode(_ records: [ArchivedRecord]) throws(Zlib.Failure) -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(records.reduce(0) { $0 + entryHeaderSize + $1.bytes.count })
        for record in records {
            appendBigEndian(record.sequence, to: &body)
            appendBigEndian(UInt32(record.bytes.count), to: &body)
            body += record.bytes
        }
        let compressed = try Zlib.compress(body)
        var file = magic + [version]
        file.reserveCapacity(headerSize + compressed.count + checksumSize)
        for field in [records[0].sequence, records[records.count - 1].sequence, UInt64(records.count)] {
            appendBigEndian(field, to: &file)
        }
        appendBigEndian(UInt64(body.count), to: &file)
        appendBigEndian(UInt64(compressed.count), to: &file)
        file += compressed
        appendBigEndian(file.withUnsafeBytes(Zlib.crc32), to: &file)
        return file
    }

    /// The records of `file`, the contents of `segment`, after checking its magic, version, length and checksum, that
    /// its header agrees with its name, and that its body holds what its header says, in ascending order.
    static func decode(_ file: [UInt8], of segment: ArchiveSegment) throws(ArchiveError) -> [ArchivedRecord] {
        let path = segment.path
        let header = try verifiedHeader(of: file, in: path)
        guard header.first == segment.firstSequence, header.last == segment.lastSequence else {
            throw .malformed(
                path, reason: "its header covers records \(header.first) to \(header.last), its name others")
        }
        let body: [UInt8]
        do {
            body = try file.withUnsafeBytes { bytes in
                try Zlib.decompress(
                    UnsafeRawBufferPointer(rebasing: bytes[headerSize..<file.count - checksumSize]),
                    count: Int(header.bodySize))
            }
        } catch {
            throw .malformed(path, reason: "its body does not decompress to \(header.bodySize) bytes (\(error))")
        }
        let records = try entries(of: body, in: path)
        guard UInt64(records.count) == header.count, records.first?.sequence == header.first,
            records.last?.sequence == header.last
        else { throw .malformed(path, reason: "its body disagrees with its header's range or count") }
        return records
    }

    /// What a segment's header says.
    private struct Header {
        var first: UInt64
        var last: UInt64
        var count: UInt64
        var bodySize: UInt64
    }

    /// The header of `file`, once its magic, version and length are right and its checksum matches.
    private static func verifiedHeader(of file: [UInt8], in path: String) throws(ArchiveError) -> Header {
        let minimum = headerSize + checksumSize
        guard file.count > magic.count else { throw .truncated(path, bytes: file.count, expected: UInt64(minimum)) }
        guard file.starts(with: magic) else { throw .badMagic(path) }
        guard file[magic.count] == version else { throw .unknownVersion(path, file[magic.count]) }
        guard file.count >= minimum else { throw .truncated(path, bytes: file.count, expected: UInt64(minimum)) }
        let announced = bigEndian(file, at: 37, as: UInt64.self).addingReportingOverflow(UInt64(minimum))
        guard !announced.overflow, announced.partialValue <= UInt64(file.count) else {
            throw .truncated(path, bytes: file.count, expected: announced.overflow ? .max : announced.partialValue)
        }
        guard announced.partialValue == UInt64(file.count) else {
            throw .malformed(path, reason: "\(UInt64(file.count) - announced.partialValue) bytes follow its checksum")
        }
        let checked = file.count - checksumSize
        guard file.withUnsafeBytes({ Zlib.crc32(UnsafeRawBufferPointer(rebasing: $0[..<checked])) })
            == bigEndian(file, at: checked, as: UInt32.self)
        else { throw .checksumMismatch(path) }
        return Header(
            first: bigEndian(file, at: 5, as: UInt64.self), last: bigEndian(file, at: 13, as: UInt64.self),
            count: bigEndian(file, at: 21, as: UInt64.self), bodySize: bigEndian(file, at: 29, as: UInt64.self))
    }

    /// The records a decompressed body lists, checked to be whole and in strictly ascending sequence order.
    private static func entries(of body: [UInt8], in path: String) throws(ArchiveError) -> [ArchivedRecord] {
        var records: [ArchivedRecord] = []
        var offset = 0
        while offset < body.count {
            guard body.count - offset >= entryHeaderSize else {
                throw .malformed(path, reason: "its body ends inside a record's header")
            }
            let sequence = bigEndian(body, at: offset, as: UInt64.self)
            let length = Int(bigEndian(body, at: offset + 8, as: UInt32.self))
            offset += entryHeaderSize
            guard body.count - offset >= length else {
                throw .malformed(path, reason: "its body ends inside record \(sequence)")
            }
            if let previous = records.last?.sequence, sequence <= previous {
                throw .malformed(path, reason: "record \(sequence) follows record \(previous)")
            }
            records.append(ArchivedRecord(sequence: sequence, bytes: Array(body[offset..<offset + length])))
            offset += length
        }
        return records
    }

    private static func appendBigEndian(_ value: some FixedWidthInteger, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes += $0 }
    }

    private static func bigEndian<T: FixedWidthInteger>(_ bytes: [UInt8], at offset: Int, as type: T.Type) -> T {
        bytes.withUnsafeBytes { T(bigEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
    }
}
