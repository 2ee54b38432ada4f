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

@Suite struct AirfoilDataTests {
    @Test func bundledFileLoadsAndIsStandardised() throws {
        let data = try AirfoilData.load()
        #expect(data.count == 1500)
        #expect(data.rowsInFile == 1503)
        #expect(data.featureCount == 5)
        #expect(data.features.count == 1500 * 5)
        #expect(data.targets.count == 1500)
        // Statistics over all 1503 rows (numpy: mean(0), std(0) with ddof = 0).
        #expect(abs(data.columnMeans[0] - 2886.3805721889553) < 1e-9)
        #expect(abs(data.columnStandardDeviations[0] - 3151.524202236218) < 1e-9)
        #expect(abs(data.columnMeans[5] - 124.83594278110434) < 1e-10)
        #expect(abs(data.columnStandardDeviations[5] - 6.896361277488788) < 1e-12)
        // First row: 800  0  0.3048  71.3  0.00266337  126.201.
        #expect(abs(data.feature(0, 0) - (-0.6620227033980980)) < 1e-12)
        #expect(abs(data.feature(0, 2) - 1.7992992570062716) < 1e-12)
        #expect(abs(data.targets[0] - 0.1979387627721156) < 1e-12)
    }

    @Test func standardisationUsesAllRowsBeforeTruncating() throws {
        let full = try AirfoilData.load(keepingRows: 1503)
        // Over all rows each column has mean 0 and population variance 1.
        for column in 0..<5 {
            var sum = 0.0, squares = 0.0
            for row in 0..<full.count { sum += full.feature(row, column); squares += full.feature(row, column) * full.feature(row, column) }
            #expect(abs(sum / 1503) < 1e-12)
            #expect(abs(squares / 1503 - 1) < 1e-12)
        }
        let kept = try AirfoilData.load()
        #expect(Array(full.features.prefix(1500 * 5)) == kept.features)
    }

    func temporaryFile(_ contents: String, name: String = "airfoil-test.dat") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("optimkit-airfoil-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try AtomicFile.write(contents, to: path)
        return path
    }

    @Test func loadFromPathVerifiesTheChecksum() throws {
        let original = try AirfoilData.bundledFileContents()
        let path = try temporaryFile("")
        try AtomicFile.write(original, to: path)
        #expect(try AirfoilData.load(path: path) == AirfoilData.load())
        var edited = original
        edited[10] = UInt8(ascii: "9")
        try AtomicFile.write(edited, to: path)
        do {
            _ = try AirfoilData.load(path: path)
            Issue.record("an edited file must be rejected")
        } catch let error as AirfoilDataError {
            guard case .checksumMismatch(let p, let expected, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(p == path && expected == AirfoilData.expectedSHA1)
            #expect(error.description.contains(path))
        }
    }

    @Test func malformedFilesGiveErrorsNamingTheFileAndLine() throws {
        let good = "1\t2\t3\t4\t5\t6\r\n2\t3\t4\t5\t6\t8\r\n"
        let parsed = try AirfoilData.load(path: try temporaryFile(good), expectedSHA1: nil)
        #expect(parsed.count == 2)

        let cases: [(String, (AirfoilDataError) -> Bool)] = [
            ("", { if case .emptyFile = $0 { return true } else { return false } }),
            ("\r\n\r\n", { if case .emptyFile = $0 { return true } else { return false } }),
            (good + "1\t2\t3\r\n", { if case .shortRow(_, 3, 3, 6) = $0 { return true } else { return false } }),
            (good + "1\t2\t3\t4\t5\t6\t7\r\n", { if case .longRow(_, 3, 7, 6) = $0 { return true } else { return false } }),
            ("1\t2\tx\t4\t5\t6\r\n" + good, { if case .notANumber(_, 1, 3, "x") = $0 { return true } else { return false } }),
            ("1\t2\tnan\t4\t5\t6\r\n" + good, { if case .notANumber(_, 1, 3, "nan") = $0 { return true } else { return false } }),
            ("1\t2\t\t4\t5\t6\r\n" + good, { if case .notANumber(_, 1, 3, "") = $0 { return true } else { return false } }),
            ("1\t2\t3\t4\t5\t6\r\n\r\n" + good, { if case .shortRow(_, 2, 0, 6) = $0 { return true } else { return false } }),
            ("1\t2\t3\t4\t5\t6\n1\t2\t3\t4\t5\t7\n", { if case .constantColumn(_, 1) = $0 { return true } else { return false } }),
        ]
        for (contents, matches) in cases {
            let path = try temporaryFile(contents)
            do {
                _ = try AirfoilData.load(path: path, expectedSHA1: nil)
                Issue.record("accepted malformed contents \(contents.debugDescription)")
            } catch let error as AirfoilDataError {
                #expect(matches(error), "\(contents.debugDescription): \(error)")
                #expect(error.description.hasPrefix(path))
            }
        }
        // An empty file with the checksum check on fails on the checksum, naming the file.
        let emptyPath = try temporaryFile("")
        #expect(throws: AirfoilDataError.self) { try AirfoilData.load(path: emptyPath) }
        #expect(throws: AirfoilDataError.unreadable(path: "/nonexistent/airfoil.dat", reason: "No such file or directory")) {
            try AirfoilData.load(path: "/nonexistent/airfoil.dat")
        }
    }

    @Test func acceptsPlainLineFeedsAndAMissingFinalNewline() throws {
        let lf = try AirfoilData.load(path: try temporaryFile("1\t2\t3\t4\t5\t6\n2\t3\t4\t5\t6\t8"), expectedSHA1: nil)
        let crlf = try AirfoilData.load(path: try temporaryFile("1\t2\t3\t4\t5\t6\r\n2\t3\t4\t5\t6\t8\r\n"), expectedSHA1: nil)
        #expect(lf == crlf)
        #expect(lf.targets == [-1, 1])
    }
}
