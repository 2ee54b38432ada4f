import OptimIO
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Removes this process's temporary files and directories when it is interrupted (SIGINT,
/// SIGTERM, SIGHUP), then lets the signal end the process as usual (status 130, 143, 129 in
/// a shell).
///
/// `install()` blocks those signals in the calling thread, and so in every thread started
/// after it, and starts one thread that waits for them with `sigwait`. That thread is an
/// ordinary thread, not a signal handler, so it may take locks and remove directory trees.
/// Code that creates, renames or removes temporaries does so inside `critical { … }`, with
/// the paths registered there: the cleanup takes the same lock, so it never runs in the
/// middle of a rename, and whatever is registered when the signal arrives is removed. A
/// SIGKILL cannot be caught; the next run removes what such a run left (`StagedDirectory`,
/// `AtomicFile`).
///
/// ```swift
/// InterruptCleanup.install()                         // first thing in main
/// try InterruptCleanup.critical {
///     InterruptCleanup.register(temporary)
///     … create and fill `temporary`, rename it …
///     InterruptCleanup.unregister(temporary)
/// }
/// ```
public enum InterruptCleanup {
    public static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    private static let lock = NSRecursiveLock()
    nonisolated(unsafe) private static var registered: [String] = []
    nonisolated(unsafe) private static var installed = false

    /// Starts the cleanup thread (once; later calls do nothing).
    public static func install() {
        let first: Bool = lock.withLock {
            defer { installed = true }
            return !installed
        }
        guard first else { return }
        var set = signalSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
        let thread = Thread { waitForSignal() }
        thread.name = "interrupt-cleanup"
        thread.start()
    }

    private static func signalSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        return set
    }

    private static func waitForSignal() {
        var set = signalSet()
        var received: Int32 = 0
        while sigwait(&set, &received) != 0 {}
        lock.lock()   // never unlocked: the process ends below
        for path in registered.reversed() {
            try? FileManager.default.removeItem(atPath: path)
        }
        registered = []
        signal(received, SIG_DFL)
        var only = sigset_t()
        sigemptyset(&only)
        sigaddset(&only, received)
        pthread_sigmask(SIG_UNBLOCK, &only, nil)
        raise(received)
        _exit(128 + received)
    }

    /// Runs `body` so that an interrupt's cleanup waits until it has finished.
    public static func critical<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Adds `path` (a file or a directory tree) to what an interrupt removes.
    public static func register(_ path: String) {
        lock.withLock { registered.append(path) }
    }

    /// Takes `path` off the list (it was renamed into place or removed).
    public static func unregister(_ path: String) {
        lock.withLock {
            if let i = registered.lastIndex(of: path) { registered.remove(at: i) }
        }
    }
}
