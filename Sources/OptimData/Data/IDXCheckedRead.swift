import OptimKit
import OptimIO
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Header-first reading of IDX files: the header is read (or, for gzip, inflated) alone and
/// checked against the memory cap (`DataLimits`) and against the file's real size before
/// the contents are read, so a file that is too large or inconsistent is refused in
/// milliseconds, whatever its size on disk.
///
/// - raw: the first bytes give the dimensions; the data must fill the rest of the file
///   exactly, and the elements must fit the cap;
/// - gzip: the compressed file must be no larger than a file within the cap can compress
///   to; the header is inflated alone and checked the same way; the full inflation then
///   stops at the size the header gives (more data is an error, not a longer read).
extension IDX {
    /// The bytes of an IDX file of kind `magic` (images or labels), inflated, after the checks above.
    public static func checkedContents(path: String, magic: UInt32) throws -> [UInt8] {
        let file = try openFile(path)
        let start = try read(file, at: 0, count: 2)
        if Gzip.isGzip(start) {
            guard file.size <= DataLimits.maximumCompressedFileBytes else {
                throw IDXError(path: path, problem: .compressedFileTooLarge(size: file.size, maximum: DataLimits.maximumCompressedFileBytes))
            }
            let compressed = try read(file, at: 0, count: file.size)
            let header: [UInt8]
            do {
                let prefix = try Gzip.decompressedPrefix(compressed, count: DataLimits.maximumHeaderBytes)
                // A first member shorter than a header (several members): inflate within the cap.
                let needed = prefix.count >= 4 ? 4 + 4 * Int(prefix[3]) : 4
                header = prefix.count >= needed ? prefix
                    : try Gzip.decompress(compressed, limit: DataLimits.maximumRawFileBytes)
            } catch let failure as Gzip.Failure {
                throw IDXError(path: path, problem: .compressed(failure))
            }
            let (dataBytes, offset) = try checkHeader(header, magic: magic, path: path)
            do {
                return try Gzip.decompress(compressed, limit: offset + dataBytes)
            } catch Gzip.Failure.deflate(.outputTooLarge) {
                throw IDXError(path: path, problem: .extraDecompressedData(expectedBytes: dataBytes))
            } catch let failure as Gzip.Failure {
                throw IDXError(path: path, problem: .compressed(failure))
            }
        }
        let header = try read(file, at: 0, count: DataLimits.maximumHeaderBytes)
        let (dataBytes, offset) = try checkHeader(header, magic: magic, path: path)
        guard file.size - offset == dataBytes else {
            throw IDXError(path: path, problem: .sizeMismatch(expectedBytes: dataBytes, actualBytes: file.size - offset))
        }
        return try read(file, at: 0, count: file.size)
    }

    /// The data size and offset the header at the start of `bytes` describes, after checking
    /// that its elements fit the memory cap. `bytes` may hold more or less than the data.
    static func checkHeader(_ bytes: [UInt8], magic: UInt32, path: String) throws -> (dataBytes: Int, offset: Int) {
        var dataBytes: Int
        do {
            let (_, offset) = try parseHeader(bytes, magic: magic, path: path)
            dataBytes = bytes.count - offset
        } catch let error as IDXError {
            guard case .sizeMismatch(let expected, _) = error.problem else { throw error }
            dataBytes = expected
        }
        let rank = Int(bytes[3])
        let offset = 4 + 4 * rank
        let perElement = magic == imagesMagic ? DataLimits.bytesPerPixel : DataLimits.bytesPerLabel
        let (bytesInMemory, overflow) = dataBytes.multipliedReportingOverflow(by: perElement)
        if overflow || bytesInMemory > DataLimits.maximumBytes {
            let dimensions = (0..<rank).map { d in
                (0..<4).reduce(0) { $0 << 8 | Int(bytes[4 + 4 * d + $1]) }
            }
            throw IDXError(path: path, problem: .exceedsMemoryCap(dimensions: dimensions, bytes: overflow ? Int.max : bytesInMemory,
                                                                  perElement: perElement, element: magic == imagesMagic ? "pixel" : "label"))
        }
        return (dataBytes, offset)
    }

    static func openFile(_ path: String) throws -> BoundedFile {
        do {
            return try BoundedFile(path)
        } catch .system(ENOENT) {
            throw IDXError(path: path, problem: .missingFile)
        } catch {
            throw IDXError(path: path, problem: .unreadable(error.reason))
        }
    }

    /// The whole file, refused unread when larger than `maximum`; failures as `IDXError`.
    static func readWhole(_ file: BoundedFile, maximum: Int) throws -> [UInt8] {
        do {
            return try file.readAll(maximum: maximum)
        } catch {
            throw IDXError(path: file.path, problem: .unreadable(error.reason))
        }
    }

    private static func read(_ file: BoundedFile, at offset: Int, count: Int) throws -> [UInt8] {
        do {
            return try file.read(at: offset, count: count)
        } catch {
            throw IDXError(path: file.path, problem: .unreadable(error.reason))
        }
    }
}
