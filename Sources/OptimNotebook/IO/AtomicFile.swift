import OptimPlot
import Foundation

/// Errors about files the program reads or writes, each naming the file.
public struct FileError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let problem: String
    public init(path: String, problem: String) { self.path = path; self.problem = problem }
    public var description: String { "\(path): \(problem)" }
}

/// Writes files so that a reader never sees a half-written one: the bytes go to a
/// temporary file in the same directory, which is then renamed over the target.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temporary = directory + "/.\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw FileError(path: path, problem: "cannot write the file (is the directory writable?)")
        }
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw FileError(path: path, problem: "cannot replace the file: \(reason)")
        }
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// Creates `path` (and its parents) as a directory and checks that files can be
    /// written in it, before any long computation starts.
    public static func prepareDirectory(_ path: String) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
            if !isDirectory.boolValue {
                throw FileError(path: path, problem: "exists and is not a directory")
            }
        } else {
            do {
                try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw FileError(path: path, problem: "cannot create the output directory (a parent is a file or not writable)")
            }
        }
        let probe = path + "/.write-probe-\(ProcessInfo.processInfo.processIdentifier)"
        guard fm.createFile(atPath: probe, contents: Data()) else {
            throw FileError(path: path, problem: "the output directory is not writable")
        }
        unlink(probe)
    }
}
