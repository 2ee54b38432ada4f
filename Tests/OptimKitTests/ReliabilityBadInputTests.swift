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

/// A chapter that reads a data file named on the command line and can be told to fail
/// part-way, so bad data and failed runs can be checked through the real entry point.
enum DataProbeChapter: Chapter {
    static let target = "DataProbe"
    static let title = "Data probe"
    static let summary = "A chapter used by the reliability tests."
    static var options: [OptionSpec] {
        [
            OptionSpec(value: "--airfoil", placeholder: "FILE", help: "airfoil data to read"),
            OptionSpec(value: "--airfoil-unchecked", placeholder: "FILE", help: "airfoil-format data, no checksum"),
            OptionSpec(value: "--images", placeholder: "FILE", help: "IDX images to read (raw or gzip)"),
            OptionSpec(flag: "--fail-after-figure", help: "throw after adding a figure"),
            .number("--eta", help: "step size"),
        ]
    }

    struct Interrupted: Error, CustomStringConvertible {
        var description: String { "the experiment stopped half-way" }
    }

    static func run(_ nb: Notebook, _ ctx: ChapterContext) throws {
        if let path = ctx.value("--airfoil") {
            let data = try AirfoilData.load(path: path)
            nb.output("rows \(data.count)")
        }
        if let path = ctx.value("--airfoil-unchecked") {
            let data = try AirfoilData.load(path: path, expectedSHA1: nil)
            nb.output("rows \(data.count)")
        }
        if let path = ctx.value("--images") {
            let images = try IDX.readImages(path: path)
            nb.output("images \(images.count)")
        }
        nb.figure(BookFigures.trace1D(.square, iterates: [1, 0.5, 0.25]), name: "trace", caption: "A trace.")
        if ctx.isSet("--fail-after-figure") { throw Interrupted() }
    }
}

/// Runs a chapter through `ChapterMain.execute` in a fresh temporary output directory
/// (unless the arguments name one) and returns the status, stderr, and the directory.
struct EntryPointRun {
    let status: Int32
    let errors: String
    let directory: String

    static func temporaryPath(_ stem: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("optimbook-\(stem)-\(UUID().uuidString)").path
    }

    init<C: Chapter>(_ chapter: C.Type, _ arguments: [String]) {
        let named = arguments.firstIndex { $0 == "--output" || $0.hasPrefix("--output=") }
        var args = arguments
        if let named {
            directory = arguments[named].hasPrefix("--output=")
                ? String(arguments[named].dropFirst("--output=".count))
                : (named + 1 < arguments.count ? arguments[named + 1] : "")
        } else {
            directory = EntryPointRun.temporaryPath("run")
            args += ["--output", directory]
        }
        var errors = ""
        status = ChapterMain.execute(chapter, contents: BookContents([chapter]), arguments: args, renderer: TerminalRenderer(), errorSink: { errors += $0 })
        self.errors = errors
    }

    /// Every file in the output directory, hidden ones (temporary files) included.
    var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    var firstLine: String { errors.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? "" }

