import Foundation

/// Where a panel places its legend. `.best` (the default) takes the corner whose box covers the
/// fewest series vertices and line segments, preferring upper right, upper left, lower left,
/// lower right in that order on ties; `.outsideRight` puts it beside the plot area, to the
/// right of the frame (the plot area narrows to make room), where it can hide nothing;
/// `.none` hides it.
///
/// ```swift
/// ax.legend = .upperLeft
/// ```
public enum LegendPosition: Sendable, Equatable {
    case best, upperRight, upperLeft, lowerLeft, lowerRight, outsideRight, none
}
