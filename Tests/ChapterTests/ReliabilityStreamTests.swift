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

/// A chapter whose terminal goes away: standard output closed (`>&-`), full (`>/dev/full`)
/// or a pipe whose reader left (`| head -1`), with SIGPIPE at its default action or ignored
/// as many shells and CI runners leave it. The run never traps: it stops printing, still
/// writes its page, and says what happened on standard error when it can.
@Suite struct ReliabilityStreamTests {
    static let target = "Ch11_3_GradientDescent"

    static func executable(_ target: String = target) throws -> String {
        guard let url = ChapterExecutable.url(target) else {
            throw FileError(path: target, problem: "the chapter executable was not built (run `swift build` first)")
        }
        return url.path
    }

    /// The page of a finished run equals the in-process page (timings masked).
    static func expectCompletePage(_ directory: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let notebook = try #require(ChapterEntry.named(target)).fullNotebook()
        let page = try? String(contentsOfFile: directory + "/README.md", encoding: .utf8)
        #expect(page == notebook.markdown(maskVolatile: true), "the page was not written", sourceLocation: sourceLocation)
        for (name, _) in notebook.files {
            #expect(FileManager.default.fileExists(atPath: directory + "/" + name), "\(name) missing", sourceLocation: sourceLocation)
        }
    }

    func withOutputDirectory(_ body: (String) throws -> Void) rethrows {
        let dir = ChapterExecutable.temporaryPath("streams")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try body(dir)
    }

    static func message(_ cause: String, _ dir: String) -> String {
        "\(target): error: cannot write to standard output: \(cause) (the page and figures were still written to \(dir))\n"
    }

    @Test func closedStandardOutput() throws {
        try withOutputDirectory { dir in
            let r = try ChildProcess.run(Self.executable(), ["--output", dir], stdout: .closed)
            #expect(r.status == 1)
            #expect(r.stderr == Self.message("Bad file descriptor", dir))
            try Self.expectCompletePage(dir)
        }
    }

    #if os(Linux)
    @Test func fullStandardOutput() throws {
        try withOutputDirectory { dir in
            let r = try ChildProcess.run(Self.executable(), ["--output", dir], stdout: .file("/dev/full"))
            #expect(r.status == 1)
            #expect(r.stderr == Self.message("No space left on device", dir))
            try Self.expectCompletePage(dir)
        }
    }
    #endif

    /// `| head -1` with SIGPIPE at its default action: quiet, the status a shell reports for
    /// a broken pipe (128 + 13), and the page is written first.
    @Test func readerLeftWithDefaultSIGPIPE() throws {
        try withOutputDirectory { dir in
            let r = try ChildProcess.run(Self.executable(), ["--output", dir], stdout: .brokenPipe)
            #expect(r.status == 128 + SIGPIPE)
            #expect(r.stderr.isEmpty, "\(r.stderr.prefix(500))")
            try Self.expectCompletePage(dir)
        }
    }

    /// The same with SIGPIPE ignored: a one-line message and status 1.
    @Test func readerLeftWithSIGPIPEIgnored() throws {
        try withOutputDirectory { dir in
            let r = try ChildProcess.runInShell("trap '' PIPE; exec \"$0\" \"$@\"", Self.executable(), ["--output", dir],
                                                stdout: .brokenPipe)
            #expect(r.status == 1)
            #expect(r.stderr == Self.message("Broken pipe", dir))
            try Self.expectCompletePage(dir)
        }
    }

    /// Nothing can be said when standard error is gone too; the status still tells.
    @Test func bothStreamsClosed() throws {
        try withOutputDirectory { dir in
            let r = try ChildProcess.run(Self.executable(), ["--output", dir], stdout: .closed, stderr: .closed)
            #expect(r.status == 1)
            try Self.expectCompletePage(dir)
        }
    }

    @Test func usageErrorWithStandardErrorClosed() throws {
        let r = try ChildProcess.run(Self.executable(), ["--bogus"], stderr: .closed)
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
    }

    #if os(Linux)
    @Test func usageErrorWithStandardErrorFull() throws {
        let r = try ChildProcess.run(Self.executable(), ["--bogus"], stderr: .file("/dev/full"))
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
    }

    @Test func helpIntoAFullStandardOutput() throws {
        let r = try ChildProcess.run(Self.executable(), ["--help"], stdout: .file("/dev/full"))
        #expect(r.status == 1)
        #expect(r.stderr == "\(Self.target): error: cannot write to standard output: No space left on device\n")
    }
    #endif

    @Test func helpIntoABrokenPipeIsQuiet() throws {
        let r = try ChildProcess.run(Self.executable(), ["--help"], stdout: .brokenPipe)
        #expect(r.status == 128 + SIGPIPE)
        #expect(r.stderr.isEmpty)
    }

    /// A chapter with a progress bar and a longer page: 11.6 with its own run, stdout closed.
    @Test func anotherChapterWithClosedStandardOutput() throws {
        try withOutputDirectory { dir in
            let r = try ChildProcess.run(Self.executable("Ch11_6_Momentum"), ["--output", dir, "--eta", "0.3"], stdout: .closed)
            #expect(r.status == 1)
            #expect(r.stderr.hasPrefix("Ch11_6_Momentum: error: cannot write to standard output: Bad file descriptor"), "\(r.stderr.prefix(500))")
            #expect(FileManager.default.fileExists(atPath: dir + "/your-run.svg"))
        }
    }
}
