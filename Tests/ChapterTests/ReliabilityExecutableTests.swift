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
        #expect(r.stderr == "\(Self.target): error: \(file)/figures: cannot create the output directory: Not a directory\n")
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

    // MARK: bad data through the chapter that reads data files (11.11, --data-dir)

    static let dataChapter = "Ch11_11_LRScheduling"

    /// Four IDX files of 28×28 images (two per set), raw, with `damage` applied to one of them.
    static func fashionDirectory(damage: (inout [String: [UInt8]]) -> Void = { _ in }) throws -> String {
        func be(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        let images: [UInt8] = [0, 0, 8, 3] + be(2) + be(28) + be(28) + [UInt8](repeating: 7, count: 2 * 784)
        let labels: [UInt8] = [0, 0, 8, 1] + be(2) + [3, 5]
        var files = ["train-images-idx3-ubyte": images, "train-labels-idx1-ubyte": labels,
                     "t10k-images-idx3-ubyte": images, "t10k-labels-idx1-ubyte": labels]
        damage(&files)
        let dir = ChapterExecutable.temporaryPath("fashion")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, bytes) in files { try AtomicFile.write(Data(bytes), to: dir + "/" + name) }
        return dir
    }

    func expectDataFailure(_ dir: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let out = ChapterExecutable.temporaryPath("out")
        defer { try? FileManager.default.removeItem(atPath: out); try? FileManager.default.removeItem(atPath: dir) }
        let r = try ChapterExecutable.run(Self.dataChapter, ["--data-dir", dir, "--epochs", "2", "--output", out])
        #expect(r.status == 1, sourceLocation: sourceLocation)
        #expect(r.stderr == "\(Self.dataChapter): error: \(expected)\n", sourceLocation: sourceLocation)
        let left = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
        #expect(left.isEmpty, "files left: \(left)", sourceLocation: sourceLocation)
    }

    @Test(.enabled(if: ChapterEntry.targets.contains(dataChapter)))
    func dataDirectoryWithoutTheFiles() throws {
        let dir = ChapterExecutable.temporaryPath("empty")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try expectDataFailure(dir, "\(dir)/train-images-idx3-ubyte[.gz]: file not found")
    }

    @Test(.enabled(if: ChapterEntry.targets.contains(dataChapter)))
    func dataDirectoryWithATruncatedImageFile() throws {
        let dir = try Self.fashionDirectory { $0["t10k-images-idx3-ubyte"]!.removeLast(100) }
        try expectDataFailure(dir, "\(dir)/t10k-images-idx3-ubyte: the header's dimensions need 1568 data bytes but the file has 1468 (truncated?)")
    }

    @Test(.enabled(if: ChapterEntry.targets.contains(dataChapter)))
    func dataDirectoryWithLabelsForImages() throws {
        let dir = try Self.fashionDirectory { $0["train-images-idx3-ubyte"] = $0["train-labels-idx1-ubyte"] }
        try expectDataFailure(dir, "\(dir)/train-images-idx3-ubyte: wrong magic number 0x00000801 (expected 0x00000803 = 2051); not an IDX file of this kind")
    }

    @Test(.enabled(if: ChapterEntry.targets.contains(dataChapter)))
    func dataDirectoryWithACorruptGzipFile() throws {
        // A gzip header followed by an invalid block type: the file is named with its .gz suffix.
        let dir = try Self.fashionDirectory { files in
            files["train-labels-idx1-ubyte"] = nil
            files["train-labels-idx1-ubyte.gz"] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF, 0x07, 0, 0]
        }
        try expectDataFailure(dir, "\(dir)/train-labels-idx1-ubyte.gz: corrupt compressed data: invalid block type 3")
    }

    @Test(.enabled(if: ChapterEntry.targets.contains(dataChapter)))
    func dataDirectoryThatIsAFile() throws {
        let file = ChapterExecutable.temporaryPath("notadir")
        try AtomicFile.write("x", to: file)
        try expectDataFailure(file, "\(file): cannot read the file: not an existing directory (expected the four Fashion-MNIST files there)")
    }
}
