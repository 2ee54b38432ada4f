import OptimIO
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One of the process's standard streams, written with `write(2)`: a closed, full or broken
/// terminal becomes a remembered error, never a trap (Foundation's `FileHandle.write` traps
/// on any error). After the first failure the stream stays silent, so a chapter whose reader
/// went away finishes its computation and still writes its page.
///
/// ```swift
/// StandardStreams.output.write("epoch 10, x: 0.06\n")
/// if let code = StandardStreams.output.failure { … SystemError.text(code) … }
/// ```
public final class StandardStream: @unchecked Sendable {
    /// The file descriptor (1 or 2).
    public let descriptor: Int32
    /// "standard output" or "standard error", for messages.
    public let name: String
    private let lock = NSLock()
    private var firstFailure: Int32?

    init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
    }

    /// The `errno` of the first failed write (EPIPE, ENOSPC, EBADF, …), or nil.
    public var failure: Int32? { lock.withLock { firstFailure } }

    /// Writes all of `text` unless an earlier write failed; a failure is remembered, not thrown.
    public func write(_ text: String) {
        lock.withLock {
            guard firstFailure == nil else { return }
            var bytes = Array(text.utf8)
            let count = bytes.count
            bytes.withUnsafeMutableBytes { buffer in
                var offset = 0
                while offset < count {
                    #if canImport(Darwin)
                    let n = Darwin.write(descriptor, buffer.baseAddress! + offset, count - offset)
                    #elseif canImport(Musl)
                    let n = Musl.write(descriptor, buffer.baseAddress! + offset, count - offset)
                    #else
                    let n = Glibc.write(descriptor, buffer.baseAddress! + offset, count - offset)
                    #endif
                    if n > 0 {
                        offset += n
                    } else if n < 0 && errno == EINTR {
                        continue
                    } else {
                        firstFailure = n < 0 ? errno : EIO
                        return
                    }
                }
            }
        }
    }

    /// Marks the stream as unusable from the start (its descriptor was closed).
    func markUnavailable(_ code: Int32) {
        lock.withLock { if firstFailure == nil { firstFailure = code } }
    }
}

/// Standard output and standard error of a chapter process, and what happens when they fail.
///
/// `prepareForChapter()` runs first in every chapter executable:
/// - a closed descriptor 0, 1 or 2 (`>&-`) is reopened on `/dev/null`, so no file the run
///   opens later can take its number and receive the terminal text; the stream is marked
///   failed with EBADF;
/// - SIGPIPE is ignored, so a reader that left (`| head -1`) makes writes fail with EPIPE
///   instead of killing the run before its page is written; whether SIGPIPE was already
///   ignored when the process started is remembered;
/// - SIGXFSZ is ignored, so a file-size limit makes a write fail with EFBIG (reported, the
///   old page kept) instead of killing the run half-way through writing.
///
/// `finish(status:target:pageDirectory:)` then turns a failed standard output into the
/// exit: with SIGPIPE at its default action a broken pipe ends the process by SIGPIPE, quietly
/// (status 141 in a shell), as `yes | head -1` does; otherwise one line on standard error,
/// `<target>: error: cannot write to standard output: <errno text> (the page and figures were
/// still written to DIR)`, and status 1.
public enum StandardStreams {
    public static let output = StandardStream(descriptor: 1, name: "standard output")
    public static let error = StandardStream(descriptor: 2, name: "standard error")

    nonisolated(unsafe) private static var sigpipeWasIgnored = false

    public static func prepareForChapter() {
        for descriptor: Int32 in 0...2 where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
            let null = open("/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY)
            if null >= 0 && null != descriptor {
                dup2(null, descriptor)
                close(null)
            }
            if descriptor == 1 { output.markUnavailable(EBADF) }
            if descriptor == 2 { error.markUnavailable(EBADF) }
        }
        let previous = signal(SIGPIPE, SIG_IGN)
        sigpipeWasIgnored = unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
        signal(SIGXFSZ, SIG_IGN)
    }

    /// The exit status once the run is over (see the type's documentation). Does not return
    /// when standard output met a broken pipe and SIGPIPE was at its default action.
    public static func finish(status: Int32, target: String, pageDirectory: String?) -> Int32 {
        guard let failure = output.failure else { return status }
        if failure == EPIPE && !sigpipeWasIgnored && status == 0 {
            signal(SIGPIPE, SIG_DFL)
            raise(SIGPIPE)
        }
        guard status == 0 else { return status }
        let written = pageDirectory.map { " (the page and figures were still written to \($0))" } ?? ""
        error.write("\(target): error: cannot write to \(output.name): \(SystemError.text(failure))\(written)\n")
        return 1
    }
}
