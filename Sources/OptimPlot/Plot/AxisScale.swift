import Foundation

/// How values map onto an axis.
///
/// ```swift
/// var ax = Axes(xLabel: "time (sec)", yLabel: "loss")
/// ax.xScale = .log      // decades 10^k labelled, 2…9 × 10^k as minor ticks
/// ```
public enum AxisScale: Sendable, Equatable {
    case linear
    /// Base-10 logarithmic; non-positive values are treated like missing data.
    case log
}
