import OptimKit
/// Problems reading an IDX data file (the MNIST file format); every message names the file.
public struct IDXError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Problem: Equatable, Sendable {
        case missingFile
        case unreadable(String)
        case tooShort(bytes: Int)
        case wrongMagic(found: UInt32, expected: UInt32)
        case unsupportedType(code: UInt8)
        case sizeMismatch(expectedBytes: Int, actualBytes: Int)
        /// The product of the non-zero dimensions overflows `Int` (found by fuzzing).
        case dimensionsTooLarge([Int])
        case compressed(Gzip.Failure)
        case labelOutOfRange(index: Int, value: Int, classCount: Int)
        case countMismatch(images: Int, labels: Int)
        case checksumMismatch(expected: String, actual: String)
        case unexpectedImageSize(rows: Int, columns: Int, expectedRows: Int, expectedColumns: Int)
        /// The elements the header describes would take `bytes` in memory, over `DataLimits.maximumBytes`.
        case exceedsMemoryCap(dimensions: [Int], bytes: Int, perElement: Int, element: String)
        /// A gzip file larger than any file within the memory cap can compress to.
        case compressedFileTooLarge(size: Int, maximum: Int)
        /// The gzip data go on past what the header describes.
        case extraDecompressedData(expectedBytes: Int)
        /// No images at all.
        case emptyDataSet(count: Int)
        /// Images of zero rows or columns.
        case imagesWithoutPixels(count: Int, rows: Int, columns: Int)
    }

    public let path: String
    public let problem: Problem

    public init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    public var description: String {
        let what: String
        switch problem {
        case .missingFile: what = "file not found"
        case .unreadable(let why): what = "cannot read the file: \(why)"
        case .tooShort(let bytes): what = "only \(bytes) bytes, too short for an IDX header"
        case let .wrongMagic(found, expected):
            what = "wrong magic number 0x\(hex8(found)) (expected 0x\(hex8(expected)) = \(expected)); not an IDX file of this kind"
        case .unsupportedType(let code):
            what = "IDX element type 0x\(String(code, radix: 16)) is not supported (only 0x08, unsigned bytes)"
        case let .sizeMismatch(expected, actual):
            what = actual < expected
                ? "the header's dimensions need \(expected) data bytes but the file has \(actual) (truncated?)"
                : "the header's dimensions need \(expected) data bytes but the file has \(actual) (extra data)"
        case .dimensionsTooLarge(let dimensions):
            what = "the header's dimensions \(dimensions.map(String.init).joined(separator: " x ")) are too large (their product overflows)"
        case .compressed(let failure): what = failure.description
        case let .labelOutOfRange(index, value, classCount):
            what = "label \(value) at index \(index) is outside 0..<\(classCount)"
        case let .countMismatch(images, labels):
            what = "\(images) images but \(labels) labels"
        case let .unexpectedImageSize(rows, columns, expectedRows, expectedColumns):
            what = "images are \(rows)x\(columns) pixels, expected \(expectedRows)x\(expectedColumns)"
        case let .checksumMismatch(expected, actual):
            what = "SHA-256 \(actual) differs from the expected \(expected) (file damaged or replaced)"
        case let .exceedsMemoryCap(dimensions, bytes, perElement, element):
            what = "the header's dimensions \(dimensions.map(String.init).joined(separator: " x ")) would take \(bytes) bytes in memory (\(perElement) per \(element)), more than the \(DataLimits.maximumBytes)-byte (\(DataLimits.describe(DataLimits.maximumBytes))) cap for a data set file"
        case let .compressedFileTooLarge(size, maximum):
            what = "the compressed file has \(size) bytes, more than the \(maximum) bytes that a data set file within the \(DataLimits.maximumBytes)-byte (\(DataLimits.describe(DataLimits.maximumBytes))) cap can compress to"
        case .extraDecompressedData(let expected):
            what = "the header's dimensions need \(expected) data bytes but the decompressed data holds more (extra data)"
        case .emptyDataSet(let count):
            what = "holds \(count) images; a data set needs at least 1"
        case let .imagesWithoutPixels(count, rows, columns):
            what = "holds \(count) images of \(rows) x \(columns) pixels, which have no pixels to learn from"
        }
        return "\(path): \(what)"
    }

    private func hex8(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}
