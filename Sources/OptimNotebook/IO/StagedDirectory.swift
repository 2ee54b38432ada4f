import OptimIO
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A directory whose files are replaced as one set: a run writes its page and figures into a
/// staging directory beside the target and swaps the two directories in one step, so at
/// any moment the target holds either the complete old set or the complete new one.
///
/// Opening the set (`init`), before the long computation:
/// 1. creates the target if needed (`mkdir -p`) and checks that it is a writable directory
///    holding only files (a subdirectory could not be carried into the new set safely);
/// 2. locks it with `flock` on the directory itself; a second run into a directory that a
///    live run holds is refused at once (`LockedByAnotherRun`), so two sets never mix. The
///    lock is released when the process ends, however it ends;
/// 3. removes what killed earlier runs left: their staging directories
///    (`.<name>.staging-<pid>` beside the target) and temporary files inside it;
/// 4. creates this run's staging directory, registered with `InterruptCleanup`.
///
/// `write(_:name:)` puts files into the staging directory; `commit()` hard-links every file
/// of the old set that the new one does not replace (so nothing the user kept there is
/// lost), exchanges the two directories (`renameat2(RENAME_EXCHANGE)` on Linux,
/// `renamex_np(RENAME_SWAP)` on macOS) and removes the old set. Where the exchange is not
/// available it falls back to two renames with interrupts held off between them (a SIGKILL
/// there leaves the old set under `.<name>.old-<pid>`, which the next run puts back).
/// `abandon()` (or dropping the object uncommitted) removes the staging directory.
///
/// ```swift
/// let set = try StagedDirectory("Output/Ch11_3_GradientDescent")   // locked, staging ready
/// try set.write(Data(svg.utf8), name: "gd-2d.svg")
/// try set.write(Data(page.utf8), name: "README.md")
/// try set.commit()                                                // old set out, new set in
/// ```
public final class StagedDirectory {
    /// The target as given (used in messages).
    public let path: String
    /// The target with symbolic links resolved: the directory that is swapped.
    let target: String
    let parent: String
    let name: String
    let staging: String
    private var lockDescriptor: Int32 = -1
    private var written: [String] = []
    private var finished = false

    /// Another live process holds the directory.
    public struct LockedByAnotherRun: Error, CustomStringConvertible {
        public let path: String
        public var description: String {
            "\(path): another run is writing this directory; wait until it has finished or choose another --output"
        }
    }

    public init(_ path: String) throws {
        self.path = path
        try StagedDirectory.restoreInterruptedSwap(path)
        try FileBytes.makeDirectories(path)
        guard let resolved = realpath(path, nil) else {
            throw FileError(path: path, problem: "cannot open the output directory: \(SystemError.text(errno))")
        }
        target = String(cString: resolved)
        free(resolved)
        parent = (target as NSString).deletingLastPathComponent
        name = (target as NSString).lastPathComponent
        staging = parent + "/.\(name).staging-\(getpid())"
        guard !name.isEmpty, name != "/", target != "/" else {
            throw FileError(path: path, problem: "cannot replace the root directory as a whole; choose a directory of its own")
        }
        try lock()
        if access(target, W_OK) != 0 {
            throw FileError(path: path, problem: "cannot write in the output directory: \(SystemError.text(errno))")
        }
        try checkEntries()
        removeStaleEntries()
        try InterruptCleanup.critical {
            InterruptCleanup.register(staging)
            if mkdir(staging, 0o700) != 0 {
                let reason = SystemError.text(errno)
                InterruptCleanup.unregister(staging)
                throw FileError(path: staging, problem: "cannot create the staging directory beside \(path): \(reason)")
            }
            var info = stat()
            if stat(target, &info) == 0 { chmod(staging, info.st_mode & 0o7777) }
        }
    }

    deinit {
        if !finished { abandon() }
        if lockDescriptor >= 0 { close(lockDescriptor) }
    }

