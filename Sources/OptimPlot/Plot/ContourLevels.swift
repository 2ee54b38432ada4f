import Foundation

/// Which contour lines to draw.
///
/// ```swift
/// ax.contour(x: -2...2, y: -2...2, levels: .values([0.5, 1, 2])) { x, y in x * x + y * y }
/// ax.contour(x: -2...2, y: -2...2) { x, y in x * x + y * y }    // .automatic(8), like matplotlib
/// ```
public enum ContourLevels: Sendable, Equatable {
    /// About this many intervals between nice values across the range of f (as matplotlib's
    /// `contour(..., N)`); only levels strictly inside the range are drawn.
    case automatic(Int)
    /// Exactly these levels.
    case values([Double])
}
