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

/// Known gzip/deflate streams, made once with Python's gzip and zlib modules
/// (mtime 0), embedded as bytes.
enum GzipSamples {
    static let helloGzipWithName: [UInt8] = [
        0x1f, 0x8b, 0x08, 0x08, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x2e, 0x74,
        0x78, 0x74, 0x00, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x57, 0xc8, 0x40, 0x27, 0xb9, 0x00, 0x00, 0x88, 0x59,
        0x0b, 0x18, 0x00, 0x00, 0x00,
    ]
    static let storedDeflate: [UInt8] = [
        0x01, 0x15, 0x00, 0xea, 0xff, 0x73, 0x74, 0x6f, 0x72, 0x65, 0x64, 0x20, 0x62, 0x6c, 0x6f, 0x63, 0x6b,
        0x2c, 0x20, 0x6c, 0x65, 0x76, 0x65, 0x6c, 0x20, 0x30,
    ]
    static let fixedDeflate: [UInt8] = [
        0x4b, 0x4c, 0x4a, 0x4e, 0x44, 0x45, 0x0a, 0x69, 0x99, 0x15, 0xa9, 0x29, 0x00,
    ]
    static let dynamicDeflate: [UInt8] = [
        0x95, 0xd5, 0x59, 0x52, 0xc3, 0x30, 0x10, 0x45, 0xd1, 0xff, 0xac, 0x42, 0x4b, 0x88, 0xba, 0x2d, 0x59,
        0x62, 0x37, 0x0c, 0x06, 0x02, 0x26, 0x86, 0x84, 0x30, 0xad, 0x9e, 0x02, 0xbd, 0x5e, 0xc0, 0xfd, 0x76,
        0xdd, 0xd2, 0x74, 0x24, 0xaf, 0x87, 0xe3, 0x92, 0xf6, 0x57, 0xe9, 0xfd, 0x71, 0x49, 0x6f, 0x97, 0xc3,
        0xed, 0x73, 0xba, 0x39, 0x6d, 0x9f, 0xc7, 0x74, 0xbf, 0x7d, 0xa5, 0xa7, 0xcb, 0xcb, 0xeb, 0x39, 0x6d,
        0x1f, 0xcb, 0xe9, 0xff, 0xf3, 0x7a, 0xfd, 0xf3, 0x9d, 0xee, 0xb6, 0x87, 0xb4, 0xdf, 0xad, 0x7f, 0x55,
        0x66, 0x55, 0x1e, 0x95, 0xb1, 0x6a, 0x1a, 0x95, 0xb3, 0xaa, 0x8f, 0x6a, 0x82, 0x33, 0xac, 0x23, 0x2b,
        0x2c, 0xb3, 0x32, 0xb2, 0xca, 0x32, 0xd7, 0x68, 0x33, 0xdc, 0x10, 0xad, 0xad, 0xb1, 0xac, 0x6a, 0x23,
        0x3b, 0xcb, 0x9a, 0x4e, 0x2d, 0x43, 0x22, 0xae, 0x0c, 0x1a, 0x31, 0xcd, 0x32, 0x53, 0x25, 0xb3, 0x3a,
        0xe8, 0x64, 0x36, 0x75, 0x50, 0x4a, 0x64, 0x50, 0x8a, 0xc7, 0x6e, 0x42, 0x2a, 0x35, 0xc6, 0x83, 0x56,
        0xba, 0x64, 0x66, 0x88, 0xc5, 0xe3, 0xf8, 0xa0, 0x96, 0x59, 0x2f, 0x83, 0x41, 0x2d, 0x59, 0xeb, 0x33,
        0xc8, 0xa5, 0x68, 0x9e, 0x06, 0xb9, 0x74, 0x5d, 0x3d, 0x83, 0x5c, 0x26, 0xf1, 0x34, 0xc8, 0xa5, 0xc7,
        0xdb, 0x07, 0xbd, 0x4c, 0xb1, 0x3e, 0xe8, 0xa5, 0xc7, 0x3c, 0xa1, 0x97, 0x12, 0xe7, 0x07, 0xbd, 0x34,
        0x65, 0x90, 0x4b, 0x15, 0x4f, 0x87, 0x5c, 0x4c, 0xb7, 0xdd, 0x21, 0x97, 0xa6, 0x79, 0x3a, 0xe4, 0x52,
        0xe2, 0x27, 0x04, 0xb9, 0x98, 0x58, 0x3b, 0xe4, 0xd2, 0xf4, 0xc4, 0x3b, 0xe4, 0x52, 0xc5, 0xcc, 0xe9,
        0x9f, 0x28, 0xce, 0x01, 0x72, 0xc9, 0x31, 0x1e, 0xe5, 0xa2, 0xeb, 0xe7, 0xd4, 0x4b, 0xdd, 0xfd, 0x02,
    ]
    static let allFlagsGzip: [UInt8] = [
        0x1f, 0x8b, 0x08, 0x1e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x04, 0x00, 0x61, 0x62, 0x00, 0x01, 0x6e,
        0x61, 0x6d, 0x65, 0x2e, 0x62, 0x69, 0x6e, 0x00, 0x61, 0x20, 0x63, 0x6f, 0x6d, 0x6d, 0x65, 0x6e, 0x74,
        0x00, 0xa7, 0x6f, 0x4b, 0xcb, 0x49, 0x4c, 0x2f, 0x56, 0x28, 0x49, 0x2d, 0x2e, 0x51, 0x28, 0x48, 0xac,
        0xcc, 0xc9, 0x4f, 0x4c, 0x01, 0x00, 0xcd, 0xf4, 0xff, 0x93, 0x12, 0x00, 0x00, 0x00,
    ]
    static let twoMembersGzip: [UInt8] = [
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x4b, 0xcb, 0x2c, 0x2a, 0x2e, 0xd1, 0x01,
        0x00, 0xd7, 0x36, 0x47, 0x15, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x02, 0x03, 0x2b, 0x4e, 0x4d, 0xce, 0xcf, 0x4b, 0x01, 0x00, 0x69, 0x11, 0x1f, 0xb6, 0x06, 0x00, 0x00,
        0x00,
    ]

