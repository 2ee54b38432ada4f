import Foundation
import Testing
import OptimKit

/// End-to-end checks of a real chapter executable: exit statuses, what goes to stdout and
/// stderr, and what is left on disk. The executables are built beside the test bundle.
enum ChapterExecutable {
    /// The build products folder: the folder of the running test binary (Linux) or of the
    /// `.xctest` bundle (macOS).
    static var productsDirectory: URL {
        if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL
    }

    static func url(_ target: String) -> URL? {
        let candidates = [
            productsDirectory.appendingPathComponent(target),
            Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent(target),
        ].compactMap { $0 }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `target` with `arguments`; the environment masks timings and disables colour.
    static func run(_ target: String, _ arguments: [String], in directory: String? = nil) throws -> Result {
        guard let url = url(target) else {
            throw FileError(path: productsDirectory.appendingPathComponent(target).path,
                            problem: "the chapter executable was not built (run `swift build` first)")
        }
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["OPTIMBOOK_MASK_VOLATILE"] = "1"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes to the end before waiting, so a full pipe cannot block the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    static func temporaryPath(_ stem: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("optimbook-exe-\(stem)-\(UUID().uuidString)").path
    }
}

@Suite struct ReliabilityExecutableTests {
    static let target = "Ch11_3_GradientDescent"

    @Test func unknownFlagExitsTwoWithTheUsageOnStderr() throws {
        let r = try ChapterExecutable.run(Self.target, ["--bogus"])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.hasPrefix("\(Self.target): error: unknown option '--bogus'\n\nusage: swift run \(Self.target) [options]\n"))
    }

    @Test func malformedSeedExitsTwo() throws {
        let r = try ChapterExecutable.run(Self.target, ["--seed", "abc"])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("\(Self.target): error: option --seed expects a whole number from 0 to 18446744073709551615, got 'abc'\n"))
    }

    @Test func helpExitsZeroWithTheUsageOnStdout() throws {
        let r = try ChapterExecutable.run(Self.target, ["--help"])
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty)
        #expect(r.stdout.hasPrefix("usage: swift run \(Self.target) [options]\n"))
        #expect(r.stdout.contains("--output DIR"))
    }

    @Test func unwritableOutputExitsOneAndWritesNothing() throws {
        let file = ChapterExecutable.temporaryPath("file")
        try AtomicFile.write("not a directory", to: file)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = try ChapterExecutable.run(Self.target, ["--output", file + "/figures"])
        #expect(r.status == 1)
        #expect(r.stderr == "\(Self.target): error: \(file)/figures: cannot create the output directory (a parent is a file or not writable)\n")
        // Refused before the chapter starts: nothing printed, the file untouched.
        #expect(r.stdout.isEmpty)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "not a directory")
    }

    @Test func aFullRunWritesCompleteFilesThatMatchTheInProcessRun() throws {
        let dir = ChapterExecutable.temporaryPath("run")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try ChapterExecutable.run(Self.target, ["--output", dir])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(!files.contains { $0.hasPrefix(".") }, "temporary files left: \(files)")
        #expect(files.contains("README.md"))
        for file in files where file.hasSuffix(".svg") {
            let svg = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
            #expect(svg.hasPrefix("<svg") || svg.hasPrefix("<?xml"), "\(file)")
            #expect(svg.hasSuffix("</svg>\n"), "\(file) is truncated")
        }
        // With OPTIMBOOK_MASK_VOLATILE=1 the files equal the in-process run's masked output.
        let notebook = try #require(ChapterEntry.named(Self.target)).fullNotebook()
        #expect(try String(contentsOfFile: dir + "/README.md", encoding: .utf8) == notebook.markdown(maskVolatile: true))
        for (name, figure) in notebook.files {
            #expect(try String(contentsOfFile: dir + "/" + name, encoding: .utf8) == figure.svg(maskVolatile: true), "\(name)")
        }
        // The terminal got the same lines the page holds, timings masked.
        for line in notebook.outputLines {
            #expect(r.stdout.contains(line.rendered(maskVolatile: true) + "\n"))
        }
    }

    /// Every chapter executable in the package: `--help` exits 0 with its usage on stdout,
    /// an unknown flag exits 2 with the message and usage on stderr.
    @Test(arguments: ChapterEntry.targets)
    func everyExecutableHandlesHelpAndUnknownFlags(_ target: String) throws {
        let help = try ChapterExecutable.run(target, ["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("usage: swift run \(target) [options]\n"))
        #expect(help.stderr.isEmpty)
        let bad = try ChapterExecutable.run(target, ["--no-such-flag"])
        #expect(bad.status == 2)
        #expect(bad.stdout.isEmpty)
        #expect(bad.stderr.hasPrefix("\(target): error: unknown option '--no-such-flag'\n\nusage: swift run \(target) [options]\n"))
    }
}
