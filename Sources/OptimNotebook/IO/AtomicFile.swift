import OptimIO
import OptimPlot
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Errors about files the program reads or writes, each naming the file.
public struct FileError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let problem: String
    public init(path: String, problem: String) { self.path = path; self.problem = problem }
    public var description: String { "\(path): \(problem)" }
}

/// Writes files so that a reader never sees a half-written one: the bytes go to a
/// temporary file in the same directory (`.<name>.tmp-<pid>`), which is then renamed over
/// the target. The temporary is registered with `InterruptCleanup`, so an interrupted run
/// removes it; one left by a killed process is removed by the next write of the same file.
/// Failures name the system's cause (`strerror`).
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        let prefix = ".\(name).tmp-"
        let temporary = directory + "/" + prefix + "\(getpid())"
        try InterruptCleanup.critical {
            StaleTemporaries.remove(in: directory) { StaleTemporaries.processID(in: $0, after: prefix) }
            InterruptCleanup.register(temporary)
            defer { InterruptCleanup.unregister(temporary) }
            do {
                try FileBytes.create(temporary, data)
            } catch let code as FileBytes.Failure {
                unlink(temporary)
                throw FileError(path: path, problem: "cannot write the file: \(SystemError.text(code.errno))")
            }
            if rename(temporary, path) != 0 {
                let reason = SystemError.text(errno)
                unlink(temporary)
                throw FileError(path: path, problem: "cannot replace the file: \(reason)")
            }
        }
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// Creates `path` (and its parents) as a directory and checks that files can be
    /// written in it, before any long computation starts.
    public static func prepareDirectory(_ path: String) throws {
        try FileBytes.makeDirectories(path)
        if access(path, W_OK) != 0 {
            throw FileError(path: path, problem: "cannot write in the output directory: \(SystemError.text(errno))")
        }
    }
}

/// File system calls with `errno` kept: creating a file with its bytes, and `mkdir -p`.
enum FileBytes {
    struct Failure: Error { let errno: Int32 }

    /// Creates `path` (which must not exist) holding `data`.
    static func create(_ path: String, _ data: Data) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw Failure(errno: errno) }
        var failure: Int32? = nil
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                #if canImport(Darwin)
                let n = Darwin.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                #elseif canImport(Musl)
                let n = Musl.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                #else
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                #endif
                if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else {
                    failure = n < 0 ? errno : EIO
                    return
                }
            }
        }
        if close(fd) != 0 && failure == nil && errno != EINTR { failure = errno }
        if let failure { throw Failure(errno: failure) }
    }

    /// `mkdir -p path`; the error names the system's reason.
    static func makeDirectories(_ path: String) throws {
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else {
                throw FileError(path: path, problem: "exists and is not a directory")
            }
            return
        }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") where !component.isEmpty {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + component
            if mkdir(prefix, 0o777) != 0 && errno != EEXIST {
                throw FileError(path: path, problem: "cannot create the output directory: \(SystemError.text(errno))")
            }
        }
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw FileError(path: path, problem: "cannot create the output directory: \(SystemError.text(ENOTDIR))")
        }
    }
}

/// Names of temporaries that processes of this program create, and the removal of those
/// whose process no longer exists.
enum StaleTemporaries {
    /// The process id at the end of `name` after `prefix` (e.g. `.README.md.tmp-4711`).
    static func processID(in name: String, after prefix: String) -> pid_t? {
        guard name.hasPrefix(prefix) else { return nil }
        return pid_t(name.dropFirst(prefix.count))
    }

    /// True when no process has this id (kill(pid, 0) fails with ESRCH).
    static func isDead(_ pid: pid_t) -> Bool {
        pid > 0 && pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH
    }

    /// Removes each entry of `directory` for which `owner` names a dead process.
    static func remove(in directory: String, owner: (String) -> pid_t?) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasPrefix(".") {
            if let pid = owner(name), isDead(pid) {
                try? FileManager.default.removeItem(atPath: directory + "/" + name)
            }
        }
    }
}
