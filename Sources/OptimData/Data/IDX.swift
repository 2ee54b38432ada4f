import OptimKit
import Foundation

/// Reader for the IDX format of the MNIST family of data sets.
///
/// An IDX file starts with a 4-byte magic number `00 00 TT DD` (`TT` the element type,
/// `0x08` for unsigned bytes; `DD` the number of dimensions), then each dimension as a
/// big-endian 32-bit integer, then the elements in row-major order. Image files have
/// magic `0x00000803` (2051: count x rows x columns), label files `0x00000801` (2049:
/// count). Files may be gzip-compressed (recognised by the bytes `1f 8b`, whatever the
/// name) and are then inflated with the package's own decoder.
///
/// ```swift
/// let images = try IDX.readImages(path: "train-images-idx3-ubyte.gz")  // pixels / 255
/// let labels = try IDX.readLabels(path: "train-labels-idx1-ubyte.gz")
/// ```
public enum IDX {
    public static let imagesMagic: UInt32 = 0x0000_0803
    public static let labelsMagic: UInt32 = 0x0000_0801

    /// Images as read from a file: `count x rows x columns` bytes.
    public struct Images: Sendable, Equatable {
        public let count: Int
        public let rows: Int
        public let columns: Int
        public let pixels: [UInt8]

        /// Pixels scaled to [0, 1] by dividing by 255.
        public var scaled: [Float] {
            var out = [Float](repeating: 0, count: pixels.count)
            for i in pixels.indices { out[i] = Float(pixels[i]) / 255 }
            return out
        }
    }

    /// The file's bytes, inflated if they are gzip data; files larger than any data file
    /// within `DataLimits` are refused unread (`checkedContents` also checks the header first).
    public static func contents(path: String) throws -> [UInt8] {
        let bytes = try readWhole(openFile(path), maximum: DataLimits.maximumCompressedFileBytes)
        guard Gzip.isGzip(bytes) else { return bytes }
        do {
            return try Gzip.decompress(bytes, limit: DataLimits.maximumRawFileBytes)
        } catch let failure as Gzip.Failure {
            throw IDXError(path: path, problem: .compressed(failure))
        }
    }

    /// Checks the header of `bytes` against `magic` and returns the dimensions and the
    /// offset where the data starts.
    public static func parseHeader(_ bytes: [UInt8], magic: UInt32, path: String) throws -> (dimensions: [Int], dataOffset: Int) {
        guard bytes.count >= 4 else { throw IDXError(path: path, problem: .tooShort(bytes: bytes.count)) }
        let found = bigEndian32(bytes, 0)
        let expectedType = UInt8((magic >> 8) & 0xFF)
        if bytes[0] == 0 && bytes[1] == 0 && bytes[2] != expectedType {
            throw IDXError(path: path, problem: .unsupportedType(code: bytes[2]))
        }
        guard found == magic else { throw IDXError(path: path, problem: .wrongMagic(found: found, expected: magic)) }
        let rank = Int(bytes[3])
        let offset = 4 + 4 * rank
        guard bytes.count >= offset else { throw IDXError(path: path, problem: .tooShort(bytes: bytes.count)) }
        var dimensions = [Int]()
        var expected = 1
        // Product of the non-zero dimensions: it bounds every partial product a reader may
        // form (rows × columns, count × rows), so when it fits none of those can trap. A
        // zero dimension must not hide an overflow (both cases were found by fuzzing).
        var nonZeroProduct = 1
        var overflowed = false
        for d in 0..<rank {
            let size = Int(bigEndian32(bytes, 4 + 4 * d))
            dimensions.append(size)
            expected = expected &* size
            if size != 0 {
                let (product, overflow) = nonZeroProduct.multipliedReportingOverflow(by: size)
                overflowed = overflowed || overflow
                nonZeroProduct = product
            }
        }
        if overflowed { throw IDXError(path: path, problem: .dimensionsTooLarge(dimensions)) }
        let actual = bytes.count - offset
        guard expected == actual else {
            throw IDXError(path: path, problem: .sizeMismatch(expectedBytes: expected, actualBytes: actual))
        }
        return (dimensions, offset)
    }

    /// Reads an image file (magic 2051), raw or gzip.
    public static func readImages(path: String) throws -> Images {
        try parseImages(try checkedContents(path: path, magic: imagesMagic), path: path)
    }

    public static func parseImages(_ bytes: [UInt8], path: String) throws -> Images {
        let (dimensions, offset) = try parseHeader(bytes, magic: imagesMagic, path: path)
        return Images(count: dimensions[0], rows: dimensions[1], columns: dimensions[2],
                      pixels: Array(bytes[offset...]))
    }

    /// Reads a label file (magic 2049), raw or gzip; every label must be below `classCount`.
    public static func readLabels(path: String, classCount: Int = 10) throws -> [Int] {
        try parseLabels(try checkedContents(path: path, magic: labelsMagic), path: path, classCount: classCount)
    }

    public static func parseLabels(_ bytes: [UInt8], path: String, classCount: Int = 10) throws -> [Int] {
        let (_, offset) = try parseHeader(bytes, magic: labelsMagic, path: path)
        var labels = [Int]()
        labels.reserveCapacity(bytes.count - offset)
        for i in offset..<bytes.count {
            let value = Int(bytes[i])
            guard value < classCount else {
                throw IDXError(path: path, problem: .labelOutOfRange(index: i - offset, value: value, classCount: classCount))
            }
            labels.append(value)
        }
        return labels
    }

    /// Reads a matching image and label file into a data set with pixels in [0, 1].
    public static func dataset(imagesPath: String, labelsPath: String, classCount: Int = 10) throws -> ImageDataset {
        let images = try readImages(path: imagesPath)
        let labels = try readLabels(path: labelsPath, classCount: classCount)
        return try dataset(images: images, labels: labels, imagesPath: imagesPath, labelsPath: labelsPath, classCount: classCount)
    }

    static func dataset(images: Images, labels: [Int], imagesPath: String, labelsPath: String, classCount: Int) throws -> ImageDataset {
        guard images.count == labels.count else {
            throw IDXError(path: "\(imagesPath) + \(labelsPath)", problem: .countMismatch(images: images.count, labels: labels.count))
        }
        guard images.count > 0 else { throw IDXError(path: imagesPath, problem: .emptyDataSet(count: images.count)) }
        guard images.rows > 0 && images.columns > 0 else {
            throw IDXError(path: imagesPath, problem: .imagesWithoutPixels(count: images.count, rows: images.rows, columns: images.columns))
        }
        return ImageDataset(images: images.scaled, labels: labels, rows: images.rows, columns: images.columns,
                            classCount: classCount)
    }

    private static func bigEndian32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }
}
