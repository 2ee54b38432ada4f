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

/// The chapter trains six LeNet runs, so it is run once (in the reduced configuration:
/// 1024 training and 512 held-out digits, 2 epochs) and every check reads that notebook.
@Suite struct Ch11_11_LRSchedulingTests {
    /// Schedule values computed by hand (spec 11.11), as the chapter prints them.
    static let scheduleLines = [
        // SquareRoot(1.0): 1/sqrt(t + 1)
        "t  0- 7: 1.000000 0.707107 0.577350 0.500000 0.447214 0.408248 0.377964 0.353553",
        // Factor(0.9, 1e-2, 2.0): 2 * 0.9^(t+1)
        "t  0- 7: 1.800000 1.620000 1.458000 1.312200 1.180980 1.062882 0.956594 0.860934",
        // MultiFactor([15, 30], 0.5, 0.5): 0.5 up to t = 15, 0.25 up to 30, then 0.125
        "t  8-15: 0.500000 0.500000 0.500000 0.500000 0.500000 0.500000 0.500000 0.500000",
        "t 16-23: 0.250000 0.250000 0.250000 0.250000 0.250000 0.250000 0.250000 0.250000",
        "t 24-31: 0.250000 0.250000 0.250000 0.250000 0.250000 0.250000 0.250000 0.125000",
        // Cosine(40, 0.5, 0.01): 0.01 + 0.49 (1 + cos(pi t / 40)) / 2; t = 20 gives 0.255
        "t 16-23: 0.330709 0.312194 0.293326 0.274222 0.255000 0.235778 0.216674 0.197806",
        // Cosine with warmup 5: 0, 0.1, ..., 0.4, then 0.5 at t = 5
        "t  0- 7: 0.000000 0.100000 0.200000 0.300000 0.400000 0.500000 0.499014 0.496063",
    ]

    static func isFinalLine(_ line: String) -> Bool {
        line.wholeMatch(of: #/train loss \d+\.\d{3}, train acc \d\.\d{3}, test acc \d\.\d{3}/#) != nil
    }

    /// (header, rows) of every per-epoch table.
    static func epochTables(_ nb: Notebook) -> [[[String]]] {
        nb.blocks.compactMap { block -> [[String]]? in
            guard case .table(let header, let rows) = block, header.first == "epoch" else { return nil }
            return rows.map { $0.map { $0.rendered(maskVolatile: true) } }
        }
    }

    @Test func reducedChapterRun() throws {
        let nb = try Book.notebook(LRSchedulingChapter.self)
        let lines = nb.outputLines.map { $0.rendered(maskVolatile: true) }

        // Exact values, in order.
        var position = 0
        for expected in ["Learning rate is now 0.10"] + Self.scheduleLines {
            guard let found = lines[position...].firstIndex(of: expected) else {
                Issue.record("missing or out of order: \(expected)")
                continue
            }
            position = found + 1
        }
        // The cosine at t = 20 is exactly halfway: 0.255.
        #expect(CosineSchedule(maxUpdate: 40, baseLR: 0.5, finalLR: 0.01)(20) == 0.255)

        // Six runs, each ending with the book's line.
        let finals = lines.filter(Self.isFinalLine)
        #expect(finals.count == 6)
        let tables = Self.epochTables(nb)
        #expect(tables.count == 6)
        for table in tables {
            #expect(table.count == 2)                              // reduced: 2 epochs
            for row in table {
                for cell in row.dropFirst() { #expect(Double(cell) != nil, "not a number: \(cell)") }
            }
        }
        // Rates per epoch: constant, square root (1, 1/sqrt 2), multi-factor, cosine (T = 2),
        // warmup (0 in the first epoch), and the book's per-update cosine (4 updates per epoch).
        #expect(tables.map { $0.map { $0[1] } } == [
            ["0.500000", "0.500000"], ["1.000000", "0.707107"], ["0.500000", "0.500000"],
            ["0.500000", "0.255000"], ["0.000000", "0.500000"], ["0.493231", "0.463897"],
        ])
        // The run with warmup does not move in its first epoch: its loss is the untrained one,
        // the same as every other run's first minibatches would give, near ln 10.
        let warmupLoss = try #require(Double(tables[4][0][2]))
        #expect(abs(warmupLoss - log(10)) < 0.05)
        // Sanity: the square-root run learns (loss falls, accuracy above chance).
        let sqrtRun = tables[1].map { $0.compactMap(Double.init) }
        #expect(sqrtRun[1][1] < sqrtRun[0][1])
        #expect(sqrtRun[1][4] > 0.2)   // held-out accuracy above chance

        // Pinned reduced results (goldens hold the rest).
        Golden.checkChapter(nb)
        ExerciseStructure.check(nb)
    }

    /// `--data-dir` reads the four Fashion-MNIST files, raw or gzipped. The test writes small
    /// 28x28 IDX files of its own (64 training and 32 test images of random pixels; the test
    /// pair gzipped) and runs the chapter on them.
    @Test func dataDirectoryWithFashionMNISTFiles() throws {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("optimbook-ch11-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rng = SeededGenerator(seed: 3)
        func header(_ values: [Int]) -> [UInt8] {
            values.flatMap { v in [24, 16, 8, 0].map { UInt8((v >> $0) & 0xFF) } }
        }
        func images(_ n: Int) -> [UInt8] {
            [0, 0, 8, 3] + header([n, 28, 28]) + (0..<(n * 784)).map { _ in UInt8(rng.integer(below: 256)) }
        }
        func labels(_ n: Int) -> [UInt8] { [0, 0, 8, 1] + header([n]) + (0..<n).map { UInt8($0 % 10) } }
        func write(_ bytes: [UInt8], _ name: String) throws {
            try Data(bytes).write(to: URL(fileURLWithPath: dir + "/" + name))
        }
        try write(images(64), "train-images-idx3-ubyte")
        try write(labels(64), "train-labels-idx1-ubyte")
        try write(Self.storedGzip(images(32)), "t10k-images-idx3-ubyte.gz")
        try write(Self.storedGzip(labels(32)), "t10k-labels-idx1-ubyte.gz")

        let nb = try Book.notebook(LRSchedulingChapter.self, values: ["--data-dir": dir])
        #expect(nb.markdown().contains("Fashion-MNIST read from the directory given with --data-dir: its 64 training images"))
        let lines = nb.outputLines.map { $0.rendered(maskVolatile: true) }
        #expect(lines.filter(Self.isFinalLine).count == 6)
        #expect(lines.contains("2 epochs of 64 images in <volatile> s (<volatile> s/epoch)"))

        // A directory without the files is a clear error naming the missing file.
        #expect(throws: IDXError.self) {
            _ = try Book.notebook(LRSchedulingChapter.self, values: ["--data-dir": dir + "/absent"])
        }
    }

    /// gzip with stored (uncompressed) deflate blocks.
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
}
