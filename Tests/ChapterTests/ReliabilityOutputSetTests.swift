import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
@testable import BookChapters
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The page and its figures are one set: a run replaces the whole set or nothing, leaves
/// no temporary file behind, cleans up after a killed earlier run, and never shares a
/// directory with another live run.
@Suite struct ReliabilityOutputSetTests {
    static let target = "Ch11_3_GradientDescent"

    /// Every file of `directory` with its bytes (hidden ones included).
    static func snapshot(_ directory: String) -> [String: Data] {
        var files = [String: Data]()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            files[name] = FileManager.default.contents(atPath: directory + "/" + name)
        }
        return files
    }

    /// A fresh parent folder with the chapter's complete page in `<parent>/out`, written with `--eta 0.1`.
    static func completeOldSet() throws -> (parent: String, directory: String, files: [String: Data]) {
        let parent = ChapterExecutable.temporaryPath("set")
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        let directory = parent + "/out"
        let r = try ChildProcess.run(ReliabilityStreamTests.executable(target), ["--output", directory, "--eta", "0.1"])
        #expect(r.status == 0, "\(r.stderr)")
        let files = snapshot(directory)
        #expect(files.keys.contains("your-run.svg") && files.keys.contains("README.md"))
        return (parent, directory, files)
    }

    static func hiddenEntries(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix(".") }.sorted()
    }

    /// A write that fails half-way through the set (the file-size limit is hit at the first
    /// large figure): the old set stays exactly as it was and nothing else is left.
    /// Before whole-set replacement, SIGXFSZ killed the run inside a Foundation write and left
    /// a partial `.dat.nosync…` file, or new figures beside the old page.
    @Test func aWriteCutShortLeavesTheOldSetAndNoTemporaries() throws {
        let (parent, directory, old) = try Self.completeOldSet()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        // 16 blocks of 512 bytes: the small figures fit, the page and the large figures do not.
        let r = try ChildProcess.runInShell("ulimit -f 16; exec \"$0\" \"$@\"", ReliabilityStreamTests.executable(Self.target),
                                            ["--output", directory, "--eta", "0.3"], stdout: .file("/dev/null"))
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("\(Self.target): error: "), "\(r.stderr)")
        #expect(r.stderr.contains("File too large"), "\(r.stderr)")
        #expect(Self.snapshot(directory) == old, "the old set was changed")
        #expect(Self.hiddenEntries(parent).isEmpty, "left in the parent: \(Self.hiddenEntries(parent))")
        #expect(Self.hiddenEntries(directory).isEmpty, "left in the output: \(Self.hiddenEntries(directory))")
    }

    /// Debris of killed earlier runs (a partial Foundation temporary, temporary files of a
    /// dead process, the staging directory of a dead process) is removed by the next run.
    @Test func aRunCleansUpAfterKilledRuns() throws {
        let (parent, directory, _) = try Self.completeOldSet()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let dead = Self.deadProcessID()
        let debris = [directory + "/.dat.nosync1d2c.Xy7Q9a", directory + "/.gd-2d.svg.tmp-\(dead)",
                      directory + "/.README.md.tmp-\(dead)", parent + "/.out.staging-\(dead)/gd-2d.svg"]
        for path in debris {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try Data("partial <svg".utf8).write(to: URL(fileURLWithPath: path))
        }
        let r = try ChildProcess.run(ReliabilityStreamTests.executable(Self.target), ["--output", directory])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.hiddenEntries(parent).isEmpty, "left in the parent: \(Self.hiddenEntries(parent))")
        #expect(Self.hiddenEntries(directory).isEmpty, "left in the output: \(Self.hiddenEntries(directory))")
    }

    /// A process id that no process has (checked), for debris "left by a killed run".
    static func deadProcessID() -> Int32 {
        var candidate: Int32 = 2_000_000_000
        while kill(candidate, 0) == 0 || errno != ESRCH { candidate -= 1 }
        return candidate
    }

    /// A directory locked by a live run (here: this test, with `flock` on the directory, the
    /// lock every run takes) is refused at once with a message; its files are untouched.
    @Test func aDirectoryHeldByAnotherRunIsRefused() throws {
        let (parent, directory, old) = try Self.completeOldSet()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let fd = open(directory, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        try #require(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let r = try ChildProcess.run(ReliabilityStreamTests.executable(Self.target), ["--output", directory, "--eta", "0.3"])
        #expect(r.status == 1)
        #expect(r.stderr == "\(Self.target): error: \(directory): another run is writing this directory; wait until it has finished or choose another --output\n")
        #expect(r.stdout.isEmpty)
        #expect(Self.snapshot(directory) == old)
        #expect(Self.hiddenEntries(parent).isEmpty)
    }

    /// SIGTERM while the chapter computes: the process ends with the signal, the old set
    /// stays, and its staging directory is gone.
    @Test func terminatedWhileComputing() throws {
        let (parent, directory, old) = try Self.completeOldSet()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let child = try ChildProcess.start(ReliabilityStreamTests.executable("Ch11_11_LRScheduling"),
                                           ["--output", directory, "--epochs", "2"])
        // Wait for the first printed line: the run has started and holds its directory.
        var waited = 0
        while child.captured("stdout").isEmpty && waited < 6000 { usleep(10_000); waited += 1 }
        child.signal(SIGTERM)
        let r = child.wait()
        #expect(r.status == 128 + SIGTERM)
        #expect(Self.snapshot(directory) == old)
        #expect(Self.hiddenEntries(parent).isEmpty, "left in the parent: \(Self.hiddenEntries(parent))")
    }

    /// Two runs one after the other into one directory: the second set replaces the first
    /// whole, including its own figure that the first run did not have.
    @Test func aSecondRunReplacesTheWholeSet() throws {
        let (parent, directory, old) = try Self.completeOldSet()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let r = try ChildProcess.run(ReliabilityStreamTests.executable(Self.target), ["--output", directory, "--eta", "0.3"])
        #expect(r.status == 0, "\(r.stderr)")
        let new = Self.snapshot(directory)
        #expect(Set(new.keys) == Set(old.keys))
        #expect(new["your-run.svg"] != old["your-run.svg"])
        #expect(new["README.md"] != old["README.md"])
        #expect(Self.hiddenEntries(parent).isEmpty)
    }

    /// A single file written atomically (the index page `Output/README.md`) removes the
    /// temporary a killed process left for the same file.
    @Test func anAtomicWriteRemovesTheTemporaryOfAKilledWrite() throws {
        let parent = ChapterExecutable.temporaryPath("atomic")
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let dead = Self.deadProcessID()
        try Data("# half an ind".utf8).write(to: URL(fileURLWithPath: parent + "/.README.md.tmp-\(dead)"))
        try Data("live".utf8).write(to: URL(fileURLWithPath: parent + "/.README.md.tmp-\(getpid() == 1 ? 2 : 1)"))
        try AtomicFile.write("# Index\n", to: parent + "/README.md")
        #expect(Self.hiddenEntries(parent) == [".README.md.tmp-\(getpid() == 1 ? 2 : 1)"], "the live process's file stays")
        #expect(try String(contentsOfFile: parent + "/README.md", encoding: .utf8) == "# Index\n")
    }
}
