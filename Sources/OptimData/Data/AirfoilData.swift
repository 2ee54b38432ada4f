import OptimIO
import OptimKit
import Foundation

/// The airfoil self-noise data as section 11.5 prepares it: five standardised features
/// and a standardised target per row.
///
/// Preparation, as in the book: parse the tab-separated file (1503 rows, CRLF line
/// ends); standardise every column, the target included, with its mean and its
/// *population* standard deviation over all rows in the file; keep the first 1500 rows.
/// The bundled copy is verified against its published SHA-1 before parsing.
///
/// Features are stored row-major in one flat array (`features[row * 5 + column]`), which
/// is what the training loop reads.
///
/// ```swift
/// let data = try AirfoilData.load()
/// data.count            // 1500
/// data.feature(0, 0)    // the first row's standardised frequency
/// ```
public struct AirfoilData: Sendable, Equatable {
    /// SHA-1 of the published file (also listed by the book's data hub).
    public static let expectedSHA1 = "76e5be1548fd8222e5074cf0faae75edff8cf93f"
    public static let fileName = "airfoil_self_noise.dat"
    /// Columns in the file: five features and the target.
    public static let columnCount = 6
    /// Rows the book keeps.
    public static let defaultRowCount = 1500

    /// Standardised features, row-major, `count × featureCount`.
    public let features: [Double]
    /// Standardised targets.
    public let targets: [Double]
    /// Rows kept.
    public let count: Int
    /// Rows in the file (all of them enter the means and standard deviations).
    public let rowsInFile: Int
    /// Per-column means and population standard deviations used for standardising
    /// (six entries, the target last).
    public let columnMeans: [Double]
    public let columnStandardDeviations: [Double]

    public var featureCount: Int { AirfoilData.columnCount - 1 }

    public func feature(_ row: Int, _ column: Int) -> Double { features[row * featureCount + column] }

    /// The bundled copy, checksum verified.
    public static func load(keepingRows: Int = defaultRowCount) throws -> AirfoilData {
        let bytes = try bundledFileContents()
        return try decode(bytes, source: "OptimKit resource \(fileName)", expectedSHA1: expectedSHA1,
                          keepingRows: keepingRows)
    }

    /// A copy at `path`. With `expectedSHA1` (the default: the published value) the bytes
    /// must match it; pass `nil` to read a file that is meant to differ (for instance a
    /// subset in a test).
    public static func load(path: String, expectedSHA1: String? = AirfoilData.expectedSHA1,
                            keepingRows: Int = defaultRowCount) throws -> AirfoilData {
        let bytes: Data
        do {
            // Sized before it is read: a table of this kind is kilobytes, not gigabytes.
            bytes = Data(try BoundedFile(path).readAll(maximum: DataLimits.maximumTableFileBytes))
        } catch {
            if case .tooLarge = error {
                throw AirfoilDataError.unreadable(path: path, reason: error.reason + " for a table of this kind")
            }
            throw AirfoilDataError.unreadable(path: path, reason: error.reason)
        }
        return try decode(bytes, source: path, expectedSHA1: expectedSHA1, keepingRows: keepingRows)
    }

    /// The raw bytes of the bundled file.
    public static func bundledFileContents() throws -> Data {
        guard let url = Bundle.module.url(forResource: "airfoil_self_noise", withExtension: "dat",
                                          subdirectory: "Resources")
                ?? Bundle.module.url(forResource: "airfoil_self_noise", withExtension: "dat") else {
            throw AirfoilDataError.missingResource(name: fileName)
        }
        do {
            return Data(try BoundedFile(url.path).readAll(maximum: DataLimits.maximumTableFileBytes))
        } catch {
            throw AirfoilDataError.unreadable(path: url.path, reason: error.reason)
        }
    }

    /// Checks the checksum (when given), parses and standardises.
    public static func decode(_ bytes: Data, source: String, expectedSHA1: String?,
                              keepingRows: Int = defaultRowCount) throws -> AirfoilData {
        if let expected = expectedSHA1 {
            let actual = SHA1.hexDigest(of: bytes)
            if actual != expected.lowercased() {
                throw AirfoilDataError.checksumMismatch(path: source, expected: expected.lowercased(), actual: actual)
            }
        }
        let rows = try parseRows(bytes, source: source)
        return try standardise(rows, source: source, keepingRows: keepingRows)
    }

    /// Splits the file into rows of six numbers. Accepts LF or CRLF; blank lines at the end
    /// are ignored, a blank line between data rows is a short row.
    static func parseRows(_ bytes: Data, source: String) throws -> [[Double]] {
        var lines = [ArraySlice<UInt8>]()
        let all = [UInt8](bytes)
        var start = 0
        for i in all.indices where all[i] == 0x0A {
            lines.append(all[start..<i])
            start = i + 1
        }
        if start < all.count { lines.append(all[start..<all.count]) }
        // Strip carriage returns and drop trailing blank lines.
        lines = lines.map { line in line.last == 0x0D ? line.dropLast() : line }
        while let last = lines.last, last.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { lines.removeLast() }
        if lines.isEmpty { throw AirfoilDataError.emptyFile(path: source) }

        var rows = [[Double]]()
        rows.reserveCapacity(lines.count)
        for (index, line) in lines.enumerated() {
            let lineNumber = index + 1
            let fields = line.isEmpty ? [] : line.split(separator: 0x09, omittingEmptySubsequences: false)
            if fields.count < columnCount {
                throw AirfoilDataError.shortRow(path: source, line: lineNumber, found: fields.count, expected: columnCount)
            }
            if fields.count > columnCount {
                throw AirfoilDataError.longRow(path: source, line: lineNumber, found: fields.count, expected: columnCount)
            }
            var row = [Double]()
            row.reserveCapacity(columnCount)
            for (column, field) in fields.enumerated() {
                let text = String(decoding: field, as: UTF8.self)
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                guard !trimmed.isEmpty, trimmed.allSatisfy({ "0123456789+-.eE".contains($0) }),
                      let value = Double(trimmed), value.isFinite else {
                    throw AirfoilDataError.notANumber(path: source, line: lineNumber, column: column + 1, text: text)
                }
                row.append(value)
            }
            rows.append(row)
        }
        return rows
    }

    /// Standardises with statistics over every row, then keeps the first `keepingRows`.
    static func standardise(_ rows: [[Double]], source: String, keepingRows: Int) throws -> AirfoilData {
        let n = rows.count
        var means = [Double](repeating: 0, count: columnCount)
        var deviations = [Double](repeating: 0, count: columnCount)
        for column in 0..<columnCount {
            var sum = 0.0
            for row in rows { sum += row[column] }
            let mean = sum / Double(n)
            var squares = 0.0
            for row in rows {
                let d = row[column] - mean
                squares += d * d
            }
            let deviation = (squares / Double(n)).squareRoot()
            if !(deviation > 0) { throw AirfoilDataError.constantColumn(path: source, column: column + 1) }
            means[column] = mean
            deviations[column] = deviation
        }
        let kept = min(max(keepingRows, 0), n)
        var features = [Double]()
        features.reserveCapacity(kept * (columnCount - 1))
        var targets = [Double]()
        targets.reserveCapacity(kept)
        for row in rows.prefix(kept) {
            for column in 0..<(columnCount - 1) {
                features.append((row[column] - means[column]) / deviations[column])
            }
            targets.append((row[columnCount - 1] - means[columnCount - 1]) / deviations[columnCount - 1])
        }
        return AirfoilData(features: features, targets: targets, count: kept, rowsInFile: n,
                           columnMeans: means, columnStandardDeviations: deviations)
    }
}