    /// The text `dynamicDeflate` encodes (40 numbered lines).
    static var dynamicText: [UInt8] {
        var text = ""
        for i in 0..<40 { text += "line \(i): the quick brown fox jumps over the lazy dog \(i * i % 97)\n" }
        return Array(text.utf8)
    }
}

@Suite struct InflateTests {
    func blockType(_ stream: [UInt8]) -> Int { Int(stream[0] >> 1) & 3 }

    @Test func storedBlock() throws {
        #expect(blockType(GzipSamples.storedDeflate) == 0)
        let (out, end) = try Inflate.decompress(GzipSamples.storedDeflate)
        #expect(String(decoding: out, as: UTF8.self) == "stored block, level 0")
        #expect(end == GzipSamples.storedDeflate.count)
    }

    @Test func fixedHuffmanBlock() throws {
        #expect(blockType(GzipSamples.fixedDeflate) == 1)
        let (out, _) = try Inflate.decompress(GzipSamples.fixedDeflate)
        #expect(String(decoding: out, as: UTF8.self) == "abcabcabcabcabcabc fixed")
    }

    @Test func dynamicHuffmanBlock() throws {
        #expect(blockType(GzipSamples.dynamicDeflate) == 2)
        let (out, end) = try Inflate.decompress(GzipSamples.dynamicDeflate)
        #expect(out == GzipSamples.dynamicText)
        #expect(out.count == 2223 && CRC32.checksum(out) == 1242693652)
        #expect(end == GzipSamples.dynamicDeflate.count)
    }

    @Test func gzipWithFileName() throws {
        let out = try Gzip.decompress(GzipSamples.helloGzipWithName)
        #expect(String(decoding: out, as: UTF8.self) == "hello hello hello hello\n")
    }

    @Test func gzipWithAllHeaderFields() throws {
        let out = try Gzip.decompress(GzipSamples.allFlagsGzip)
        #expect(String(decoding: out, as: UTF8.self) == "flags test payload")
        // Damage the header CRC16.
        var bad = GzipSamples.allFlagsGzip
        let hcrcIndex = 10 + 2 + 4 + 9 + 10
        bad[hcrcIndex] ^= 0xFF
        #expect(throws: Gzip.Failure.headerChecksumMismatch) { try Gzip.decompress(bad) }
    }

    @Test func concatenatedMembers() throws {
        let out = try Gzip.decompress(GzipSamples.twoMembersGzip)
        #expect(String(decoding: out, as: UTF8.self) == "first,second")
    }

