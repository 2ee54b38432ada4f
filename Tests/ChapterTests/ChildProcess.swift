import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import OptimBook
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts a program with its standard streams set up exactly as a shell would leave them
/// (closed, `/dev/full`, a pipe nobody reads, a file) and SIGPIPE at its default action,
/// which `Process` cannot do: it passes on whatever the test runner ignores.
///
/// ```swift
/// let r = try ChildProcess.run(exe, ["--output", dir], stdout: .closed)
/// r.status   // exit status, or 128 + signal number as a shell reports it
/// ```
enum ChildProcess {
    enum Stream {
        /// A temporary file whose contents come back in the result.
        case captured
        /// No descriptor at all (`>&-`).
        case closed
        /// Opened for writing (`>/dev/full`, `>/dev/null`).
        case file(String)
        /// The write end of a pipe whose read end is already closed (a reader that left).
        case brokenPipe
    }

    struct Result {
        /// The exit status, or 128 + the signal that ended the process.
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// A started child: `wait()` collects its status and captured output.
    final class Running {
        let pid: pid_t
        let scratch: String
        init(pid: pid_t, scratch: String) { self.pid = pid; self.scratch = scratch }

        /// What the child has written to a captured stream so far.
        func captured(_ name: String) -> String {
            (try? String(contentsOfFile: scratch + "/" + name, encoding: .utf8)) ?? ""
        }

        func signal(_ number: Int32) { kill(pid, number) }

        func wait() -> Result {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            let signal = status & 0x7F
            let code = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
            let result = Result(status: code, stdout: captured("stdout"), stderr: captured("stderr"))
            try? FileManager.default.removeItem(atPath: scratch)
            return result
        }
    }

    /// Runs `executable` with `arguments` to the end; the environment disables colour and masks timings.
    static func run(_ executable: String, _ arguments: [String], stdout: Stream = .captured,
                    stderr: Stream = .captured) throws -> Result {
        try start(executable, arguments, stdout: stdout, stderr: stderr).wait()
    }

    /// Starts `executable` and returns at once.
    static func start(_ executable: String, _ arguments: [String], stdout: Stream = .captured,
                      stderr: Stream = .captured) throws -> Running {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("optimbook-child-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)

        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t? = nil
        var attributes: posix_spawnattr_t? = nil
        #else
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer { posix_spawn_file_actions_destroy(&actions); posix_spawnattr_destroy(&attributes) }

        var pipeEnds: [Int32] = []
        defer { for fd in pipeEnds { close(fd) } }
        for (fd, stream, name) in [(Int32(1), stdout, "stdout"), (Int32(2), stderr, "stderr")] {
            switch stream {
            case .captured:
                posix_spawn_file_actions_addopen(&actions, fd, scratch + "/" + name, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            case .closed:
                posix_spawn_file_actions_addclose(&actions, fd)
            case .file(let path):
                posix_spawn_file_actions_addopen(&actions, fd, path, O_WRONLY, 0)
            case .brokenPipe:
                var ends: [Int32] = [0, 0]
                guard pipe(&ends) == 0 else { throw POSIXError(.EMFILE) }
                close(ends[0])
                pipeEnds.append(ends[1])
                posix_spawn_file_actions_adddup2(&actions, ends[1], fd)
            }
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        // SIGPIPE and the other signals back to their default action, as after a login shell.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGXFSZ] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["OPTIMBOOK_MASK_VOLATILE"] = "1"
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            try? FileManager.default.removeItem(atPath: scratch)
            throw FileErrorText(path: executable, problem: String(cString: strerror(spawned)))
        }
        return Running(pid: pid, scratch: scratch)
    }

    /// `sh -c script executable arguments…`: for `ulimit` and `trap` before the program starts.
    static func runInShell(_ script: String, _ executable: String, _ arguments: [String],
                           stdout: Stream = .captured, stderr: Stream = .captured) throws -> Result {
        try run("/bin/sh", ["-c", script, executable] + arguments, stdout: stdout, stderr: stderr)
    }

    struct FileErrorText: Error, CustomStringConvertible {
        let path: String
        let problem: String
        var description: String { "\(path): \(problem)" }
    }
}
