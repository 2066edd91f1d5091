import HTTPTypes
import HookLogCore
@testable import HookLogServer
@testable import HookLogStore
import HookLogTestSupport
import Synchronization
import Testing

@Suite("Watching the disk against the reserve")
struct DiskWatchTests {
    /// A disk whose free space the test sets, counting how often it is measured.
    final class Disk: Sendable {
        private let state = Mutex((free: UInt64(0), measures: 0, fails: false))

        var free: UInt64 {
            get { state.withLock(\.free) }
            set { state.withLock { $0.free = newValue } }
        }

        var fails: Bool {
            get { state.withLock(\.fails) }
            set { state.withLock { $0.fails = newValue } }
        }

        var measures: Int { state.withLock(\.measures) }

        func measure() throws -> DiskUsage {
            try state.withLock { state in
                guard !state.fails else { throw DataDirectoryError.unreadable(path: "/data", reason: "statvfs failed") }
                state.measures += 1
                return DiskUsage(freeBytes: state.free, dataFileBytes: 4096)
            }
        }
    }

    let clock = ManualClock()
    let disk = Disk()

    func watch(reserve: UInt64) -> DiskWatch {
        let (clock, disk) = (clock, disk)
        return DiskWatch(reserve: DiskReserve(directory: "/data", size: ByteSize(bytes: reserve)), now: { clock.now }) {
            try disk.measure()
        }
    }

    @Test("far above the reserve, a measure serves for a second of the server's time, then the disk is measured again")
    func aMeasureServesForASecond() throws {
        let watch = watch(reserve: 1 << 20)
        disk.free = 1 << 30
        #expect(watch.status()?.usage.freeBytes == 1 << 30)
        disk.free = 1 << 29
        clock.advance(by: .milliseconds(999))
        #expect(watch.status()?.usage.freeBytes == 1 << 30)
        #expect(disk.measures == 1)
        clock.advance(by: .milliseconds(1))
        #expect(watch.status()?.usage.freeBytes == 1 << 29)
        #expect(disk.measures == 2)
    }

    @Test("within 64 MiB (or the reserve's size) of the reserve, every question measures, so a burst cannot pass it")
    func closeToTheReserveEveryQuestionMeasures() throws {
        let watch = watch(reserve: 8 << 20)
        disk.free = (8 << 20) + (64 << 20) - 1
        for _ in 0..<3 { try watch.admitIngest() }
        #expect(disk.measures == 3)
        disk.free = (8 << 20) - 1
        #expect(throws: APIError.self) { try watch.admitIngest() }
        #expect(watch.status()?.isLow == true)

        let large = self.watch(reserve: 1 << 30)
        disk.free = (1 << 30) + (512 << 20)
        let before = disk.measures
        _ = large.status()
        _ = large.status()
        #expect(disk.measures == before + 2, "a 1 GiB reserve is watched closely from 2 GiB free down")
    }

    @Test("below the reserve ingest is refused with 507, and admitted again by the first request after space is freed")
    func refusedUntilSpaceIsFreed() throws {
        let watch = watch(reserve: 8 << 20)
        disk.free = 3 << 20
        let refusal = #expect(throws: APIError.self) { try watch.admitIngest() }
        #expect(refusal?.status.code == 507)
        #expect(refusal?.code == "insufficient_storage")
        #expect(refusal?.message.contains("only 3 MiB is free") == true, "\(refusal?.message ?? "")")
        #expect(refusal?.message.contains("8 MiB reserve (--min-free-disk)") == true)
        #expect(refusal?.message.contains("deliveries already owed go on") == true)
        disk.free = 100 << 20
        try watch.admitIngest()
    }

    @Test("a reserve of zero refuses nothing, and a disk that cannot be measured refuses nothing either")
    func offOrUnmeasurable() throws {
        disk.free = 0
        try watch(reserve: 0).admitIngest()
        #expect(watch(reserve: 0).status()?.isLow == false)
        disk.fails = true
        let unmeasured = watch(reserve: 8 << 20)
        try unmeasured.admitIngest()
        #expect(unmeasured.status() == nil)
    }

    @Test("when the disk stops answering, the last measure stands")
    func theLastMeasureStands() throws {
        let watch = watch(reserve: 8 << 20)
        disk.free = 1 << 20
        #expect(watch.status()?.isLow == true)
        disk.fails = true
        #expect(watch.status()?.usage.freeBytes == 1 << 20)
        #expect(throws: APIError.self) { try watch.admitIngest() }
    }
}
