import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The size of the terminal a program writes to.
///
/// Columns: the `COLUMNS` environment variable when it holds a positive number, otherwise the
/// window size of standard output (`ioctl(TIOCGWINSZ)`) when it is a terminal, otherwise 100.
/// Rows likewise from `LINES`, the window size, or 40. Columns are brought into 40…300 and
/// rows into 10…200, the ranges the drawings are made for.
///
/// ```swift
/// let size = TerminalSize.current()
/// let drawing = figure.terminalDrawing(TerminalFigureOptions(width: size.columns))
/// ```
public struct TerminalSize: Sendable, Equatable {
    public var columns: Int
    public var rows: Int

    public init(columns: Int, rows: Int) { self.columns = columns; self.rows = rows }

    public static let defaultColumns = 100
    public static let defaultRows = 40

    /// The size for `environment` and the window of file descriptor `fd` (standard output).
    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment,
                               fd: Int32 = STDOUT_FILENO) -> TerminalSize {
        let window = windowSize(fd)
        var columns = window?.columns ?? defaultColumns
        var rows = window?.rows ?? defaultRows
        if let text = environment["COLUMNS"], let n = Int(text), n > 0 { columns = n }
        if let text = environment["LINES"], let n = Int(text), n > 0 { rows = n }
        return TerminalSize(columns: min(max(columns, 40), 300), rows: min(max(rows, 10), 200))
    }

    /// The window size of `fd` when it is a terminal that reports one, unclamped.
    public static func windowSize(_ fd: Int32) -> TerminalSize? {
        guard isatty(fd) != 0 else { return nil }
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else { return nil }
        return TerminalSize(columns: Int(size.ws_col), rows: Int(size.ws_row))
    }
}