    /// Locks the target with `flock`, making sure the locked directory is still the one at
    /// the path (a run that just swapped has moved the old one away).
    private func lock() throws {
        for _ in 0..<100 {
            let fd = open(target, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                throw FileError(path: path, problem: "cannot open the output directory: \(SystemError.text(errno))")
            }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                let code = errno
                close(fd)
                if code == EWOULDBLOCK { throw LockedByAnotherRun(path: path) }
                throw FileError(path: path, problem: "cannot lock the output directory: \(SystemError.text(code))")
            }
            var opened = stat(), current = stat()
            if fstat(fd, &opened) == 0 && stat(target, &current) == 0
                && opened.st_ino == current.st_ino && opened.st_dev == current.st_dev {
                lockDescriptor = fd
                return
            }
            close(fd)   // replaced meanwhile: lock the new one
        }
        throw LockedByAnotherRun(path: path)
    }

    /// Hidden files that processes of this program (or Foundation's writes in earlier
    /// versions) create as temporaries; never part of a set.
    static func isTemporary(_ entry: String) -> Bool {
        entry.hasPrefix(".dat.nosync") || entry.hasPrefix(".write-probe-")
            || (entry.hasPrefix(".") && entry.range(of: #"\.tmp-[0-9]+$"#, options: .regularExpression) != nil)
    }

    private func checkEntries() throws {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: target)) ?? [] where !Self.isTemporary(entry) {
            var info = stat()
            guard lstat(target + "/" + entry, &info) == 0 else { continue }
            let kind = info.st_mode & S_IFMT
            if kind != S_IFREG && kind != S_IFLNK {
                let what = kind == S_IFDIR ? "is a directory" : "is not a regular file"
                throw FileError(path: path + "/" + entry,
                                problem: "\(what); the page and figures replace the output directory as a whole, so it may hold only files")
            }
        }
    }

    /// Staging and old-set directories of dead processes beside the target, and temporaries
    /// inside it (under the lock, so no live run of this program is writing them).
    private func removeStaleEntries() {
        let prefixes = [".\(name).staging-", ".\(name).old-"]
        StaleTemporaries.remove(in: parent) { entry in
            prefixes.lazy.compactMap { StaleTemporaries.processID(in: entry, after: $0) }.first
        }
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: target)) ?? [] where Self.isTemporary(entry) {
            let owner = entry.split(separator: "-").last.flatMap { pid_t($0) }
            if entry.hasPrefix(".dat.nosync") || owner.map(StaleTemporaries.isDead) == true {
                unlink(target + "/" + entry)
            }
        }
    }

    /// After a SIGKILL between the two renames of the fallback swap the target is missing and
    /// the complete old set sits in `.<name>.old-<pid>`: put it back.
    static func restoreInterruptedSwap(_ path: String) throws {
        guard access(path, F_OK) != 0 else { return }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let parent = (absolute as NSString).deletingLastPathComponent
        let name = (absolute as NSString).lastPathComponent
        let prefix = ".\(name).old-"
        for entry in ((try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []).sorted() {
            if let pid = StaleTemporaries.processID(in: entry, after: prefix), StaleTemporaries.isDead(pid) {
                rename(parent + "/" + entry, absolute)
                return
            }
        }
    }

    /// Writes `data` as the new set's file `name`.
    public func write(_ data: Data, name file: String) throws {
        NotebookMisuse.require(!finished, "StagedDirectory.write: called after commit or abandon (\(path))")
        try InterruptCleanup.critical {
            do {
                try FileBytes.create(staging + "/" + file, data)
            } catch let failure as FileBytes.Failure {
                throw FileError(path: path + "/" + file, problem: "cannot write the file: \(SystemError.text(failure.errno))")
            }
        }
        written.append(file)
    }

    /// Carries over the old files the new set does not replace, swaps the staging directory
    /// in, and removes the old set.
    public func commit() throws {
        NotebookMisuse.require(!finished, "StagedDirectory.commit: called twice, or after abandon (\(path))")
        let replaced = Set(written)
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: target)) ?? []
        where !replaced.contains(entry) && !Self.isTemporary(entry) {
            let from = target + "/" + entry, to = staging + "/" + entry
            if linkat(AT_FDCWD, from, AT_FDCWD, to, 0) != 0 {
                do {
                    try FileManager.default.copyItem(atPath: from, toPath: to)
                } catch {
                    throw FileError(path: from, problem: "cannot carry the file over into the new set: \(SystemError.text(errno))")
                }
            }
        }
        let old: String = try InterruptCleanup.critical {
            if Self.exchange(staging, target) { return staging }
            let code = errno
            guard code == ENOSYS || code == EINVAL || code == ENOTSUP || code == 0 else {
                throw FileError(path: path, problem: "cannot swap in the new page and figures: \(SystemError.text(code))")
            }
            // No atomic exchange here: two renames, interrupts held off between them.
            let old = parent + "/.\(name).old-\(getpid())"
            InterruptCleanup.register(old)
            guard rename(target, old) == 0 else {
                let reason = SystemError.text(errno)
                InterruptCleanup.unregister(old)
                throw FileError(path: path, problem: "cannot move the old set aside: \(reason)")
            }
            guard rename(staging, target) == 0 else {
                let reason = SystemError.text(errno)
                rename(old, target)
                InterruptCleanup.unregister(old)
                throw FileError(path: path, problem: "cannot move the new set in: \(reason)")
            }
            InterruptCleanup.unregister(staging)
            return old
        }
        finished = true
        // The old set, now at `old`, stays registered until it is gone.
        try? FileManager.default.removeItem(atPath: old)
        InterruptCleanup.unregister(old)
    }

    /// Removes the staging directory; the target keeps its old set.
    public func abandon() {
        guard !finished else { return }
        finished = true
        InterruptCleanup.critical {
            try? FileManager.default.removeItem(atPath: staging)
            InterruptCleanup.unregister(staging)
        }
    }

    /// Exchanges two directories in one step; false with `errno` set when the system cannot.
    static func exchange(_ a: String, _ b: String) -> Bool {
        guard let handle = dlopen(nil, RTLD_NOW) else { errno = ENOSYS; return false }
        #if canImport(Darwin)
        typealias RenameX = @convention(c) (UnsafePointer<CChar>, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = dlsym(handle, "renamex_np") else { errno = ENOSYS; return false }
        let renamex = unsafeBitCast(symbol, to: RenameX.self)
        return renamex(a, b, 0x2 /* RENAME_SWAP */) == 0
        #else
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = dlsym(handle, "renameat2") else { errno = ENOSYS; return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, 0x2 /* RENAME_EXCHANGE */) == 0
        #endif
    }
}
