import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file opened for reading with the system calls, its size known before anything is read:
/// a reader checks a header or the size against its limits first and only then reads the
/// rest. Failures carry the `errno`, so messages say what the system said.
///
/// ```swift
/// let file = try BoundedFile(path)                  // fails with ENOENT, EISDIR, EACCES, …
/// let header = try file.read(at: 0, count: 16)      // fewer bytes when the file is shorter
/// let all = try file.readAll(maximum: 64 << 20)     // refuses a larger file without reading it
/// ```
public final class BoundedFile {
    public enum Failure: Error, Equatable {
        /// A system call failed with this `errno`.
        case system(Int32)
        /// The file has `size` bytes, more than the `maximum` the caller allows.
        case tooLarge(size: Int, maximum: Int)

        /// The system's text, or the size comparison.
        public var reason: String {
            switch self {
            case .system(let code): return SystemError.text(code)
            case let .tooLarge(size, maximum):
                return "the file has \(size) bytes, more than the \(maximum)-byte (\(ByteCount.describe(maximum))) limit"
            }
        }
    }

    public let path: String
    /// The size on disk when opened.
    public let size: Int
    private let descriptor: Int32

    public init(_ path: String) throws(Failure) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .system(errno) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw .system(code)
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            close(fd)
            throw .system(EISDIR)
        }
        descriptor = fd
        size = Int(info.st_size)
    }

    deinit { close(descriptor) }

    /// Up to `count` bytes from `offset` (fewer at the end of the file).
    public func read(at offset: Int, count: Int) throws(Failure) -> [UInt8] {
        let wanted = max(0, min(count, size - offset))
        var bytes = [UInt8](repeating: 0, count: wanted)
        var done = 0
        var failure: Int32? = nil
        bytes.withUnsafeMutableBytes { buffer in
            while done < wanted {
                let n = pread(descriptor, buffer.baseAddress! + done, wanted - done, off_t(offset + done))
                if n > 0 { done += n } else if n < 0 && errno == EINTR { continue } else {
                    if n < 0 { failure = errno }
                    return
                }
            }
        }
        if let failure { throw .system(failure) }
        if done < wanted { bytes.removeLast(wanted - done) }
        return bytes
    }

    /// The whole file, refused without reading when it is larger than `maximum`.
    public func readAll(maximum: Int) throws(Failure) -> [UInt8] {
        guard size <= maximum else { throw .tooLarge(size: size, maximum: maximum) }
        return try read(at: 0, count: size)
    }
}
