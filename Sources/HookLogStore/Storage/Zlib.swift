import CZlib

/// The only code that calls zlib: one-shot compression of an archive segment's body, a checkpoint's state compressed
/// as it is written (``Deflater``), and CRC-32.
enum Zlib {
    /// zlib's fastest level: about half the time of the default for a state snapshot's JSON, at 5 to 6 times smaller
    /// instead of 7.
    static let fastest = Z_BEST_SPEED

    /// A failed zlib call: the code it returned and the function that returned it.
    struct Failure: Error, CustomStringConvertible {
        /// zlib's return code, one of its `Z_*` codes.
        let code: Int32
        /// The zlib function that failed, such as `uncompress`.
        let operation: String

        /// `"<operation>: <zlib's text for the code>"`, such as `uncompress: data error`.
        var description: String {
            "\(operation): \(String(cString: zError(code)))"
        }
    }

    /// `bytes` as one zlib stream (RFC 1950), at zlib's default `level` unless told otherwise (``fastest`` for what
    /// is written again and again).
    static func compress(_ bytes: [UInt8], level: Int32 = Z_DEFAULT_COMPRESSION) throws(Failure) -> [UInt8] {
        var length = compressBound(uLong(bytes.count))
        var stream = [UInt8](repeating: 0, count: Int(length))
        let code = stream.withUnsafeMutableBufferPointer { output in
            bytes.withUnsafeBufferPointer { input in
                compress2(output.baseAddress, &length, input.baseAddress, uLong(input.count), level)
            }
        }
        guard code == Z_OK else { throw Failure(code: code, operation: "compress2") }
        stream.removeSubrange(Int(length)...)
        return stream
    }

    /// The `count` bytes that the zlib stream `stream` holds; a damaged stream, or one that holds more or fewer
    /// bytes, is an error.
    static func decompress(_ stream: UnsafeRawBufferPointer, count: Int) throws(Failure) -> [UInt8] {
        var length = uLong(count)
        var bytes = [UInt8](repeating: 0, count: count)
        let code = bytes.withUnsafeMutableBufferPointer { output in
            let input = stream.baseAddress?.assumingMemoryBound(to: Bytef.self)
            return uncompress(output.baseAddress, &length, input, uLong(stream.count))
        }
        guard code == Z_OK else { throw Failure(code: code, operation: "uncompress") }
        guard length == count else { throw Failure(code: Z_DATA_ERROR, operation: "uncompress") }
        return bytes
    }

    /// The CRC-32 of `bytes`.
    static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        UInt32(crc32_z(0, bytes.baseAddress?.assumingMemoryBound(to: Bytef.self), bytes.count))
    }
}
