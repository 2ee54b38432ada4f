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

/// Small IDX files written by the tests themselves, raw and gzip-compressed.
@Suite struct IDXTests {
    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "optimkit-idx-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func bigEndian(_ value: Int) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    static func imageFile(count: Int, rows: Int, columns: Int, pixels: [UInt8]) -> [UInt8] {
        [0, 0, 8, 3] + bigEndian(count) + bigEndian(rows) + bigEndian(columns) + pixels
    }

    static func labelFile(_ labels: [UInt8]) -> [UInt8] {
        [0, 0, 8, 1] + bigEndian(labels.count) + labels
    }

    /// gzip made of stored (uncompressed) deflate blocks: enough to exercise the container.
    static func storedGzip(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255]
        var start = 0
        repeat {
            let length = min(65535, data.count - start)
            let last: UInt8 = start + length == data.count ? 1 : 0
            out += [last, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            out += data[start..<(start + length)]
            start += length
        } while start < data.count
        let crc = CRC32.checksum(data)
        for shift in [0, 8, 16, 24] { out.append(UInt8(crc >> UInt32(shift) & 0xFF)) }
        for shift in [0, 8, 16, 24] { out.append(UInt8(data.count >> shift & 0xFF)) }
        return out
    }

    static func write(_ bytes: [UInt8], _ path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static let pixels: [UInt8] = [0, 255, 51, 102, 0, 0, 10, 20, 30, 40, 50, 60]   // 2 images of 2x3
    static let labels: [UInt8] = [3, 9]

    @Test func readsRawAndGzip() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let images = Self.imageFile(count: 2, rows: 2, columns: 3, pixels: Self.pixels)
        let labels = Self.labelFile(Self.labels)
        try Self.write(images, dir + "/images")
        try Self.write(labels, dir + "/labels")
        try Self.write(Self.storedGzip(images), dir + "/images.gz")
        try Self.write(Self.storedGzip(labels), dir + "/labels.gz")
        for suffix in ["", ".gz"] {
            let data = try IDX.dataset(imagesPath: dir + "/images" + suffix, labelsPath: dir + "/labels" + suffix)
            #expect(data.count == 2 && data.rows == 2 && data.columns == 3)
            #expect(data.labels == [3, 9])
            #expect(data.images[0] == 0 && data.images[1] == 1 && data.images[2] == Float(51) / 255)
            #expect(data.images.count == 12)
        }
        let raw = try IDX.readImages(path: dir + "/images")
        #expect(raw.pixels == Self.pixels)
    }

    @Test func systemGzippedFile() throws {
        guard let gzip = ["/usr/bin/gzip", "/bin/gzip"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return }
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rng = SeededGenerator(seed: 8)
        let pixels = (0..<(50 * 28 * 28)).map { _ in UInt8(rng.integer(below: 4) * 85) }
        try Self.write(Self.imageFile(count: 50, rows: 28, columns: 28, pixels: pixels), dir + "/img")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gzip)
        process.arguments = ["-9", dir + "/img"]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let images = try IDX.readImages(path: dir + "/img.gz")
        #expect(images.count == 50 && images.pixels == pixels)
    }

    func expectProblem(_ expected: IDXError.Problem, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected \(expected)")
        } catch let error as IDXError {
            #expect(error.problem == expected)
            #expect(error.description.contains(error.path))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func clearErrors() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let images = Self.imageFile(count: 2, rows: 2, columns: 3, pixels: Self.pixels)
        expectProblem(.missingFile) { _ = try IDX.readImages(path: dir + "/nothing-here") }

        try Self.write(Self.labelFile(Self.labels), dir + "/labels")
        expectProblem(.wrongMagic(found: 2049, expected: 2051)) { _ = try IDX.readImages(path: dir + "/labels") }
        try Self.write(Array("PK\u{3}\u{4} not idx".utf8), dir + "/zip")
        expectProblem(.wrongMagic(found: 0x504B_0304, expected: 2049)) { _ = try IDX.readLabels(path: dir + "/zip") }

        var floats = images; floats[2] = 0x0D
        try Self.write(floats, dir + "/floats")
        expectProblem(.unsupportedType(code: 0x0D)) { _ = try IDX.readImages(path: dir + "/floats") }

        try Self.write(Array(images.dropLast(1)), dir + "/short")
        expectProblem(.sizeMismatch(expectedBytes: 12, actualBytes: 11)) { _ = try IDX.readImages(path: dir + "/short") }
        try Self.write(images + [7], dir + "/long")
        expectProblem(.sizeMismatch(expectedBytes: 12, actualBytes: 13)) { _ = try IDX.readImages(path: dir + "/long") }
        try Self.write([0, 0, 8], dir + "/tiny")
        expectProblem(.tooShort(bytes: 3)) { _ = try IDX.readImages(path: dir + "/tiny") }
        try Self.write([0, 0, 8, 3, 0, 0], dir + "/header")
        expectProblem(.tooShort(bytes: 6)) { _ = try IDX.readImages(path: dir + "/header") }
        // Dimensions whose product overflows must not crash.
        try Self.write([0, 0, 8, 3] + [UInt8](repeating: 0xFF, count: 12), dir + "/huge")
        #expect(throws: IDXError.self) { _ = try IDX.readImages(path: dir + "/huge") }

        try Self.write(Self.labelFile([1, 10, 2]), dir + "/badlabel")
        expectProblem(.labelOutOfRange(index: 1, value: 10, classCount: 10)) { _ = try IDX.readLabels(path: dir + "/badlabel") }

        let gz = Self.storedGzip(images)
        var badCRC = gz; badCRC[gz.count - 6] ^= 0x40
        try Self.write(badCRC, dir + "/crc.gz")
        #expect(throws: IDXError.self) { _ = try IDX.readImages(path: dir + "/crc.gz") }
        do { _ = try IDX.readImages(path: dir + "/crc.gz") } catch let e as IDXError {
            if case .compressed(.checksumMismatch) = e.problem {} else { Issue.record("unexpected \(e)") }
            #expect(e.description.contains("crc.gz"))
        }
        try Self.write(Array(gz.prefix(gz.count - 12)), dir + "/cut.gz")
        expectProblem(.compressed(.deflate(.truncated))) { _ = try IDX.readImages(path: dir + "/cut.gz") }
        var badBlock = gz; badBlock[10] = 0x07   // block type 3
        try Self.write(badBlock, dir + "/block.gz")
        expectProblem(.compressed(.deflate(.invalidBlockType))) { _ = try IDX.readImages(path: dir + "/block.gz") }
        var badSize = gz; badSize[gz.count - 1] ^= 1
        try Self.write(badSize, dir + "/size.gz")
        expectProblem(.compressed(.sizeMismatch(stored: UInt32(images.count) ^ (1 << 24), actual: UInt32(images.count)))) {
            _ = try IDX.readImages(path: dir + "/size.gz")
        }
        try Self.write([0x1F, 0x8B, 9, 0], dir + "/header.gz")
        expectProblem(.compressed(.truncatedHeader)) { _ = try IDX.readImages(path: dir + "/header.gz") }

        try Self.write(images, dir + "/images")
        try Self.write(Self.labelFile([1, 2, 3]), dir + "/three")
        expectProblem(.countMismatch(images: 2, labels: 3)) {
            _ = try IDX.dataset(imagesPath: dir + "/images", labelsPath: dir + "/three")
        }
    }

    @Test func fashionMNISTDirectory() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let images = Self.imageFile(count: 2, rows: 2, columns: 3, pixels: Self.pixels)
        let labels = Self.labelFile(Self.labels)
        try Self.write(Self.storedGzip(images), dir + "/train-images-idx3-ubyte.gz")
        try Self.write(labels, dir + "/train-labels-idx1-ubyte")
        try Self.write(images, dir + "/t10k-images-idx3-ubyte")
        expectProblem(.missingFile) { _ = try FashionMNIST.load(directory: dir) }
        do { _ = try FashionMNIST.load(directory: dir) } catch {
            #expect("\(error)".contains("t10k-labels-idx1-ubyte"))
        }
        try Self.write(Self.storedGzip(labels), dir + "/t10k-labels-idx1-ubyte.gz")
        expectProblem(.unexpectedImageSize(rows: 2, columns: 3, expectedRows: 28, expectedColumns: 28)) {
            _ = try FashionMNIST.load(directory: dir)
        }
        let (train, test) = try FashionMNIST.load(directory: dir, rows: 2, columns: 3)
        #expect(train == test)
        #expect(train.labels == [3, 9])
        #expect(throws: IDXError.self) { _ = try FashionMNIST.load(directory: dir + "/absent") }
    }
}
