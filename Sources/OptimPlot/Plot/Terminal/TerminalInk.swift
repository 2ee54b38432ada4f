import Foundation

/// How a character of a terminal drawing is coloured: a plot colour, the terminal's own
/// foreground made faint (`dim`, for grid lines), or plain (`TerminalInk.plain`).
///
/// On a monochrome terminal every ink prints the same; the drawing then tells series apart by
/// glyphs and line patterns instead (see `TerminalFigureRenderer`).
///
/// ```swift
/// let ink = TerminalInk(color: .tabOrange)
/// ANSIColor.start(ink)          // "\u{1B}[38;5;208m"
/// ```
struct TerminalInk: Sendable, Equatable {
    var color: PlotColor?
    var dim: Bool = false

    static let plain = TerminalInk(color: nil)
    static let faint = TerminalInk(color: nil, dim: true)
}
