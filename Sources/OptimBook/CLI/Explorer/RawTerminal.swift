import OptimIO
import OptimKit
import OptimKernels
import OptimData
import OptimTraining
import OptimPlot
import OptimNotebook
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// State shared with the signal handlers. Written before the handlers are installed, then read
// (and the flags set) from them: plain integers and a termios copy, nothing that allocates.
nonisolated(unsafe) private var savedAttributes = termios()
nonisolated(unsafe) private var rawModeActive: Int32 = 0
nonisolated(unsafe) private var windowChanged: Int32 = 0

/// Restores the terminal and lets the signal take its default course (ends the process, with
/// a core dump where the signal asks for one). Async-signal-safe: `write`, `tcsetattr`,
/// `signal` and `raise` only.
private func restoreAndRaise(_ signalNumber: Int32) {
    RawTerminal.restore()
    signal(signalNumber, SIG_DFL)
    raise(signalNumber)
}

private func noteWindowChange(_ signalNumber: Int32) {
    windowChanged = 1
}

/// A full-screen session on the controlling terminal, without dependencies: raw input through
/// termios (no echo, no line buffering, no signals from Ctrl-C/Ctrl-Z, so they arrive as keys),
/// the alternate screen (`ESC [?1049h`, so the reader's scrollback is left as it was) and a
/// hidden cursor.
///
/// The terminal is put back on every way out: `leave()`, `exit` (an `atexit` hook), and the
/// signals that end a process: SIGINT, SIGTERM, SIGHUP, SIGQUIT and the crash signals SIGSEGV,
/// SIGBUS, SIGILL, SIGTRAP (Swift's runtime traps), SIGABRT and SIGFPE. SIGWINCH only sets a
/// flag that `takeWindowChange()` reports, so the caller redraws at the new size.
///
/// ```swift
/// guard RawTerminal.isInteractive else { … }
/// try RawTerminal.enter()
/// defer { RawTerminal.leave() }
/// RawTerminal.write("\u{1B}[Hhello")
/// ```
public enum RawTerminal {
    /// True when standard input and standard output are both terminals.
    public static var isInteractive: Bool { isatty(STDIN_FILENO) != 0 && isatty(STDOUT_FILENO) != 0 }

    struct SetupError: Error, CustomStringConvertible {
        var description: String
    }

    private static let enterSequence = "\u{1B}[?1049h\u{1B}[?25l\u{1B}[H\u{1B}[2J"

    public static func enter() throws {
        guard tcgetattr(STDIN_FILENO, &savedAttributes) == 0 else {
            throw SetupError(description: "cannot read the terminal's settings (tcgetattr: \(String(cString: strerror(errno))))")
        }
        var raw = savedAttributes
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL | BRKINT | INPCK | ISTRIP)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        var handled = sigset_t()
        sigemptyset(&handled)
        for s in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            signal(s, restoreAndRaise)
            sigaddset(&handled, s)
        }
        signal(SIGWINCH, noteWindowChange)
        sigaddset(&handled, SIGWINCH)
        // A parent may have started us with these signals blocked (a spawn from a thread that
        // blocks them): unblock them, or neither the restore nor the resize would happen.
        sigprocmask(SIG_UNBLOCK, &handled, nil)
        atexit { RawTerminal.restore() }
        guard tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) == 0 else {
            throw SetupError(description: "cannot switch the terminal to raw mode (tcsetattr: \(String(cString: strerror(errno))))")
        }
        rawModeActive = 1
        write(enterSequence)
    }

    /// Puts the terminal back (idempotent) and removes the signal handlers.
    public static func leave() {
        restore()
        for s in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE, SIGWINCH] {
            signal(s, SIG_DFL)
        }
    }

    /// Restores the saved settings, shows the cursor and leaves the alternate screen, once.
    /// Safe to call from a signal handler.
    static func restore() {
        guard rawModeActive != 0 else { return }
        rawModeActive = 0
        let sequence: StaticString = "\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l"
        _ = systemWrite(STDOUT_FILENO, sequence.utf8Start, sequence.utf8CodeUnitCount)
        _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &savedAttributes)
    }

    /// True once after each window-size change.
    public static func takeWindowChange() -> Bool {
        guard windowChanged != 0 else { return false }
        windowChanged = 0
        return true
    }

    /// Writes all of `text` to standard output.
    public static func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { systemWrite(STDOUT_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += n
        }
        bytes.removeAll()
    }

    /// Waits up to `timeout` milliseconds for input and returns what arrived (empty on timeout
    /// or interruption by a signal), or nil at end of input.
    public static func read(timeout: Int32) -> [UInt8]? {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, timeout)
        if ready < 0 { return errno == EINTR ? [] : nil }
        if ready == 0 { return [] }
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = buffer.withUnsafeMutableBytes { systemRead(STDIN_FILENO, $0.baseAddress!, $0.count) }
        if n < 0 { return errno == EINTR || errno == EAGAIN ? [] : nil }
        if n == 0 { return nil }
        return Array(buffer.prefix(n))
    }
}

/// The C library's `write` and `read` (the names are taken by `RawTerminal`'s own methods).
@inline(__always)
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Darwin)
    return Darwin.write(fd, buffer, count)
    #elseif canImport(Musl)
    return Musl.write(fd, buffer, count)
    #else
    return Glibc.write(fd, buffer, count)
    #endif
}

@inline(__always)
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Darwin)
    return Darwin.read(fd, buffer, count)
    #elseif canImport(Musl)
    return Musl.read(fd, buffer, count)
    #else
    return Glibc.read(fd, buffer, count)
    #endif
}
