import Foundation

/// Where a panel places its legend. `.best` (the default) takes the corner whose box covers the
/// fewest series vertices and line segments, preferring upper right, upper left, lower left,
/// lower right in that order on ties; `.outsideRight` puts it beside the plot area, which narrows
/// to make room, so that it never covers data; `.none` hides it.
///
/// ```swift
/// ax.legend = .upperLeft
/// ```
public enum LegendPosition: Sendable, Equatable {
    case best, upperRight, upperLeft, lowerLeft, lowerRight, outsideRight, none
}