    /// Deletes the output directory, but only one this helper made up in the temporary folder.
    func remove() {
        guard directory.hasPrefix(FileManager.default.temporaryDirectory.path) else { return }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

@Suite struct ReliabilityBadInputTests {
    // MARK: flags (status 2, one line naming the problem, then the usage)

    @Test(arguments: [
        (["--seed", "18446744073709551616"], "option --seed expects a whole number from 0 to 18446744073709551615, got '18446744073709551616'"),
        (["--seed", "1.5"], "option --seed expects a whole number from 0 to 18446744073709551615, got '1.5'"),
        (["--seed="], "option --seed expects a whole number from 0 to 18446744073709551615, got ''"),
        (["--output="], "option --output needs a directory"),
        (["--output", "--seed", "3"], "option --output needs a value"),
        (["--output", "a", "--output=b"], "option --output given more than once"),
        (["--help=yes"], "option --help takes no value"),
        (["-x"], "unknown option '-x'"),
        (["--eta", "inf"], "option --eta expects a number, got 'inf'"),
        (["--eta", "nan"], "option --eta expects a number, got 'nan'"),
        (["--eta"], "option --eta needs a value"),
        (["--help", "--bogus"], "unknown option '--bogus'"),
        (["\r--help"], "unexpected argument '\\u{D}--help'"),
        (["--seed", "4\n2"], "option --seed expects a whole number from 0 to 18446744073709551615, got '4\\u{A}2'"),
    ])
    func badFlagsExitTwoWithOneLineAndTheUsage(_ arguments: [String], _ message: String) {
        let run = EntryPointRun(DataProbeChapter.self, arguments)
        defer { run.remove() }
        #expect(run.status == 2)
        #expect(run.firstLine == "DataProbe: error: " + message, "\(run.errors)")
        // The mistake, a blank line, then the usage, and nothing is written.
        #expect(run.errors.contains("\n\nusage: swift run DataProbe [options]\n"))
        #expect(run.errors.contains("  --airfoil FILE"))
        #expect(run.files.isEmpty)
    }

    @Test func helpExitsZeroWithoutWriting() {
        for spelling in ["--help", "-h"] {
            let run = EntryPointRun(DataProbeChapter.self, [spelling])
            defer { run.remove() }
            #expect(run.status == 0)
            #expect(run.errors.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: run.directory))
        }
    }

    @Test func usageErrorsSpellOutControlCharacters() {
        #expect(UsageError("bad '\u{1B}[31m'").message == "bad '\\u{1B}[31m'")
        #expect(UsageError("a\u{2028}b\u{85}c").message == "a\\u{2028}b\\u{85}c")
        #expect(UsageError("café – ok").message == "café – ok")
    }

    // MARK: output (status 1, a message naming the path, no files left behind)

    @Test func outputThatIsAFileIsRefusedAndLeftAlone() throws {
        let file = EntryPointRun.temporaryPath("file")
        try AtomicFile.write("keep me", to: file)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let run = EntryPointRun(DataProbeChapter.self, ["--output", file])
        #expect(run.status == 1)
        #expect(run.errors == "DataProbe: error: \(file): exists and is not a directory\n")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "keep me")
    }

    #if os(Linux)
    @Test func outputWhereNothingMayBeCreatedIsRefused() {
        // /proc refuses new directories even to root, unlike a chmod-ed folder.
        let path = "/proc/optimbook-\(UUID().uuidString)/out"
        let run = EntryPointRun(DataProbeChapter.self, ["--output", path])
        #expect(run.status == 1)
        #expect(run.errors == "DataProbe: error: \(path): cannot create the output directory: No such file or directory\n")
    }
    #endif

    /// Root writes into read-only directories, so this case needs an ordinary user (the
    /// /proc case above covers root).
    @Test(.enabled(if: geteuid() != 0)) func readOnlyOutputDirectoryIsRefused() throws {
        let dir = EntryPointRun.temporaryPath("readonly")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { chmod(dir, 0o755); try? FileManager.default.removeItem(atPath: dir) }
        chmod(dir, 0o555)
        let run = EntryPointRun(DataProbeChapter.self, ["--output", dir])
        #expect(run.status == 1)
        #expect(run.errors == "DataProbe: error: \(dir): cannot write in the output directory: Permission denied\n")
        #expect(run.files.isEmpty)
    }

    /// The page and figures replace the output directory as one set, so a directory inside
    /// it (here one named like the page) cannot be carried over: refused before the run
    /// starts, with nothing written and no temporary left.
    @Test func aDirectoryInsideTheOutputIsRefusedBeforeTheRun() throws {
        let dir = EntryPointRun.temporaryPath("blocked")
        try FileManager.default.createDirectory(atPath: dir + "/README.md", withIntermediateDirectories: true)
        let run = EntryPointRun(DataProbeChapter.self, ["--output", dir])
        defer { run.remove() }
        #expect(run.status == 1)
        #expect(run.errors == "DataProbe: error: \(dir)/README.md: is a directory; the page and figures replace the output directory as a whole, so it may hold only files\n")
        #expect(run.files == ["README.md"], "\(run.files)")
        let parent = (dir as NSString).deletingLastPathComponent
        let name = (dir as NSString).lastPathComponent
        let left = ((try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []).filter { $0.hasPrefix("." + name) }
        #expect(left.isEmpty, "temporaries left: \(left)")
    }

    @Test func aRunThatFailsHalfWayWritesNothing() {
        let run = EntryPointRun(DataProbeChapter.self, ["--fail-after-figure"])
        defer { run.remove() }
        #expect(run.status == 1)
        #expect(run.errors == "DataProbe: error: the experiment stopped half-way\n")
        #expect(run.files.isEmpty, "\(run.files)")
    }

    @Test func atomicWriteReplacesWholeFilesOnly() throws {
        let dir = EntryPointRun.temporaryPath("atomic")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/figure.svg"
        try AtomicFile.write(String(repeating: "a", count: 100_000), to: path)
        try AtomicFile.write("short", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "short")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["figure.svg"])
        #expect(throws: FileError.self) { try AtomicFile.write("x", to: dir + "/missing/figure.svg") }
    }

    // MARK: data (status 1, a message naming the file and the problem)

    func airfoilRun(_ contents: Data?, name: String = "airfoil.dat") throws -> (EntryPointRun, String) {
        let folder = EntryPointRun.temporaryPath("data")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/" + name
        if let contents { try AtomicFile.write(contents, to: path) }
        let run = EntryPointRun(DataProbeChapter.self, ["--airfoil", path])
        try? FileManager.default.removeItem(atPath: folder)
        run.remove()
        return (run, path)
    }

    @Test func missingAirfoilFile() throws {
        let (run, path) = try airfoilRun(nil)
        #expect(run.status == 1)
        #expect(run.errors == "DataProbe: error: \(path): cannot read the airfoil data: No such file or directory\n")
        #expect(run.files.isEmpty)
    }

    @Test func truncatedAirfoilFileFailsTheChecksum() throws {
        let original = try AirfoilData.bundledFileContents()
        let (run, path) = try airfoilRun(original.prefix(original.count / 2))
        #expect(run.status == 1)
        #expect(run.firstLine.hasPrefix("DataProbe: error: \(path): SHA-1 is "))
        #expect(run.errors.contains("but the airfoil data should have \(AirfoilData.expectedSHA1) (the file is truncated, edited or a different file)"))
    }

    /// The parser's own checks, on files read without the checksum (a subset or a
    /// different copy of the data in the same format).
    @Test(arguments: [
        ("1\t2\t3\t4\t5\t6\r\n2\t3\t4\t5\t6\t8\r\n1\t2\t3\r\n", "line 3: expected 6 tab-separated numbers, found 3"),
        ("1\t2\tabc\t4\t5\t6\r\n2\t3\t4\t5\t6\t8\r\n", "line 1, column 3: 'abc' is not a finite number"),
        ("1\t2\t3\t4\t5\t1e999\r\n2\t3\t4\t5\t6\t8\r\n", "line 1, column 6: '1e999' is not a finite number"),
        ("1\t2\t3\t4\t5\t6\t7\n", "line 1: expected 6 tab-separated numbers, found 7"),
        ("\r\n\r\n", "the file has no data rows"),
        ("1\t2\t3\t4\t5\t6\n1\t3\t4\t5\t6\t7\n", "column 1 has the same value in every row, so it cannot be standardised"),
    ])
    func airfoilRowProblemsExitOneNamingLineAndColumn(_ contents: String, _ problem: String) throws {
        let folder = EntryPointRun.temporaryPath("rows")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/airfoil.dat"
        try AtomicFile.write(contents, to: path)
        let run = EntryPointRun(DataProbeChapter.self, ["--airfoil-unchecked", path])
        defer { run.remove() }
        #expect(run.status == 1)
        let separator = problem.hasPrefix("line") ? ", " : ": "
        #expect(run.errors == "DataProbe: error: \(path)\(separator)\(problem)\n")
        #expect(run.files.isEmpty)
    }

    @Test func aDirectoryInsteadOfTheAirfoilFile() throws {
        let folder = EntryPointRun.temporaryPath("dir")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = EntryPointRun(DataProbeChapter.self, ["--airfoil", folder])
        defer { run.remove() }
        #expect(run.status == 1)
        #expect(run.errors == "DataProbe: error: \(folder): cannot read the airfoil data: Is a directory\n")
    }

    /// Writes `bytes` to a temporary file, runs the probe chapter on it with `--images`,
    /// and returns the run and the file's path.
    func imagesRun(_ bytes: [UInt8]?, name: String = "images-idx3-ubyte") throws -> (EntryPointRun, String) {
        let folder = EntryPointRun.temporaryPath("idx")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/" + name
        if let bytes { try AtomicFile.write(Data(bytes), to: path) }
        let run = EntryPointRun(DataProbeChapter.self, ["--images", path])
        try? FileManager.default.removeItem(atPath: folder)
        run.remove()
        return (run, path)
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    /// Two 2×3 images.
    static let goodImages: [UInt8] = [0, 0, 8, 3] + bigEndian(2) + bigEndian(2) + bigEndian(3) + Array(0..<12)

    @Test func goodImagesAreRead() throws {
        let (run, _) = try imagesRun(Self.goodImages)
        #expect(run.status == 0, "\(run.errors)")
    }

    @Test(arguments: [
        ("missing", nil, "file not found"),
        ("labels given as images", [0, 0, 8, 1] + bigEndian(2) + [1, 2],
         "wrong magic number 0x00000801 (expected 0x00000803 = 2051); not an IDX file of this kind"),
        ("a PNG", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
         "wrong magic number 0x89504e47 (expected 0x00000803 = 2051); not an IDX file of this kind"),
        ("truncated pixels", Array(goodImages.dropLast(5)),
         "the header's dimensions need 12 data bytes but the file has 7 (truncated?)"),
        ("dimensions larger than the file", [0, 0, 8, 3] + bigEndian(60000) + bigEndian(28) + bigEndian(28) + Array(0..<12),
         "the header's dimensions need 47040000 data bytes but the file has 12 (truncated?)"),
        ("extra bytes", goodImages + [9],
         "the header's dimensions need 12 data bytes but the file has 13 (extra data)"),
        ("cut inside the header", [0, 0, 8, 3, 0, 0, 0, 2], "only 8 bytes, too short for an IDX header"),
        // Found by the IDX fuzzer: overflowing products of dimensions hidden by a zero.
        ("overflow hidden by a zero", [0, 0, 8, 3, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0xEA, 0, 0, 0, 0],
         "the header's dimensions 4294967167 x 4294967274 x 0 are too large (their product overflows)"),
        ("zero images of overflowing size", [0, 0, 8, 3, 0, 0, 0, 0, 0xCC, 0x50, 0x4D, 0x68, 0xEA, 0x1F, 0x8B, 0x08],
         "the header's dimensions 0 x 3427814760 x 3927935752 are too large (their product overflows)"),
    ] as [(String, [UInt8]?, String)])
    func badImageFilesExitOneNamingTheFile(_ what: String, _ bytes: [UInt8]?, _ problem: String) throws {
        let (run, path) = try imagesRun(bytes)
        #expect(run.status == 1, "\(what)")
        #expect(run.errors == "DataProbe: error: \(path): \(problem)\n", "\(what)")
        #expect(run.files.isEmpty)
    }

    @Test func truncatedGzipStreamNamesTheFile() throws {
        // A valid gzip file (one stored block) of the good images, cut at several lengths: each cut
        // is reported as a compression problem of that file, never as a crash.
        let gzip: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF] + Self.storedDeflate(Self.goodImages)
            + Self.littleEndian(CRC32.checksum(Self.goodImages)) + Self.littleEndian(UInt32(Self.goodImages.count))
        let (whole, _) = try imagesRun(gzip, name: "images.gz")
        #expect(whole.status == 0, "\(whole.errors)")
        for cut in [2, 9, 10, 14, 30, gzip.count - 8, gzip.count - 1] {
            let (run, path) = try imagesRun(Array(gzip.prefix(cut)), name: "images.gz")
            #expect(run.status == 1)
            #expect(run.errors.hasPrefix("DataProbe: error: \(path): "), "cut at \(cut): \(run.errors)")
            #expect(run.errors.split(separator: "\n").count == 1)
        }
        let (run, path) = try imagesRun(Array(gzip.prefix(30)), name: "images.gz")
        #expect(run.errors == "DataProbe: error: \(path): \(Gzip.Failure.deflate(.truncated))\n")
    }

    static func littleEndian(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)] }
    /// One stored DEFLATE block holding `data` (under 64 KiB).
    static func storedDeflate(_ data: [UInt8]) -> [UInt8] {
        let n = UInt16(data.count)
        return [1, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8(~n >> 8)] + data
    }
}