    @Test func crc32KnownValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
    }

    @Test func detectsDamage() throws {
        let good = GzipSamples.helloGzipWithName
        #expect(throws: Gzip.Failure.notGzip) { try Gzip.decompress(Array(good.dropFirst())) }
        var method = good; method[2] = 7
        #expect(throws: Gzip.Failure.unsupportedMethod(7)) { try Gzip.decompress(method) }
        var reserved = good; reserved[3] |= 0x80
        #expect(throws: Gzip.Failure.reservedFlags(reserved[3])) { try Gzip.decompress(reserved) }
        #expect(throws: Gzip.Failure.truncatedHeader) { try Gzip.decompress(Array(good[0..<6])) }
        #expect(throws: Gzip.Failure.truncatedTrailer) { try Gzip.decompress(Array(good.dropLast(3))) }
        var crc = good; crc[good.count - 8] ^= 1
        #expect(throws: (any Error).self) { try Gzip.decompress(crc) }
        do { _ = try Gzip.decompress(crc); Issue.record("CRC damage not noticed") } catch let failure as Gzip.Failure {
            if case .checksumMismatch = failure {} else { Issue.record("unexpected \(failure)") }
        }
        var size = good; size[good.count - 4] ^= 1
        do { _ = try Gzip.decompress(size); Issue.record("ISIZE damage not noticed") } catch let failure as Gzip.Failure {
            if case .sizeMismatch = failure {} else { Issue.record("unexpected \(failure)") }
        }
        #expect(throws: Gzip.Failure.trailingGarbage(bytes: 3)) { try Gzip.decompress(good + [1, 2, 3]) }
        #expect(try Gzip.decompress(good + [0, 0, 0]) == Array("hello hello hello hello\n".utf8))
        var blockType = GzipSamples.storedDeflate; blockType[0] |= 0b110
        #expect(throws: InflateError.invalidBlockType) { try Inflate.decompress(blockType) }
        var stored = GzipSamples.storedDeflate; stored[3] ^= 0xFF
        #expect(throws: InflateError.storedLengthMismatch) { try Inflate.decompress(stored) }
        #expect(throws: InflateError.truncated) { try Inflate.decompress(Array(GzipSamples.dynamicDeflate.prefix(100))) }
        #expect(throws: InflateError.truncated) { try Inflate.decompress([]) }
        // Fixed block whose first symbol is a length/distance pair with nothing decoded yet:
        // BFINAL 1, BTYPE 01, length code 257 (0000001), distance code 0 (00000).
        #expect(throws: InflateError.distanceTooFar(distance: 1, available: 0)) {
            try Inflate.decompress([0b0000_0011, 0b0000_0010, 0, 0])
        }
    }

    @Test func outputLimit() {
        #expect(throws: InflateError.outputTooLarge(limit: 100)) {
            try Inflate.decompress(GzipSamples.dynamicDeflate, limit: 100)
        }
    }

    /// Mutated and truncated inputs must end in an error or a result, never a crash or a hang.
    @Test func survivesGarbage() {
        var rng = SeededGenerator(seed: 77)
        let samples = [GzipSamples.helloGzipWithName, GzipSamples.allFlagsGzip, GzipSamples.twoMembersGzip,
                       [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3] + GzipSamples.dynamicDeflate]
        var failedPrefixes = 0, prefixes = 0
        for (index, sample) in samples.enumerated() {
            // (A prefix of the two-member file can be a complete one-member file.)
            for cut in 0..<sample.count where index != 2 {
                prefixes += 1
                failedPrefixes += (try? Gzip.decompress(Array(sample[0..<cut]))) == nil ? 1 : 0
            }
            for _ in 0..<400 {
                var bytes = sample
                for _ in 0..<(1 + rng.integer(below: 4)) {
                    bytes[rng.integer(below: bytes.count)] ^= UInt8(1 << rng.integer(below: 8))
                }
                _ = try? Gzip.decompress(bytes, limit: 1 << 20)
                _ = try? Inflate.decompress(Array(bytes.dropFirst(10)), limit: 1 << 20)
            }
        }
        for _ in 0..<2000 {
            let noise = (0..<(1 + rng.integer(below: 300))).map { _ in UInt8(rng.integer(below: 256)) }
            _ = try? Inflate.decompress(noise, limit: 1 << 20)
        }
        // Every strict prefix of a valid file is an error.
        #expect(failedPrefixes == prefixes)
    }

    /// Round trip through the system's gzip at several levels, when it is installed.
    @Test func systemGzipRoundTrip() throws {
        let tool = ["/usr/bin/gzip", "/bin/gzip"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let gzip = tool else { return }   // nothing to compare against on this machine
        var rng = SeededGenerator(seed: 5)
        // Text with repetition (long matches) plus noise (literals), about 300 kB.
        var original = [UInt8]()
        let words = ["gradient ", "descent ", "momentum ", "adam ", "learning rate ", "\n", "0.5 ", "epoch "]
        while original.count < 300_000 {
            if rng.integer(below: 10) == 0 {
                original.append(UInt8(rng.integer(below: 256)))
            } else {
                original.append(contentsOf: words[rng.integer(below: words.count)].utf8)
            }
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("optimkit-gzip-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for level in [1, 6, 9] {
            let file = directory.appendingPathComponent("data\(level).bin")
            try Data(original).write(to: file)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: gzip)
            process.arguments = ["-\(level)", "-f", "-k", file.path]
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { Issue.record("gzip -\(level) failed"); continue }
            let compressed = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file.path + ".gz")))
            #expect(compressed.count < original.count / 2)
            #expect(try Gzip.decompress(compressed) == original, "level \(level)")
        }
    }
}
