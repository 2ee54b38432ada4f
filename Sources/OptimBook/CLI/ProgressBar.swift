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

/// A one-line progress bar on standard error, for long training runs.
///
/// It exists only when standard error is a terminal (`isatty(2)`), so redirected output,
/// pipes and captured transcripts never contain it; chapters also skip it in the tests'
/// reduced configuration. The line is redrawn in place with a carriage return, only when
/// the shown percentage changes, and erased by `finish()`.
///
/// ```swift
/// let bar = ProgressBar.onTerminal(label: "cosine")       // nil when stderr is not a TTY
/// for done in 1...total { …; bar?.update(done, of: total) }
/// bar?.finish()
/// ```
public final class ProgressBar {
    public let label: String
    /// Characters between the brackets.
    public let width: Int
    private var shownPercent = -1
    private let start = Date()

    init(label: String, width: Int = 30) {
        self.label = label
        self.width = max(width, 5)
    }

    /// A bar when standard error is a terminal, otherwise `nil`.
    public static func onTerminal(label: String, width: Int = 30) -> ProgressBar? {
        isatty(2) != 0 ? ProgressBar(label: label, width: width) : nil
    }

    /// Shows `done` of `total`.
    public func update(_ done: Int, of total: Int) {
        guard total > 0 else { return }
        let fraction = min(max(Double(done) / Double(total), 0), 1)
        let percent = Int(fraction * 100)
        if percent == shownPercent { return }
        shownPercent = percent
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let elapsed = Date().timeIntervalSince(start)
        write("\r\u{1B}[K\(label) [\(bar)] \(percent)% \(String(format: "%.0f", elapsed)) s")
    }

    /// Erases the bar, leaving the cursor at the start of an empty line.
    public func finish() { write("\r\u{1B}[K") }

    private func write(_ text: String) { StandardStreams.error.write(text) }
}
