import Foundation
import HookLogStore
import HookLogTestSupport
import Testing

@Suite("Data directory")
struct DataDirectoryTests {
    @Test func createMakesTheDirectoryAndItsParentsWithMode0700() async throws {
        try await withTemporaryDirectory { root in
            let path = root + "/var/lib/hooklog"
            try DataDirectory.create(at: path)
            #expect(try permissions(of: path) == 0o700)
            #expect(FileManager.default.fileExists(atPath: root + "/var/lib"))
        }
    }

    @Test func createLeavesAnExistingDirectoryAlone() async throws {
        try await withTemporaryDirectory { root in
            let path = root + "/data"
            try DataDirectory.create(at: path)
            try FileManager.default.setAttributes([.posixPermissions: 0o750], ofItemAtPath: path)
            try Data("kept".utf8).write(to: URL(fileURLWithPath: path + "/note"))
            try DataDirectory.create(at: path)
            #expect(try permissions(of: path) == 0o750)
            #expect(FileManager.default.fileExists(atPath: path + "/note"))
        }
    }

    @Test func createRefusesAPathThroughAFile() async throws {
        try await withTemporaryDirectory { root in
            try Data().write(to: URL(fileURLWithPath: root + "/file"))
            #expect(throws: DataDirectoryError.notADirectory(path: root + "/file")) {
                try DataDirectory.create(at: root + "/file/data")
            }
        }
    }

    @Test func aSecondLockOnTheSameDirectoryIsRefusedNamingTheHolder() async throws {
        try await withTemporaryDirectory { directory in
            let first = try DataDirectoryLock(directory: directory)
            let pid = getpid()
            let error = #expect(throws: DataDirectoryError.inUse(path: directory, pid: pid)) {
                try DataDirectoryLock(directory: directory)
            }
            #expect(error?.description == "data directory \(directory) is in use by another hooklog process (pid \(pid))")
            #expect(first.directory == directory)
            let recorded = try String(contentsOfFile: directory + "/hooklog.lock", encoding: .utf8)
            #expect(recorded == "\(pid)\n")
        }
    }

    @Test func theLockIsFreeAgainOnceItsHolderIsGone() async throws {
        try await withTemporaryDirectory { directory in
            do {
                let first = try DataDirectoryLock(directory: directory)
                #expect(first.directory == directory)
            }
            let second = try DataDirectoryLock(directory: directory)
            #expect(second.directory == directory)
        }
    }

    @Test func aLockNeedsAnExistingDirectory() async throws {
        try await withTemporaryDirectory { root in
            let error = #expect(throws: DataDirectoryError.missing(path: root + "/absent")) {
                try DataDirectoryLock(directory: root + "/absent")
            }
            #expect(error?.description == "data directory \(root)/absent does not exist")
        }
    }

    @Test func checkReadableSaysWhatIsWrong() async throws {
        try await withTemporaryDirectory { root in
            #expect(throws: DataDirectoryError.missing(path: root + "/absent")) {
                try DataDirectory.checkReadable(root + "/absent")
            }
            try Data().write(to: URL(fileURLWithPath: root + "/file"))
            #expect(throws: DataDirectoryError.notADirectory(path: root + "/file")) {
                try DataDirectory.checkReadable(root + "/file")
            }
            let empty = #expect(throws: DataDirectoryError.self) {
                try DataDirectory.checkReadable(root)
            }
            #expect(empty?.description == "data directory \(root) cannot be used: it holds no HookLog log (no data.mdb)")
            _ = try LMDBEnvironment(directory: root)
            try DataDirectory.checkReadable(root)
        }
    }
}

/// The permission bits of the file at `path`.
private func permissions(of path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}
