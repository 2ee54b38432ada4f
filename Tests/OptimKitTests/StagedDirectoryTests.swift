@testable import OptimIO
@testable import OptimKit
@testable import OptimKernels
@testable import OptimData
@testable import OptimTraining
@testable import OptimPlot
@testable import OptimNotebook
@testable import OptimBook
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The page-and-figures set in-process: staged beside the target, swapped in whole, locked.
@Suite struct StagedDirectoryTests {
    static func parentFolder() throws -> String {
        let path = NSTemporaryDirectory() + "optimkit-staged-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func contents(_ directory: String) -> [String: String] {
        var files = [String: String]()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            files[name] = (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)) ?? "?"
        }
        return files
    }

    @Test func theNewSetReplacesTheOldOneAndKeepsOtherFiles() throws {
        let parent = try Self.parentFolder()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let target = parent + "/out"
        let first = try StagedDirectory(target)
        try first.write(Data("old page".utf8), name: "README.md")
        try first.write(Data("old a".utf8), name: "a.svg")
        try first.commit()
        try Data("mine".utf8).write(to: URL(fileURLWithPath: target + "/notes.txt"))

        let second = try StagedDirectory(target)
        try second.write(Data("new page".utf8), name: "README.md")
        try second.write(Data("new a".utf8), name: "a.svg")
        // Before the commit the target still holds the old set.
        #expect(Self.contents(target) == ["README.md": "old page", "a.svg": "old a", "notes.txt": "mine"])
        try second.commit()
        #expect(Self.contents(target) == ["README.md": "new page", "a.svg": "new a", "notes.txt": "mine"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["out"])
    }

    @Test func anAbandonedSetLeavesTheOldOneAndNoStaging() throws {
        let parent = try Self.parentFolder()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let target = parent + "/out"
        let first = try StagedDirectory(target)
        try first.write(Data("old".utf8), name: "README.md")
        try first.commit()
        do {
            let second = try StagedDirectory(target)
            try second.write(Data("half".utf8), name: "a.svg")
            // dropped without commit
        }
        #expect(Self.contents(target) == ["README.md": "old"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["out"])
    }

    @Test func aLiveHolderIsRefusedAndTheLockEndsWithTheHolder() throws {
        let parent = try Self.parentFolder()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let target = parent + "/out"
        do {
            let holder = try StagedDirectory(target)
            #expect(throws: StagedDirectory.LockedByAnotherRun.self) { _ = try StagedDirectory(target) }
            holder.abandon()
        }
        // The holder is gone: the directory can be taken again.
        let next = try StagedDirectory(target)
        try next.commit()
    }

    @Test func aSymbolicLinkIsFollowedAndKept() throws {
        let parent = try Self.parentFolder()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        try FileManager.default.createDirectory(atPath: parent + "/real", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: parent + "/link", withDestinationPath: parent + "/real")
        let set = try StagedDirectory(parent + "/link")
        try set.write(Data("page".utf8), name: "README.md")
        try set.commit()
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: parent + "/link") == parent + "/real")
        #expect(Self.contents(parent + "/real") == ["README.md": "page"])
    }

    /// Killed between the two renames of the fallback swap: the next run puts the old set back.
    @Test func anInterruptedFallbackSwapIsRestored() throws {
        let parent = try Self.parentFolder()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        var dead: Int32 = 2_000_000_000
        while kill(dead, 0) == 0 || errno != ESRCH { dead -= 1 }
        try FileManager.default.createDirectory(atPath: parent + "/.out.old-\(dead)", withIntermediateDirectories: true)
        try Data("old".utf8).write(to: URL(fileURLWithPath: parent + "/.out.old-\(dead)/README.md"))
        let set = try StagedDirectory(parent + "/out")
        #expect(Self.contents(parent + "/out") == ["README.md": "old"])
        set.abandon()
    }

    /// The one-step exchange swaps two directories, or says with errno why this system cannot
    /// (then `commit` takes the two-rename path, tested above through its recovery).
    @Test func theExchangeSwapsOrExplains() throws {
        let parent = try Self.parentFolder()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        try FileManager.default.createDirectory(atPath: parent + "/a", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: parent + "/b", withIntermediateDirectories: true)
        try Data("in a".utf8).write(to: URL(fileURLWithPath: parent + "/a/x"))
        if StagedDirectory.exchange(parent + "/a", parent + "/b") {
            #expect(FileManager.default.fileExists(atPath: parent + "/b/x"))
            #expect(!FileManager.default.fileExists(atPath: parent + "/a/x"))
        } else {
            #expect([ENOSYS, EINVAL, ENOTSUP].contains(errno), "\(errno)")
        }
    }
}
