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

/// Data files are judged by their header and their size on disk before anything is
/// allocated for their contents. The files here are sparse: gigabytes long on paper, a few
/// bytes on disk, so the tests stay small and fast; a reader that read them whole would
/// need the gigabytes (and, before the header-first checks, did).
@Suite struct ReliabilityDataLimitsTests {
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "optimkit-limits-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A file of `size` bytes that starts with `head` and is a hole after it.
    static func sparseFile(_ path: String, head: [UInt8], size: Int) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        let written = head.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == head.count, ftruncate(fd, off_t(size)) == 0 else { throw POSIXError(.EIO) }
    }

    static func bigEndian(_ v: Int) -> [UInt8] { IDXTests.bigEndian(v) }
    static let gibibyte = 1 << 30

    func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        return "no error"
    }

    /// The case: a header for 60,000 images of 28×28 in a file of 64 GiB.
    @Test func aHugeRawFileIsRefusedFromItsHeader() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/train-images-idx3-ubyte"
        let size = 64 * Self.gibibyte
        try Self.sparseFile(path, head: [0, 0, 8, 3] + Self.bigEndian(60000) + Self.bigEndian(28) + Self.bigEndian(28), size: size)
        #expect(message { _ = try IDX.readImages(path: path) }
                == "\(path): the header's dimensions need 47040000 data bytes but the file has \(size - 16) (extra data)")
    }

    /// A header whose images would take 4 TiB as floats, in a file of exactly that many
    /// bytes: the memory cap refuses it without reading.
    @Test func imagesBeyondTheMemoryCapAreRefused() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/images"
        try Self.sparseFile(path, head: [0, 0, 8, 3] + Self.bigEndian(65536) + Self.bigEndian(4096) + Self.bigEndian(4096),
                            size: 16 + (1 << 40))
        #expect(message { _ = try IDX.readImages(path: path) }
                == "\(path): the header's dimensions 65536 x 4096 x 4096 would take 4398046511104 bytes in memory (4 per pixel), more than the 1073741824-byte (1 GiB) cap for a data set file")
    }

    /// The same header inside a small gzip file: refused after inflating only the header.
    @Test func aGzipHeaderBeyondTheCapIsRefused() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/images.gz"
        let header: [UInt8] = [0, 0, 8, 3] + Self.bigEndian(65536) + Self.bigEndian(4096) + Self.bigEndian(4096)
        try IDXTests.write(IDXTests.storedGzip(header + [UInt8](repeating: 7, count: 100)), path)
        #expect(message { _ = try IDX.readImages(path: path) }
                == "\(path): the header's dimensions 65536 x 4096 x 4096 would take 4398046511104 bytes in memory (4 per pixel), more than the 1073741824-byte (1 GiB) cap for a data set file")
    }

    /// Labels are held as `Int` (8 bytes each): 2^28 of them are over the cap.
    @Test func labelsBeyondTheMemoryCapAreRefused() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/labels"
        try Self.sparseFile(path, head: [0, 0, 8, 1] + Self.bigEndian(1 << 28), size: 8 + (1 << 28))
        #expect(message { _ = try IDX.readLabels(path: path) }
                == "\(path): the header's dimensions 268435456 would take 2147483648 bytes in memory (8 per label), more than the 1073741824-byte (1 GiB) cap for a data set file")
    }

    /// A compressed file larger than any file within the cap could compress to.
    @Test func aHugeGzipFileIsRefusedFromItsSize() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/images.gz"
        let size = 64 * Self.gibibyte
        try Self.sparseFile(path, head: [0x1F, 0x8B, 8, 0], size: size)
        let text = message { _ = try IDX.readImages(path: path) }
        #expect(text.hasPrefix("\(path): the compressed file has \(size) bytes, more than the "), "\(text)")
        #expect(text.hasSuffix("that a data set file within the 1073741824-byte (1 GiB) cap can compress to"), "\(text)")
    }

    /// The gzip stream holds more than its header describes: decoding stops at the header's
    /// size instead of running on to the 1 GiB limit.
    @Test func gzipDataLongerThanItsHeader() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/images.gz"
        let header: [UInt8] = [0, 0, 8, 3] + Self.bigEndian(1) + Self.bigEndian(2) + Self.bigEndian(2)
        try IDXTests.write(IDXTests.storedGzip(header + [UInt8](repeating: 1, count: 10)), path)
        #expect(message { _ = try IDX.readImages(path: path) }
                == "\(path): the header's dimensions need 4 data bytes but the decompressed data holds more (extra data)")
    }

    // MARK: empty and degenerate data sets

    @Test func anEmptyDataSetIsRefusedNamingTheFileAndTheCount() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try IDXTests.write(IDXTests.imageFile(count: 0, rows: 28, columns: 28, pixels: []), dir + "/images")
        try IDXTests.write(IDXTests.labelFile([]), dir + "/labels")
        #expect(message { _ = try IDX.dataset(imagesPath: dir + "/images", labelsPath: dir + "/labels") }
                == "\(dir)/images: holds 0 images; a data set needs at least 1")
    }

    @Test func imagesWithoutPixelsAreRefused() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try IDXTests.write(IDXTests.imageFile(count: 2, rows: 0, columns: 28, pixels: []), dir + "/images")
        try IDXTests.write(IDXTests.labelFile([1, 2]), dir + "/labels")
        #expect(message { _ = try IDX.dataset(imagesPath: dir + "/images", labelsPath: dir + "/labels") }
                == "\(dir)/images: holds 2 images of 0 x 28 pixels, which have no pixels to learn from")
    }

    // MARK: system errors named as the system names them

    @Test func aDirectoryGivenAsADataFile() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(message { _ = try IDX.readImages(path: dir) } == "\(dir): cannot read the file: Is a directory")
        #expect(message { _ = try AirfoilData.load(path: dir) } == "\(dir): cannot read the airfoil data: Is a directory")
        #expect(message { _ = try AirfoilData.load(path: dir + "/none") }
                == "\(dir)/none: cannot read the airfoil data: No such file or directory")
    }

    @Test func anAirfoilFileFarLargerThanTheDataIsRefusedFromItsSize() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/airfoil.dat"
        try Self.sparseFile(path, head: Array("1\t2\t3\t4\t5\t6\n".utf8), size: 64 * Self.gibibyte)
        let text = message { _ = try AirfoilData.load(path: path, expectedSHA1: nil) }
        #expect(text == "\(path): cannot read the airfoil data: the file has \(64 * Self.gibibyte) bytes, more than the 67108864-byte (64 MiB) limit for a table of this kind")
    }
}

/// The prefix decoders read a header without inflating what follows it.
@Suite struct InflatePrefixTests {
    @Test func aPrefixIsTheStartOfTheWholeOutput() throws {
        var rng = SeededGenerator(seed: 7)
        let data = (0..<200_000).map { _ in UInt8(rng.integer(below: 256)) }
        let gzip = IDXTests.storedGzip(data)
        for count in [0, 1, 16, 1024, 65_535, 65_536, 70_000, 300_000] {
            let prefix = try Gzip.decompressedPrefix(gzip, count: count)
            #expect(prefix == Array(data.prefix(count)), "count \(count)")
        }
    }

    @Test func damagedDataIsStillAnError() {
        #expect(throws: Gzip.Failure.self) { _ = try Gzip.decompressedPrefix([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF, 0x07], count: 4) }
        #expect(throws: Gzip.Failure.self) { _ = try Gzip.decompressedPrefix([1, 2, 3], count: 4) }
    }
}
