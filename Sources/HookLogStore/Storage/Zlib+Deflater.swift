import CZlib

extension Zlib {
    /// One zlib stream (RFC 1950) made from bytes handed over piece by piece: the stream ``compress(_:level:)`` would
    /// make of the pieces joined, without ever holding them joined. How a checkpoint compresses a state's JSON as it
    /// is written (``StateJSONWriter``).
    final class Deflater {
        /// zlib's stream state; allocated once, since zlib checks that the state it is handed back is the one it
        /// initialised.
        private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        /// Where each `deflate` call writes before its output is appended to ``compressed``.
        private var window = [UInt8](repeating: 0, count: 64 << 10)
        /// The stream so far.
        private(set) var compressed: [UInt8] = []
        /// How many bytes were handed over so far.
        private(set) var consumed = 0

        /// A stream at zlib's `level` (``Zlib/fastest`` for what is written again and again).
        init(level: Int32) throws(Failure) {
            stream.initialize(to: z_stream())
            let code = deflateInit_(stream, level, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
            guard code == Z_OK else {
                stream.deallocate()
                throw Failure(code: code, operation: "deflateInit")
            }
        }

        deinit {
            deflateEnd(stream)
            stream.deallocate()
        }

        /// Compresses `bytes` as the next piece of the stream.
        func append(_ bytes: [UInt8]) throws(Failure) {
            consumed += bytes.count
            try deflate(bytes, flush: Z_NO_FLUSH)
        }

        /// Ends the stream and gives it whole.
        func finish() throws(Failure) -> [UInt8] {
            try deflate([], flush: Z_FINISH)
            return compressed
        }

        /// Runs `deflate` over `bytes` until zlib has taken all of them (and, with `Z_FINISH`, ended the stream).
        private func deflate(_ bytes: [UInt8], flush: Int32) throws(Failure) {
            let code = bytes.withUnsafeBufferPointer { input -> Int32 in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.pointee.avail_in = uInt(input.count)
                while true {
                    let (code, produced) = window.withUnsafeMutableBufferPointer { output in
                        stream.pointee.next_out = output.baseAddress
                        stream.pointee.avail_out = uInt(output.count)
                        let code = CZlib.deflate(stream, flush)
                        return (code, output.count - Int(stream.pointee.avail_out))
                    }
                    compressed.append(contentsOf: window[..<produced])
                    guard code == Z_OK || code == Z_BUF_ERROR || code == Z_STREAM_END else { return code }
                    let done = flush == Z_FINISH ? code == Z_STREAM_END : stream.pointee.avail_out != 0
                    if done { return Z_OK }
                }
            }
            stream.pointee.next_in = nil
            guard code == Z_OK else { throw Failure(code: code, operation: "deflate") }
        }
    }
}
