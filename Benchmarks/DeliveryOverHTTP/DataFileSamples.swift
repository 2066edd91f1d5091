import Foundation
import Synchronization

/// Sizes of a server's data file sampled during a run, in order.
final class DataFileSamples: Sendable {
    private let sizes = Mutex<[UInt64]>([])

    /// Notes the space the data file of the data directory `directory` occupies on disk now.
    func sample(dataDirectory directory: String) {
        var file = stat()
        let bytes = stat(directory + "/data.mdb", &file) == 0 ? UInt64(file.st_blocks) * 512 : 0
        sizes.withLock { $0.append(bytes) }
    }

    /// The largest sample of the middle third of the run and of the last third.
    func thirds() -> (middle: UInt64, last: UInt64) {
        let sizes = sizes.withLock { $0 }
        let third = sizes.count / 3
        guard third > 0 else { return (sizes.max() ?? 0, sizes.max() ?? 0) }
        return (sizes[third..<(2 * third)].max() ?? 0, sizes[(2 * third)...].max() ?? 0)
    }
}
