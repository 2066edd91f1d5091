import Crypto

/// The key an index that derives keys (``NamedIndex/derivesKeys``) lists a name that is not a generated id under, and
/// the key storage format 5 listed every name under (``NamedIndex/formerKey(of:)``): the first 8 bytes of the SHA-256
/// of the name, big-endian, with the top bit cleared. A name whose key another name already holds is numbered in the
/// id table instead, with the top bit set (``IndexNaming``), so the two kinds of key never meet.
enum NameHash {
    /// The top bit, clear in hash keys and set in the numbers of names whose hash was taken.
    static let numberedBit: UInt64 = 1 << 63

    /// The hash key of `name`.
    static func key(of name: IndexedName) -> UInt64 {
        let digest = SHA256.hash(data: name.bytes)
        let prefix = digest.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self).bigEndian }
        return prefix & ~numberedBit
    }
}
